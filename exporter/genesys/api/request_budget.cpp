#include "exporter/genesys/api/request_budget.h"

#include <algorithm>
#include <cmath>

namespace gx {

RequestBudget::RequestBudget(int per_minute, const Clock& clock, Sleeper& sleeper, double burst)
    : per_minute_(std::max(1, per_minute)),
      burst_(burst > 0 ? burst : std::max(1.0, per_minute_ / 6.0)),
      clock_(clock),
      sleeper_(sleeper),
      tokens_(burst_),
      last_refill_(clock.Now()) {}

void RequestBudget::RefillLocked(UnixNanos now) const {
  if (now <= last_refill_) return;
  double per_nano = per_minute_ / 60e9;
  tokens_ = std::min(burst_, tokens_ + static_cast<double>(now - last_refill_) * per_nano);
  last_refill_ = now;
}

UnixNanos RequestBudget::TryAcquire() {
  std::lock_guard lock(mu_);
  UnixNanos now = clock_.Now();
  if (now < blocked_until_) return blocked_until_ - now;
  RefillLocked(now);
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return 0;
  }
  double missing = 1.0 - tokens_;
  auto wait = static_cast<UnixNanos>(std::ceil(missing * 60e9 / per_minute_));
  return std::max<UnixNanos>(wait, 1);
}

bool RequestBudget::Acquire() {
  for (;;) {
    if (sleeper_.stopped()) return false;
    UnixNanos wait = TryAcquire();
    if (wait == 0) return true;
    if (!sleeper_.SleepFor(wait)) return false;
  }
}

void RequestBudget::BlockUntil(UnixNanos until) {
  std::lock_guard lock(mu_);
  blocked_until_ = std::max(blocked_until_, until);
}

UnixNanos RequestBudget::blocked_until() const {
  std::lock_guard lock(mu_);
  return blocked_until_;
}

double RequestBudget::available() const {
  std::lock_guard lock(mu_);
  RefillLocked(clock_.Now());
  return std::floor(tokens_);
}

}  // namespace gx
