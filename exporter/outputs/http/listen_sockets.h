// Listening TCP sockets for --web.listen-address: "host:port", "[v6]:port" or ":port". A
// wildcard host (":9786", "0.0.0.0", "::") listens on IPv6 and IPv4 with one socket, as Go
// exporters do, or on IPv4 alone (said in `note`) when the machine has no IPv6. A full listen
// backlog, SO_REUSEADDR (never SO_REUSEPORT, so a busy port fails), close-on-exec.
// Thread-safe (no shared state).
#pragma once

#include <string>
#include <vector>

#include "exporter/util/result.h"

namespace gx {

struct ListenSocket {
  int fd = -1;
  int port = 0;
  std::string bound;  // what it listens on: "[::]:9786 (IPv6 and IPv4)", "127.0.0.1:9786"
  std::string note;   // non-empty when less than asked was possible (IPv4 only)
};

// Splits "host:port", "[v6]:port" or ":port" ("0.0.0.0" for an empty host). False when malformed.
bool SplitListenAddress(const std::string& address, std::string& host, int& port);

// Binds and listens on `address` (port 0 picks a free one). A failure says why (e.g. "Address
// already in use"), and opens nothing.
Result<ListenSocket> OpenListenSocket(const std::string& address);

// The port and printable address a listening socket is bound to ("" when it is not an IP socket).
bool DescribeBoundSocket(int fd, int& port, std::string& bound);

// The listen backlog: the kernel caps it at net.core.somaxconn.
inline constexpr int kListenBacklog = 4096;

}  // namespace gx
