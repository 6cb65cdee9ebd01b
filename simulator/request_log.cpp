#include "simulator/request_log.h"

namespace gx::sim {

void RequestLog::Add(RequestRecord r) {
  std::lock_guard lock(mu_);
  r.seq = next_seq_++;
  ++counts_[r.endpoint][r.status];
  recent_.push_back(std::move(r));
  while (recent_.size() > capacity_) recent_.pop_front();
}

std::vector<RequestRecord> RequestLog::Since(std::uint64_t seq) const {
  std::lock_guard lock(mu_);
  std::vector<RequestRecord> out;
  for (const auto& r : recent_) {
    if (r.seq > seq) out.push_back(r);
  }
  return out;
}

std::map<std::string, std::map<int, std::uint64_t>> RequestLog::Counts() const {
  std::lock_guard lock(mu_);
  return counts_;
}

std::uint64_t RequestLog::Count(const std::string& endpoint) const {
  std::lock_guard lock(mu_);
  std::uint64_t n = 0;
  if (auto it = counts_.find(endpoint); it != counts_.end()) {
    for (const auto& [s, c] : it->second) n += c;
  }
  return n;
}

void RequestLog::Reset() {
  std::lock_guard lock(mu_);
  recent_.clear();
  counts_.clear();
}

}  // namespace gx::sim
