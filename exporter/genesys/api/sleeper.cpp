#include "exporter/genesys/api/sleeper.h"

#include <chrono>

namespace gx {

bool RealSleeper::SleepFor(UnixNanos nanos) {
  std::unique_lock lock(mu_);
  if (nanos > 0) cv_.wait_for(lock, std::chrono::nanoseconds(nanos), [&] { return stopped_; });
  return !stopped_;
}

bool RealSleeper::stopped() const {
  std::lock_guard lock(mu_);
  return stopped_;
}

void RealSleeper::Stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  cv_.notify_all();
}

}  // namespace gx
