#include "exporter/outputs/http/process_metrics.h"

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "exporter/outputs/metrics/family_builder.h"

namespace gx {
namespace {

double BootTimeSeconds() {
  std::ifstream in("/proc/stat");
  std::string key;
  while (in >> key) {
    if (key == "btime") {
      double v = 0;
      in >> v;
      return v;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

int OpenFds() {
  int n = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] != '.') ++n;
    }
    closedir(d);
    --n;  // the directory stream itself
  }
  return n;
}

std::optional<double> MaxFds() {
  std::ifstream in("/proc/self/limits");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Max open files", 0) == 0) {
      std::istringstream ls(line.substr(14));
      std::string soft;
      ls >> soft;
      if (soft == "unlimited") return std::nullopt;
      try {
        return std::stod(soft);
      } catch (...) {
        return std::nullopt;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

void CollectProcessMetrics(std::vector<prometheus::MetricFamily>& out) {
  std::ifstream in("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the command name, which is in parentheses and may contain spaces.
  auto close = stat.rfind(')');
  if (close == std::string::npos) return;
  std::istringstream fields(stat.substr(close + 2));
  std::vector<std::string> f;
  std::string tok;
  while (fields >> tok) f.push_back(tok);
  // f[0] is field 3 (state): utime=14, stime=15, starttime=22, vsize=23, rss=24.
  if (f.size() < 22) return;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  const double utime = std::stod(f[11]), stime = std::stod(f[12]);
  const double start = std::stod(f[19]);
  const double vsize = std::stod(f[20]), rss = std::stod(f[21]);

  Counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.")
      .Add({}, (utime + stime) / ticks)
      .MoveTo(out);
  Gauge("process_open_fds", "Number of open file descriptors.").Add({}, OpenFds()).MoveTo(out);
  if (auto max = MaxFds()) {
    Gauge("process_max_fds", "Maximum number of open file descriptors.").Add({}, *max).MoveTo(out);
  }
  Gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.").Add({}, vsize).MoveTo(out);
  Gauge("process_resident_memory_bytes", "Resident memory size in bytes.").Add({}, rss * page).MoveTo(out);
  Gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.")
      .Add({}, BootTimeSeconds() + start / ticks)
      .MoveTo(out);
}

}  // namespace gx
