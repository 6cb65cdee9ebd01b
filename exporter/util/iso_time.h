// ISO-8601 UTC timestamps as Genesys sends them, with 0..9 fractional digits.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "exporter/util/clock.h"

namespace gx {

// Parses "2026-05-10T08:00:00Z", "2026-05-10T08:00:00.123Z",
// "2026-05-10T08:00:00.123456789Z" and "+hh:mm" offsets. nullopt on anything else.
// Times outside int64 nanoseconds (after 2262, before 1678) saturate to kMaxNanos/kMinNanos.
std::optional<UnixNanos> ParseIsoTime(std::string_view text);

// Formats as "2026-05-10T08:00:00.123Z" (UTC) with 0..9 fractional digits
// (0 drops the fraction and its dot); digits are truncated, not rounded.
std::string FormatIsoTime(UnixNanos t, int fraction_digits = 3);

}  // namespace gx
