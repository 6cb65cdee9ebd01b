// Configuration durations ("500ms", "30s", "1h30m", "7d", "2w"), parsed in integer nanoseconds
// with the saturating arithmetic of util/time_math.h: no text can overflow, and a huge value
// saturates to kMaxNanos for the loader's maximum to refuse. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "exporter/util/clock.h"

namespace gx {

constexpr UnixNanos kNanosPerMinute = 60 * kNanosPerSecond;
constexpr UnixNanos kNanosPerHour = 60 * kNanosPerMinute;
constexpr UnixNanos kNanosPerDay = 24 * kNanosPerHour;

// Sums of <number><unit>, the number with an optional fraction, the unit one of ms, s, m, h, d,
// w; "0" alone is zero. nullopt for anything else (a bare number, a sign, a space).
std::optional<UnixNanos> ParseDuration(std::string_view text);

// The shortest form ParseDuration reads back: "0s", "500ms", "90s" -> "1m30s", "7d".
std::string FormatDuration(UnixNanos d);

}  // namespace gx
