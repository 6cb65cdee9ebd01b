#include "exporter/util/backoff.h"

#include <algorithm>
#include <random>

#include "exporter/util/time_math.h"

namespace gx {

UnixNanos BackoffDelay(const Backoff& backoff, int retry, double unit_random) {
  const UnixNanos initial = std::max<UnixNanos>(0, backoff.initial);
  const UnixNanos cap = std::max(initial, backoff.max);
  const int doublings = std::clamp(retry, 0, 62);  // 2^62 ns is past any cap
  const UnixNanos nominal = std::min(cap, SaturatingMul(initial, std::int64_t{1} << doublings));
  const UnixNanos half = nominal / 2;
  // half < 2^62: the product is exact enough and cannot overflow.
  const double r = std::clamp(unit_random, 0.0, 1.0);
  return std::min(nominal, half + static_cast<UnixNanos>(r * static_cast<double>(nominal - half)));
}

UnitRandom::UnitRandom(std::function<double()> injected)
    : injected_(std::move(injected)), state_((std::uint64_t{std::random_device{}()} << 32) ^ std::random_device{}()) {}

double UnitRandom::Next() {
  std::lock_guard lock(mu_);
  if (injected_) return injected_();
  // splitmix64: plenty for jitter, and no <random> engine state to carry around.
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) / 9007199254740992.0;  // 53 bits: [0, 1)
}

}  // namespace gx
