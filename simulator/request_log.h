// Log of the requests the simulator answered: recent entries plus per-endpoint counts by status
// (endpoint = path template with ids removed). Thread-safe (one mutex).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "exporter/util/clock.h"

namespace gx::sim {

struct RequestRecord {
  std::uint64_t seq = 0;
  UnixNanos time = 0;
  std::string method, path, query, endpoint, correlation_id;
  int status = 0;
};

class RequestLog {
 public:
  explicit RequestLog(size_t capacity = 20000) : capacity_(capacity) {}
  void Add(RequestRecord r);
  std::vector<RequestRecord> Since(std::uint64_t seq) const;
  // endpoint -> status -> count
  std::map<std::string, std::map<int, std::uint64_t>> Counts() const;
  std::uint64_t Count(const std::string& endpoint) const;
  void Reset();

 private:
  size_t capacity_;
  mutable std::mutex mu_;
  std::deque<RequestRecord> recent_;
  std::map<std::string, std::map<int, std::uint64_t>> counts_;
  std::uint64_t next_seq_ = 1;
};

}  // namespace gx::sim
