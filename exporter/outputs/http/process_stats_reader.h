// Reads this process's figures for the process_* metrics from /proc, the way the official Go
// client does. Does I/O, so it lives with the HTTP output; the renderer hands the figures to the
// process collector (exporter/outputs/metrics/process_collector.cpp), which stays a pure view.
// Thread-safe (no shared state).
#pragma once

#include <optional>

#include "exporter/outputs/metrics/process_stats.h"

namespace gx {

// None when /proc/self/stat cannot be read or parsed (then the process_* families are left out).
std::optional<ProcessStats> ReadProcessStats();

}  // namespace gx
