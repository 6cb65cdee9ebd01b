// Test helpers for servers on the loopback interface, at the socket level: a raw TCP client
// that sends exactly the bytes a test wants (a header one byte at a time, a body that never
// ends) and reads a response with deadlines; and probes of the server's own sockets in this
// process (TCP_NODELAY of accepted sockets, the listen backlog, open descriptors).
// Header-only; single-threaded use of each object.
#pragma once

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace gx::testing {

class LoopbackSocket {
 public:
  // Connects to 127.0.0.1:port (or [::1]:port); ok() tells whether it worked.
  explicit LoopbackSocket(int port, int family = AF_INET) {
    fd_ = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    int rc = -1;
    if (family == AF_INET6) {
      sockaddr_in6 a{};
      a.sin6_family = AF_INET6;
      a.sin6_addr = in6addr_loopback;
      a.sin6_port = htons(static_cast<uint16_t>(port));
      rc = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    } else {
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      a.sin_port = htons(static_cast<uint16_t>(port));
      rc = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    }
    if (rc != 0) Close();
  }
  ~LoopbackSocket() { Close(); }
  LoopbackSocket(LoopbackSocket&& o) noexcept : fd_(o.fd_), received_(std::move(o.received_)) { o.fd_ = -1; }
  LoopbackSocket(const LoopbackSocket&) = delete;
  LoopbackSocket& operator=(const LoopbackSocket&) = delete;

  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // Sends all of `data` unless the peer stops taking it for `limit` or closes. Returns the
  // bytes sent.
  size_t Send(std::string_view data, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    size_t sent = 0;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (fd_ >= 0 && sent < data.size()) {
      pollfd p{fd_, POLLOUT, 0};
      if (::poll(&p, 1, Remaining(deadline)) <= 0 || (p.revents & (POLLERR | POLLHUP))) break;
      const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) continue;
        break;
      }
      sent += static_cast<size_t>(n);
    }
    return sent;
  }

  // Reads what has arrived within `wait` (without blocking longer) into received().
  // Returns false once the peer has closed (EOF or reset).
  bool Poll(std::chrono::milliseconds wait = std::chrono::milliseconds(0)) {
    if (fd_ < 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return true;
    char buf[16384];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) {
      received_.append(buf, static_cast<size_t>(n));
      return true;
    }
    return n < 0 && (errno == EAGAIN || errno == EINTR);
  }

  // Reads until one whole response (header and Content-Length body) has arrived, the peer
  // closes, or `limit` passes. Returns the response ("" when none), removed from received().
  std::string ReadResponse(std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
      const size_t end = received_.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t length = 0;
        const std::string head = received_.substr(0, end);
        const auto cl = Lower(head).find("\r\ncontent-length:");
        if (cl != std::string::npos) length = std::strtoul(head.c_str() + cl + 17, nullptr, 10);
        if (received_.size() >= end + 4 + length) {
          std::string out = received_.substr(0, end + 4 + length);
          received_.erase(0, out.size());
          return out;
        }
      }
      if (std::chrono::steady_clock::now() >= deadline) return "";
      if (!Poll(std::chrono::milliseconds(20))) {
        std::string out = std::move(received_);
        received_.clear();
        return out.find("\r\n\r\n") != std::string::npos ? out : "";
      }
    }
  }

  // Waits until the peer closes the connection. False when it is still open after `limit`.
  bool WaitClosed(std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!Poll(std::chrono::milliseconds(20))) return true;
      if (received_.size() > (1u << 20)) received_.clear();
    }
    return false;
  }

  const std::string& received() const { return received_; }

 private:
  static int Remaining(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
  }
  static std::string Lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  int fd_ = -1;
  std::string received_;
};

// The status code of a raw response ("HTTP/1.1 413 ..."), 0 when there is none.
inline int StatusOf(const std::string& response) {
  if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12) return 0;
  return std::atoi(response.c_str() + 9);
}

// The descriptors this process has open.
inline int OpenDescriptors() {
  int n = 0;
  if (DIR* d = ::opendir("/proc/self/fd")) {
    while (const dirent* e = ::readdir(d)) n += e->d_name[0] != '.';
    ::closedir(d);
  }
  return n - 1;  // the directory stream's own
}

// For every connected socket of this process whose local port is `port` (the server side of
// its accepted connections): whether TCP_NODELAY is set.
inline std::vector<bool> AcceptedSocketsNoDelay(int port) {
  std::vector<int> fds;
  if (DIR* d = ::opendir("/proc/self/fd")) {
    while (const dirent* e = ::readdir(d)) {
      if (e->d_name[0] != '.') fds.push_back(std::atoi(e->d_name));
    }
    ::closedir(d);
  }
  std::vector<bool> out;
  for (int fd : fds) {
    sockaddr_storage local{}, peer{};
    socklen_t llen = sizeof local, plen = sizeof peer;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &llen) != 0) continue;
    int local_port = 0;
    if (local.ss_family == AF_INET) local_port = ntohs(reinterpret_cast<sockaddr_in*>(&local)->sin_port);
    if (local.ss_family == AF_INET6) local_port = ntohs(reinterpret_cast<sockaddr_in6*>(&local)->sin6_port);
    if (local_port != port || ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &plen) != 0) continue;
    int nodelay = 0;
    socklen_t len = sizeof nodelay;
    ::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, &len);
    out.push_back(nodelay != 0);
  }
  return out;
}

// The listen backlog of the socket listening on `port`, from `ss` (its Send-Q column);
// -1 when ss is not installed or shows no such socket.
inline int ListenBacklog(int port) {
  const std::string cmd = "ss -ltnH 'sport = :" + std::to_string(port) + "' 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return -1;
  char line[512];
  int backlog = -1;
  if (std::fgets(line, sizeof line, p) != nullptr) {
    char state[32];
    int recv_q = 0, send_q = 0;
    if (std::sscanf(line, "%31s %d %d", state, &recv_q, &send_q) == 3) backlog = send_q;
  }
  ::pclose(p);
  return backlog;
}

// Whether this machine can connect to [::1].
inline bool HasIpv6Loopback() {
  const int fd = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_addr = in6addr_loopback;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

}  // namespace gx::testing
