// Waiting that tests can control and shutdown can cut short: every wait of the
// API client (request budget, backoff) goes through a Sleeper. Thread-safe.
#pragma once

#include <condition_variable>
#include <mutex>

#include "exporter/util/clock.h"

namespace gx {

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  // Waits `nanos` (or less when stopped). Returns false once Stop() was called.
  virtual bool SleepFor(UnixNanos nanos) = 0;
  virtual bool stopped() const = 0;
};

// Real waiting on a condition variable, so that Stop() wakes every waiter at once.
class RealSleeper final : public Sleeper {
 public:
  bool SleepFor(UnixNanos nanos) override;
  bool stopped() const override;
  void Stop();

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopped_ = false;
};

// For tests: "sleeping" advances a ManualClock instead of waiting.
class ClockAdvancingSleeper final : public Sleeper {
 public:
  explicit ClockAdvancingSleeper(ManualClock& clock) : clock_(clock) {}
  bool SleepFor(UnixNanos nanos) override {
    if (nanos > 0) clock_.Advance(nanos);
    slept_ += nanos > 0 ? nanos : 0;
    return true;
  }
  bool stopped() const override { return false; }
  UnixNanos slept() const { return slept_; }

 private:
  ManualClock& clock_;
  UnixNanos slept_ = 0;
};

}  // namespace gx
