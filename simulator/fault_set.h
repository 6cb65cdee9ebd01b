// Active HTTP faults (429 storms, 5xx bursts, slow or broken responses, odd payloads, hostile
// rate-limit headers) and how they apply to one request. Thread-safe (one mutex).
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "exporter/util/clock.h"
#include "simulator/scenario.h"

namespace gx::sim {

struct ActiveFault {
  int id = 0;
  FaultSpec spec;
  UnixNanos until = 0;  // 0: no time limit
  int remaining = -1;   // -1: unlimited
  int applied = 0;
};

// What the matching faults do to one response.
struct FaultEffects {
  bool rate_limit = false;
  int retry_after_s = 0;
  int server_error = 0;  // status, 0 = none
  double delay_s = 0;
  bool malformed_json = false;
  bool truncated_json = false;
  bool unknown_enum = false;
  bool extra_fields = false;
  bool missing_optional = false;
};

class FaultSet {
 public:
  // HTTP kinds only; returns the id.
  int Add(const FaultSpec& spec, UnixNanos now);
  bool Remove(int id);
  void Clear();
  std::vector<ActiveFault> List(UnixNanos now);
  // Effects for a request to `path`; consumes one use of each matching counted fault.
  FaultEffects Match(const std::string& path, UnixNanos now);
  // For the finished answer to `path`: the inin-ratelimit-reset (seconds) that a matching
  // rate_limit_exhausted fault puts on it, with inin-ratelimit-count = allowed; consumes one
  // use. nullopt when none matches. Match() leaves these faults alone.
  std::optional<int> MatchExhaustedWindow(const std::string& path, UnixNanos now);

  static bool IsHttpKind(const std::string& kind);

 private:
  void Prune(UnixNanos now);
  // True when `f` applies to `path`; then one use of it is consumed.
  static bool Consume(ActiveFault& f, const std::string& path);
  std::mutex mu_;
  std::vector<ActiveFault> faults_;
  int next_id_ = 1;
};

}  // namespace gx::sim
