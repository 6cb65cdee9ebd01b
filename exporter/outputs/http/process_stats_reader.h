// Reads this process's figures for the process_* metrics from /proc, the way the official Go
// client does. Does I/O, so it lives with the HTTP output; the renderer hands the figures to the
// process collector (exporter/outputs/metrics/process_collector.cpp), which stays a pure view.
// Thread-safe (no shared state).
#pragma once

#include <optional>
#include <string>

#include "exporter/outputs/metrics/process_stats.h"

namespace gx {

// None when /proc/self/stat cannot be read or parsed (then the process_* families are left out).
std::optional<ProcessStats> ReadProcessStats();

// The CPU, memory and start-time figures of a /proc/<pid>/stat text; none when it is not that
// format (too few fields, or a field that is not a number). Pure.
std::optional<ProcessStats> ParseProcSelfStat(const std::string& stat, double ticks_per_second, double page_bytes,
                                              double boot_time_seconds);

}  // namespace gx
