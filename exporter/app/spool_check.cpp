#include "exporter/app/spool_check.h"

#include "exporter/util/durable_file.h"

namespace gx {
namespace {

std::string FolderOf(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string Check(const std::string& dir) {
  if (auto err = MakeDirectories(dir); !err.empty()) return err;
  return ProbeWritable(dir);
}

}  // namespace

std::vector<std::string> CheckSpoolFolders(const AlertingConfig& alerting) {
  std::vector<std::string> out;
  if (!alerting.enabled) return out;
  if (auto err = Check(alerting.spool_dir); !err.empty()) {
    out.push_back("alerting.spool_dir: " + err + " (webhook notifications and alert state would not be durable)");
  }
  if (!alerting.state_file.empty()) {
    const std::string dir = FolderOf(alerting.state_file);
    if (dir != alerting.spool_dir) {
      if (auto err = Check(dir); !err.empty()) {
        out.push_back("alerting.state_file: " + err + " (alert state would not survive a restart)");
      }
    }
  }
  return out;
}

}  // namespace gx
