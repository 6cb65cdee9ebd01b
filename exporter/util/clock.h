// Time as Unix nanoseconds, and an injectable clock so that tests control time.
// Thread-safe: SystemClock is stateless; ManualClock uses an atomic.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace gx {

// Nanoseconds since the Unix epoch (UTC). int64 covers years 1678..2262.
using UnixNanos = std::int64_t;

constexpr UnixNanos kNanosPerSecond = 1'000'000'000;
constexpr UnixNanos kNanosPerMilli = 1'000'000;

// Seconds to nanoseconds (saturating) is in time_math.h.
inline double ToSeconds(UnixNanos n) { return static_cast<double>(n) / 1e9; }

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixNanos Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  UnixNanos Now() const override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  static const SystemClock& Instance() {
    static const SystemClock clock;
    return clock;
  }
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(UnixNanos start) : now_(start) {}
  UnixNanos Now() const override { return now_.load(); }
  void Set(UnixNanos t) { now_.store(t); }
  void Advance(UnixNanos d) { now_.fetch_add(d); }

 private:
  std::atomic<UnixNanos> now_;
};

}  // namespace gx
