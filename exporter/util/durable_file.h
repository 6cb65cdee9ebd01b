// Durable file writes for the spool folder: directories created with a private mode,
// whole files replaced atomically (temp file, fsync, rename, directory fsync; the temp
// file never outlives a failure), lines appended with fsync, and a write probe.
// Each function returns a Status that names the path and the failing step. Thread-safe (no
// state) as long as callers use distinct paths.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "exporter/util/result.h"

namespace gx {

// mkdir -p: creates `dir` and each missing parent with `mode`. An existing directory
// is left as it is; an existing non-directory on the way is an error.
Status MakeDirectories(const std::string& dir, mode_t mode = 0700);

// Replaces `path` with `data` through `<path>.tmp`, so that a crash leaves either the
// old or the new content. On any failure the temp file is removed.
Status WriteFileAtomically(const std::string& path, std::string_view data, mode_t mode = 0600);

// Appends `line` and a newline to `path` (created with mode 0600) and fsyncs it.
Status AppendLineDurably(const std::string& path, std::string_view line);

// Writes, syncs and removes a probe file in `dir`: whether files can be written there now.
Status ProbeWritable(const std::string& dir);

// fsyncs a directory so that a rename or unlink in it is durable. Best effort.
void SyncDirectory(const std::string& dir);

}  // namespace gx
