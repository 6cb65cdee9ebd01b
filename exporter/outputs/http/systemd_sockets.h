// --web.systemd-socket: the listening sockets systemd passed by socket activation
// (LISTEN_FDS / LISTEN_PID, read with libsystemd's sd_listen_fds), instead of binding
// --web.listen-address. Call once, at start, before other threads exist (it unsets the
// variables so that child processes do not inherit them).
#pragma once

#include <string>
#include <vector>

#include "exporter/outputs/http/listen_sockets.h"
#include "exporter/util/result.h"

namespace gx {

// Every passed socket, which must all be listening TCP sockets. Fails when none was passed or
// one is of another kind (a UNIX or datagram socket, a file).
Result<std::vector<ListenSocket>> TakeSystemdSockets();

}  // namespace gx
