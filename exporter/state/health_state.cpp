#include "exporter/state/health_state.h"

namespace gx {

void HealthState::RecordApiRequest(const std::string& endpoint, const std::string& code, double seconds) {
  std::lock_guard lock(mu_);
  ++data_.api_requests[{endpoint, code}];
  auto& h = data_.api_durations[endpoint];
  ++h.count;
  h.sum += seconds;
  for (size_t i = 0; i < kApiDurationBuckets.size(); ++i) {
    if (seconds <= kApiDurationBuckets[i]) {
      ++h.bucket_counts[i];
      break;
    }
  }
}

void HealthState::RecordApiRetry(const std::string& endpoint, const std::string& reason) {
  std::lock_guard lock(mu_);
  ++data_.api_retries[{endpoint, reason}];
}

void HealthState::RecordCollectorRun(const std::string& collector, bool ok, UnixNanos finished_at,
                                     double seconds, std::uint64_t requests, const std::string& error) {
  std::lock_guard lock(mu_);
  auto& c = data_.collectors[collector];
  c.ran = true;
  c.up = ok;
  c.last_duration_seconds = seconds;
  c.last_cycle_requests = requests;
  c.last_error = ok ? std::string() : error;
  if (ok) c.last_success = finished_at;
}

void HealthState::RecordSpoolWrite(const std::string& writer, const std::string& error) {
  std::lock_guard lock(mu_);
  auto& errors = data_.spool.errors;
  if (error.empty()) {
    errors.erase(writer);
    errors.erase(kSpoolFolderWriter);  // a write succeeded: the start-up failure is over
  } else {
    errors[writer] = error;
  }
}

}  // namespace gx
