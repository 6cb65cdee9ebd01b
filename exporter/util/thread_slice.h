// Asks the kernel for a short time slice for the calling thread, for the few threads whose delay
// an operator sees: the WebSocket I/O thread (heartbeats) and the push applier (an event's delay
// to the snapshot). Under CPU contention (a 50,000-phone scrape rendering on the other core) a
// woken thread with a short slice runs before the running one's slice ends; its CPU share is
// unchanged. Linux 6.12 and later honour it (EEVDF's custom slices, no privilege needed); older
// kernels accept and ignore it.
#pragma once

#include <chrono>

#include "exporter/util/result.h"

namespace gx {

inline constexpr std::chrono::microseconds kShortSlice{100};

// The calling thread keeps its policy and nice value. Fails (and changes nothing) outside the
// normal policy, or where the kernel has no sched_setattr.
Status RequestShortSlice(std::chrono::microseconds slice = kShortSlice);
// RequestShortSlice() for a thread the push path's delay depends on (name it first: the log says
// which); a refusal is logged at debug level only, since the thread works the same without it.
void RequestShortSliceOrLog();
// The calling thread's slice as the kernel reports it (0 where it has none to report).
std::chrono::microseconds ThisThreadSlice();

}  // namespace gx
