#include "exporter/sources/poll/request_cost.h"

#include <algorithm>

namespace gx {

std::int64_t PagesFor(std::int64_t n, int page_size) {
  page_size = std::max(1, page_size);
  return std::max<std::int64_t>(1, (n + page_size - 1) / page_size);
}

std::int64_t BatchesFor(std::int64_t n, int batch) {
  batch = std::max(1, batch);
  return std::max<std::int64_t>(0, (n + batch - 1) / batch);
}

CycleCost FullCycleCost(const OrgSize& org, int page_size, bool edge_metrics) {
  CycleCost c;
  c.phones = PagesFor(org.phones, page_size);
  c.stations = BatchesFor(org.stations) + org.followed_users;
  c.trunks = PagesFor(org.trunks, page_size) + PagesFor(org.trunk_bases, page_size);
  c.trunk_metrics = BatchesFor(org.external_trunks);
  c.edges = PagesFor(org.edges, page_size);
  c.edge_metrics = edge_metrics ? BatchesFor(org.edges) : 0;
  return c;
}

}  // namespace gx
