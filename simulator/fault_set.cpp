#include "simulator/fault_set.h"

#include <algorithm>
#include "exporter/util/time_math.h"

namespace gx::sim {

bool FaultSet::IsHttpKind(const std::string& k) {
  return k == "rate_limit" || k == "server_error" || k == "slow" || k == "malformed_json" ||
         k == "truncated_json" || k == "unknown_enum" || k == "extra_fields" || k == "missing_optional" ||
         k == "rate_limit_exhausted";
}

namespace {
constexpr const char* kExhaustedWindow = "rate_limit_exhausted";
}  // namespace

bool FaultSet::Consume(ActiveFault& f, const std::string& path) {
  if (!f.spec.path.empty() && path.find(f.spec.path) == std::string::npos) return false;
  if (f.remaining > 0) --f.remaining;
  ++f.applied;
  return true;
}

int FaultSet::Add(const FaultSpec& spec, UnixNanos now) {
  std::lock_guard lock(mu_);
  ActiveFault f;
  f.id = next_id_++;
  f.spec = spec;
  f.remaining = spec.count;
  f.until = spec.duration_s > 0 ? now + SecondsToNanos(spec.duration_s) : 0;
  faults_.push_back(f);
  return f.id;
}

bool FaultSet::Remove(int id) {
  std::lock_guard lock(mu_);
  auto it = std::remove_if(faults_.begin(), faults_.end(), [id](const ActiveFault& f) { return f.id == id; });
  bool found = it != faults_.end();
  faults_.erase(it, faults_.end());
  return found;
}

void FaultSet::Clear() {
  std::lock_guard lock(mu_);
  faults_.clear();
}

void FaultSet::Prune(UnixNanos now) {
  faults_.erase(std::remove_if(faults_.begin(), faults_.end(),
                               [now](const ActiveFault& f) {
                                 return f.remaining == 0 || (f.until != 0 && now >= f.until);
                               }),
                faults_.end());
}

std::vector<ActiveFault> FaultSet::List(UnixNanos now) {
  std::lock_guard lock(mu_);
  Prune(now);
  return faults_;
}

FaultEffects FaultSet::Match(const std::string& path, UnixNanos now) {
  std::lock_guard lock(mu_);
  Prune(now);
  FaultEffects e;
  for (auto& f : faults_) {
    if (f.spec.kind == kExhaustedWindow || !Consume(f, path)) continue;
    const auto& k = f.spec.kind;
    if (k == "rate_limit") {
      e.rate_limit = true;
      e.retry_after_s = std::max(e.retry_after_s, f.spec.retry_after_s);
    } else if (k == "server_error") {
      e.server_error = f.spec.status;
    } else if (k == "slow") {
      e.delay_s = std::max(e.delay_s, f.spec.delay_s);
    } else if (k == "malformed_json") {
      e.malformed_json = true;
    } else if (k == "truncated_json") {
      e.truncated_json = true;
    } else if (k == "unknown_enum") {
      e.unknown_enum = true;
    } else if (k == "extra_fields") {
      e.extra_fields = true;
    } else if (k == "missing_optional") {
      e.missing_optional = true;
    }
  }
  return e;
}

std::optional<int> FaultSet::MatchExhaustedWindow(const std::string& path, UnixNanos now) {
  std::lock_guard lock(mu_);
  Prune(now);
  std::optional<int> reset_s;
  for (auto& f : faults_) {
    if (f.spec.kind != kExhaustedWindow || !Consume(f, path)) continue;
    reset_s = std::max(reset_s.value_or(0), f.spec.retry_after_s);
  }
  return reset_s;
}

}  // namespace gx::sim
