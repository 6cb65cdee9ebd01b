// The request cost of one polling cycle per source, as a pure formula of the
// org's size (docs/api-budget.md explains it). The scheduler uses it to fit the
// sources inside the request budget; the benchmark checks it. Thread-safe.
#pragma once

#include <cstdint>

namespace gx {

inline constexpr int kMaxMetricIds = 100;  // ids per trunks/metrics or edges/metrics request

// Requests to list n entities: ceil(n / page_size), and at least one (an empty
// listing still costs the request that says so).
std::int64_t PagesFor(std::int64_t n, int page_size);
// Requests to fetch metrics of n entities in batches of 100: ceil(n / 100).
std::int64_t BatchesFor(std::int64_t n, int batch = kMaxMetricIds);

struct OrgSize {
  std::int64_t phones = 0;
  std::int64_t stations = 0;  // the followed users' stations (the only ones read)
  std::int64_t followed_users = 0;
  std::int64_t trunks = 0;
  std::int64_t trunk_bases = 0;
  std::int64_t external_trunks = 0;
  std::int64_t edges = 0;
};

struct CycleCost {
  std::int64_t phones = 0;         // ceil(P / page)
  std::int64_t stations = 0;       // U + ceil(S_followed / 100)
  std::int64_t trunks = 0;         // ceil(T / page) + ceil(B / page) (bases on a resync only)
  std::int64_t trunk_metrics = 0;  // ceil(T_ext / 100)
  std::int64_t edges = 0;          // ceil(E / page)
  std::int64_t edge_metrics = 0;   // ceil(E / 100), 0 when disabled
  std::int64_t total() const { return phones + stations + trunks + trunk_metrics + edges + edge_metrics; }
};

CycleCost FullCycleCost(const OrgSize& org, int page_size, bool edge_metrics = true);

}  // namespace gx
