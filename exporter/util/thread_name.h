// Names the calling thread for top -H, perf, gdb and /proc/PID/task/*/comm, so that an operator
// can tell the WebSocket I/O thread from the push applier or a poller. Linux keeps 15 bytes:
// longer names are cut.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gx {

inline constexpr std::size_t kThreadNameMax = 15;

void NameThisThread(std::string_view name);
// The calling thread's name, as the kernel holds it.
std::string ThisThreadName();

}  // namespace gx
