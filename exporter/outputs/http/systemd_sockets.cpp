#include "exporter/outputs/http/systemd_sockets.h"

#include <systemd/sd-daemon.h>

#include <cstring>

namespace gx {

Result<std::vector<ListenSocket>> TakeSystemdSockets() {
  using Sockets = Result<std::vector<ListenSocket>>;
  const int n = sd_listen_fds(1);
  if (n < 0) return Sockets::Error(std::string("socket activation: ") + std::strerror(-n));
  if (n == 0) {
    return Sockets::Error("no socket activation file descriptors found (LISTEN_FDS/LISTEN_PID not set for this process)");
  }
  std::vector<ListenSocket> taken;
  for (int fd = SD_LISTEN_FDS_START; fd < SD_LISTEN_FDS_START + n; ++fd) {
    ListenSocket s;
    s.fd = fd;
    if (sd_is_socket_inet(fd, AF_UNSPEC, SOCK_STREAM, 1, 0) <= 0 || !DescribeBoundSocket(fd, s.port, s.bound)) {
      return Sockets::Error("socket activation: file descriptor " + std::to_string(fd) +
                            " is not a listening TCP socket (use ListenStream= with an IP address or port)");
    }
    taken.push_back(std::move(s));
  }
  return taken;
}

}  // namespace gx
