// ISO-8601 UTC formatting with a chosen number of fractional digits (0..9), as real
// Genesys payloads mix "…:00Z", "…:00.123Z" and nanosecond precision. Pure; thread-safe.
#pragma once

#include <string>

#include "exporter/util/clock.h"

namespace gx::sim {

std::string FormatIso(UnixNanos t, int fraction_digits);

// Picks 0, 3, 6 or 9 digits from a seed so one entity keeps a stable style.
int FractionDigitsFor(unsigned long long seed);

}  // namespace gx::sim
