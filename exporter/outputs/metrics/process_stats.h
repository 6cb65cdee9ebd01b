// This process's figures for the standard process_* metrics, read from /proc by the HTTP output
// (exporter/outputs/http/process_stats_reader.h) once per scrape, so that the process collector
// is a pure view like the others.
#pragma once

#include <optional>

namespace gx {

struct ProcessStats {
  double cpu_seconds = 0;  // user + system
  double open_fds = 0;
  std::optional<double> max_fds;  // none: unlimited or unknown
  double virtual_memory_bytes = 0;
  double resident_memory_bytes = 0;
  double start_time_seconds = 0;  // since the Unix epoch
};

}  // namespace gx
