#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/family_builder.h"
#include "exporter/outputs/metrics/process_stats.h"

namespace gx {

void CollectProcess(const CollectInput& in, MetricFamilies& out) {
  if (!in.process) return;  // not read (tests, benchmarks) or unreadable
  const ProcessStats& p = *in.process;
  Counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.")
      .Add({}, p.cpu_seconds)
      .MoveTo(out);
  Gauge("process_open_fds", "Number of open file descriptors.").Add({}, p.open_fds).MoveTo(out);
  if (p.max_fds) {
    Gauge("process_max_fds", "Maximum number of open file descriptors.").Add({}, *p.max_fds).MoveTo(out);
  }
  Gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.").Add({}, p.virtual_memory_bytes).MoveTo(out);
  Gauge("process_resident_memory_bytes", "Resident memory size in bytes.").Add({}, p.resident_memory_bytes).MoveTo(out);
  Gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.")
      .Add({}, p.start_time_seconds)
      .MoveTo(out);
}

}  // namespace gx
