// Saves and loads the firing alerts (with when each was last announced) so that a
// restart neither re-pages nor forgets to resolve. Writes are atomic (temp file,
// fsync, rename; no temp file survives a failure). Pure file I/O; thread-safe as long
// as callers use distinct paths.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "exporter/outputs/alerts/alert.h"
#include "exporter/util/result.h"

namespace gx {

struct PersistedAlert {
  Alert alert;
  UnixNanos notified_at = 0;  // 0: fired but not yet announced
};

// A state file larger than this is not read (an error says so): 50,000 alerts take about 15 MB,
// and a file that only grew by damage must not be read into memory whole.
constexpr std::uintmax_t kMaxAlertStateBytes = 64u << 20;

struct LoadedAlertState {
  std::vector<PersistedAlert> alerts;  // none when there is no file
  int damaged_lines = 0;               // unreadable lines, skipped
};

// Fails with what could not be written (the file keeps its old content then).
Status SaveAlertState(const std::string& path, const std::vector<PersistedAlert>& alerts);
// What the file holds, else why none of it can be used (larger than kMaxAlertStateBytes, or
// not an alert state file): the next save replaces it then. A missing file holds no alerts.
// Removes a stale `<path>.tmp`.
Result<LoadedAlertState> LoadAlertState(const std::string& path);

}  // namespace gx
