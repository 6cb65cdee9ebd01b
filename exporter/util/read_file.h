// Reads a whole file that must be small (configuration, certificates, secrets), with a bound
// on its size so that a wrong path (a log file) is an error, not an out-of-memory. Only regular
// files are read: a FIFO, a socket or a device (/dev/zero) is an error at once, never a wait for
// a writer or a read that never ends. The bytes read are left in `content` only: a buffer that
// held them is wiped before it is freed (keys, passwords). Thread-safe (no state).
#pragma once

#include <cstddef>
#include <string>

namespace gx {

// Reads `path` into `content` (wiping what it held). Returns "" on success, else why not:
// "cannot read PATH: REASON" (REASON "not a regular file" for a FIFO or device) or "PATH is
// larger than N bytes".
std::string ReadFileBounded(const std::string& path, std::size_t max_bytes, std::string& content);

}  // namespace gx
