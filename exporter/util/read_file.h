// Reads a whole file that must be small (configuration, certificates, secrets), with a bound
// on its size so that a wrong path (a log file) is an error, not an out-of-memory. Only regular
// files are read: a FIFO, a socket or a device (/dev/zero) is an error at once, never a wait for
// a writer or a read that never ends. The bytes read are left in the returned text only: a
// buffer that held them is wiped before it is freed (keys, passwords), and so is the text when
// the read fails. Thread-safe (no state).
#pragma once

#include <cstddef>
#include <string>

#include "exporter/util/result.h"

namespace gx {

// The whole of `path`, else why not: "cannot read PATH: REASON" (REASON "not a regular file"
// for a FIFO or device) or "PATH is larger than N bytes".
Result<std::string> ReadFileBounded(const std::string& path, std::size_t max_bytes);

}  // namespace gx
