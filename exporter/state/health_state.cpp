#include "exporter/state/health_state.h"

#include <algorithm>

#include <fmt/format.h>

#include "exporter/state/self_metrics.h"
#include "exporter/util/time_math.h"

namespace gx {

HealthState::HealthState() : self_(std::make_unique<SelfMetrics>()) {}
HealthState::~HealthState() = default;

UnixNanos StalenessBound(const SourceHealth& c, double intervals) {
  const double interval = c.interval_seconds > 0 ? c.interval_seconds : c.configured_interval_seconds;
  if (!(interval > 0)) return kMaxNanos;
  return SecondsToNanos(interval * intervals);
}

bool SucceededWithinBound(const SourceHealth& c, UnixNanos now, double intervals) {
  return c.last_success && SaturatingSub(now, *c.last_success) <= StalenessBound(c, intervals);
}

void HealthState::RecordApiRequest(const std::string& endpoint, const std::string& code, double seconds,
                                   UnixNanos finished_at) {
  {
    std::lock_guard lock(mu_);
    data_.last_api_request = std::max(data_.last_api_request.value_or(finished_at), finished_at);
  }
  self_->ObserveApiRequest(endpoint, code, seconds);
}

void HealthState::RecordApiRetry(const std::string& endpoint, const std::string& reason) {
  std::lock_guard lock(mu_);
  ++data_.api_retries[{endpoint, reason}];
}

void HealthState::RecordSourceRun(const std::string& source, const Status& outcome, UnixNanos finished_at,
                                  double seconds, std::uint64_t requests) {
  std::lock_guard lock(mu_);
  const bool ok = outcome.ok();
  const std::string& error = outcome.error();
  auto& c = data_.sources[source];
  c.ran = true;
  c.up = ok;
  c.last_duration_seconds = seconds;
  c.last_cycle_requests = requests;
  if (ok) {
    c.last_success = finished_at;
    c.stale = false;
  } else {
    c.last_failure = {error, finished_at};
  }
  c.last_error = ok ? std::string() : error;
}

StaleMarks HealthState::MarkStaleSources(const std::vector<std::string>& sources, UnixNanos started_at,
                                         UnixNanos now) {
  std::lock_guard lock(mu_);
  StaleMarks out;
  UnixNanos polling_bound = kMaxNanos;
  for (const auto& name : sources) {
    auto& c = data_.sources[name];
    const UnixNanos bound = StalenessBound(c);
    // A source whose last run needed no request (no external trunks, say) proves nothing
    // about the API, so its interval does not set how soon silence counts.
    if (!(c.ran && c.last_cycle_requests == 0)) polling_bound = std::min(polling_bound, bound);
    const UnixNanos since = c.last_success.value_or(started_at);
    if (SaturatingSub(now, since) <= bound) continue;
    const bool newly = !c.stale;
    c.stale = true;
    c.up = false;
    c.last_error = fmt::format("no successful run for {:.0f} s (stale after {:.0f} s)",
                               ToSeconds(SaturatingSub(now, since)), ToSeconds(bound));
    if (newly) {
      out.newly_stale.push_back(name);
      c.last_failure = {c.last_error, now};
    }
  }
  const UnixNanos quiet_since = data_.last_api_request.value_or(started_at);
  out.nothing_polled = SaturatingSub(now, quiet_since) > polling_bound;
  if (out.nothing_polled) data_.genesys_up = false;
  return out;
}

void HealthState::RecordSpoolWrite(const std::string& writer, const Status& outcome) {
  std::lock_guard lock(mu_);
  auto& errors = data_.spool.errors;
  if (outcome.ok()) {
    errors.erase(writer);
    errors.erase(kSpoolFolderWriter);  // a write succeeded: the start-up failure is over
  } else {
    errors[writer] = outcome.error();
  }
}

}  // namespace gx
