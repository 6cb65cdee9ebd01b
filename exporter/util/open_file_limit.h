// Raises the soft limit on open file descriptors (RLIMIT_NOFILE) to the hard limit at start,
// as Go programs do since Go 1.19: the web server, webhooks and TLS probes share one process
// and each connection is a descriptor. Call once at start; thread-safe (no shared state).
#pragma once

#include <cstdint>

#include "exporter/util/result.h"

namespace gx {

struct OpenFileLimit {
  std::uint64_t soft_before = 0;
  std::uint64_t soft = 0;  // now in force
  std::uint64_t hard = 0;
  Status status;           // failed when the limit could not be read or raised
};

// `cap` (tests) bounds the raised limit; the default is the hard limit.
OpenFileLimit RaiseOpenFileLimit(std::uint64_t cap = UINT64_MAX);

// The soft limit in force now (0 when it cannot be read).
std::uint64_t CurrentOpenFileLimit();

}  // namespace gx
