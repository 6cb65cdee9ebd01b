// Reads a whole file that must be small (configuration, certificates, secrets), with a bound
// on its size so that a wrong path (/dev/zero, a log file) is an error, not a hang or an
// out-of-memory. Thread-safe (no state).
#pragma once

#include <cstddef>
#include <string>

namespace gx {

// Reads `path` into `content`. Returns "" on success, else why not: "cannot read PATH: REASON"
// or "PATH is larger than N bytes".
std::string ReadFileBounded(const std::string& path, std::size_t max_bytes, std::string& content);

}  // namespace gx
