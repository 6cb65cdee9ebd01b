// The process collector: the standard process_* families from the figures the renderer read,
// and nothing when there are none.
#include <gtest/gtest.h>

#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/process_stats.h"

namespace gx {
namespace {

std::string Render(const ProcessStats* process) {
  TelephonyData t;
  HealthData h;
  CollectorOptions options;
  std::string out;
  for (const auto& c : AllCollectors()) {
    if (c.name != "process") continue;
    std::shared_ptr<void> cache;
    WriteCollector(c, CollectInput{t, h, options, process}, cache, out);
  }
  return out;
}

TEST(ProcessCollectorTest, WritesTheStandardFamilies) {
  const ProcessStats p{.cpu_seconds = 12.5,
                       .open_fds = 17,
                       .max_fds = 1024,
                       .virtual_memory_bytes = 123456789,
                       .resident_memory_bytes = 4096,
                       .start_time_seconds = 1790000000.25};
  EXPECT_EQ(Render(&p),
            "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
            "# TYPE process_cpu_seconds_total counter\n"
            "process_cpu_seconds_total 12.5\n"
            "# HELP process_open_fds Number of open file descriptors.\n"
            "# TYPE process_open_fds gauge\n"
            "process_open_fds 17\n"
            "# HELP process_max_fds Maximum number of open file descriptors.\n"
            "# TYPE process_max_fds gauge\n"
            "process_max_fds 1024\n"
            "# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n"
            "# TYPE process_virtual_memory_bytes gauge\n"
            "process_virtual_memory_bytes 123456789\n"
            "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
            "# TYPE process_resident_memory_bytes gauge\n"
            "process_resident_memory_bytes 4096\n"
            "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n"
            "# TYPE process_start_time_seconds gauge\n"
            "process_start_time_seconds 1790000000.25\n");
}

TEST(ProcessCollectorTest, UnlimitedFdsHaveNoMaxSeries) {
  const ProcessStats p;  // max_fds none
  const std::string text = Render(&p);
  EXPECT_EQ(text.find("process_max_fds"), std::string::npos) << text;
  EXPECT_NE(text.find("\nprocess_open_fds 0\n"), std::string::npos) << text;
}

TEST(ProcessCollectorTest, NoFiguresNoFamilies) { EXPECT_EQ(Render(nullptr), ""); }

}  // namespace
}  // namespace gx
