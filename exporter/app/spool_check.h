// The check of the spool folder, at start and in --config.check: creates
// alerting.spool_dir (mode 0700, parents too) and the state file's folder, and proves
// that a file can be written and synced there. Thread-safe (no state).
#pragma once

#include <string>
#include <vector>

#include "exporter/config/config.h"

namespace gx {

// One message per folder that cannot be used, naming its configuration key; empty when
// all can be written, or when alerting is off.
std::vector<std::string> CheckSpoolFolders(const AlertingConfig& alerting);

}  // namespace gx
