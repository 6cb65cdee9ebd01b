#include "exporter/app/spool_check.h"

#include "exporter/util/durable_file.h"

namespace gx {
namespace {

std::string FolderOf(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

Status Check(const std::string& dir) {
  if (Status made = MakeDirectories(dir); !made) return made;
  return ProbeWritable(dir);
}

}  // namespace

std::vector<std::string> CheckSpoolFolders(const AlertingConfig& alerting) {
  std::vector<std::string> out;
  if (!alerting.enabled) return out;
  if (Status s = Check(alerting.spool_dir); !s) {
    out.push_back("alerting.spool_dir: " + s.error() + " (webhook notifications and alert state would not be durable)");
  }
  if (!alerting.state_file.empty()) {
    const std::string dir = FolderOf(alerting.state_file);
    if (dir != alerting.spool_dir) {
      if (Status s = Check(dir); !s) {
        out.push_back("alerting.state_file: " + s.error() + " (alert state would not survive a restart)");
      }
    }
  }
  return out;
}

}  // namespace gx
