#include "exporter/outputs/http/process_stats_reader.h"

#include <dirent.h>
#include <unistd.h>

#include <exception>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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

std::optional<ProcessStats> ParseProcSelfStat(const std::string& stat, double ticks_per_second, double page_bytes,
                                              double boot_time_seconds) {
  // Fields after the command name, which is in parentheses and may contain spaces.
  auto close = stat.rfind(')');
  if (close == std::string::npos || close + 2 > stat.size()) return std::nullopt;
  std::istringstream fields(stat.substr(close + 2));
  std::vector<std::string> f;
  std::string tok;
  while (fields >> tok) f.push_back(tok);
  // f[0] is field 3 (state): utime=14, stime=15, starttime=22, vsize=23, rss=24.
  if (f.size() < 22) return std::nullopt;
  ProcessStats p;
  try {
    const double utime = std::stod(f[11]), stime = std::stod(f[12]);
    const double start = std::stod(f[19]);
    p.cpu_seconds = (utime + stime) / ticks_per_second;
    p.virtual_memory_bytes = std::stod(f[20]);
    p.resident_memory_bytes = std::stod(f[21]) * page_bytes;
    p.start_time_seconds = boot_time_seconds + start / ticks_per_second;
  } catch (const std::exception&) {
    return std::nullopt;  // not numbers: not the stat format this reads
  }
  return p;
}

std::optional<ProcessStats> ReadProcessStats() {
  std::ifstream in("/proc/self/stat");
  const std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto p = ParseProcSelfStat(stat, static_cast<double>(sysconf(_SC_CLK_TCK)),
                             static_cast<double>(sysconf(_SC_PAGESIZE)), BootTimeSeconds());
  if (!p) return std::nullopt;
  p->open_fds = OpenFds();
  p->max_fds = MaxFds();
  return p;
}

}  // namespace gx
