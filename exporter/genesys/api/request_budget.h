// The client-side request budget shared by every poller and the notification
// listener: a token bucket refilled at `per_minute` requests per minute, plus a
// gate that holds every request back after a 429 until Retry-After has passed.
// Thread-safe.
#pragma once

#include <mutex>

#include "exporter/genesys/api/sleeper.h"
#include "exporter/util/clock.h"

namespace gx {

class RequestBudget {
 public:
  // The bucket holds at most `burst` requests (default: 10 s worth), so that over
  // any minute at most per_minute + burst requests go out.
  RequestBudget(int per_minute, const Clock& clock, Sleeper& sleeper, double burst = 0);

  // Blocks until one request may go out and takes it. False when stopping.
  bool Acquire();
  // Takes one request if allowed now; otherwise returns how long to wait (ns).
  // Returns 0 when taken.
  UnixNanos TryAcquire();
  // No request goes out before `until` (a 429's Retry-After, or an exhausted
  // server-side window). Never moves the gate backwards.
  void BlockUntil(UnixNanos until);

  UnixNanos blocked_until() const;
  double available() const;  // whole requests available now
  int per_minute() const { return per_minute_; }
  double burst() const { return burst_; }

 private:
  void RefillLocked(UnixNanos now) const;

  const int per_minute_;
  const double burst_;
  const Clock& clock_;
  Sleeper& sleeper_;
  mutable std::mutex mu_;
  mutable double tokens_;
  mutable UnixNanos last_refill_;
  UnixNanos blocked_until_ = 0;
};

}  // namespace gx
