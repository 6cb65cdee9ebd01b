// Checked, saturating arithmetic on Unix nanoseconds: the one place where seconds become
// nanoseconds, so that a hostile or absurd value (a year-9999 date, a 20-digit Retry-After,
// a huge configured duration) saturates instead of overflowing. Pure; thread-safe.
#pragma once

#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "exporter/util/clock.h"

namespace gx {

constexpr UnixNanos kMaxNanos = std::numeric_limits<UnixNanos>::max();
constexpr UnixNanos kMinNanos = std::numeric_limits<UnixNanos>::min();

// a + b, saturated to [kMinNanos, kMaxNanos].
constexpr UnixNanos SaturatingAdd(UnixNanos a, UnixNanos b) {
  UnixNanos out = 0;
  if (__builtin_add_overflow(a, b, &out)) return b > 0 ? kMaxNanos : kMinNanos;
  return out;
}

// a - b, saturated.
constexpr UnixNanos SaturatingSub(UnixNanos a, UnixNanos b) {
  UnixNanos out = 0;
  if (__builtin_sub_overflow(a, b, &out)) return b < 0 ? kMaxNanos : kMinNanos;
  return out;
}

// a * b, saturated.
constexpr UnixNanos SaturatingMul(UnixNanos a, std::int64_t b) {
  UnixNanos out = 0;
  if (__builtin_mul_overflow(a, b, &out)) return (a < 0) != (b < 0) ? kMinNanos : kMaxNanos;
  return out;
}

// Whole seconds to nanoseconds, saturated.
template <std::integral T>
constexpr UnixNanos SecondsToNanos(T seconds) {
  if constexpr (std::is_unsigned_v<T>) {
    if (seconds > static_cast<T>(std::numeric_limits<std::int64_t>::max())) return kMaxNanos;
  }
  return SaturatingMul(static_cast<std::int64_t>(seconds), kNanosPerSecond);
}

// Fractional seconds to nanoseconds, saturated; NaN is 0.
inline UnixNanos SecondsToNanos(double seconds) {
  if (std::isnan(seconds)) return 0;
  const double n = seconds * 1e9;
  // 2^63 is exactly representable; anything at or beyond it saturates.
  if (n >= 9223372036854775808.0) return kMaxNanos;
  if (n <= -9223372036854775808.0) return kMinNanos;
  return static_cast<UnixNanos>(n);
}

// v limited to [lo, hi].
constexpr UnixNanos ClampNanos(UnixNanos v, UnixNanos lo, UnixNanos hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

}  // namespace gx
