#include "exporter/outputs/http/listen_sockets.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace gx {
namespace {

// Why the socket could not be opened, and whether IPv6 itself is missing.
struct OpenFailure {
  std::string reason;
  bool no_ipv6 = false;
};

int OpenBound(const sockaddr* addr, socklen_t len, bool dual_stack, OpenFailure& failure) {
  const int fd = ::socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
  if (fd < 0) {
    failure.no_ipv6 = addr->sa_family == AF_INET6 && (errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT);
    failure.reason = std::strerror(errno);
    return -1;
  }
  const int yes = 1, no = 0;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  if (addr->sa_family == AF_INET6 &&
      ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, dual_stack ? &no : &yes, sizeof(int)) != 0) {
    failure.no_ipv6 = dual_stack;
    failure.reason = std::string("IPV6_V6ONLY: ") + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  if (::bind(fd, addr, len) != 0 || ::listen(fd, kListenBacklog) != 0) {
    failure.no_ipv6 = addr->sa_family == AF_INET6 && errno == EADDRNOTAVAIL && dual_stack;
    failure.reason = std::strerror(errno);
    ::close(fd);
    return -1;
  }
  return fd;
}

bool IsWildcard(const std::string& host) { return host.empty() || host == "0.0.0.0" || host == "::"; }

}  // namespace

bool SplitListenAddress(const std::string& address, std::string& host, int& port) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  host = address.substr(0, colon);
  std::string p = address.substr(colon + 1);
  if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos) return false;
  port = std::stoi(p);
  if (port > 65535) return false;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  return true;
}

bool DescribeBoundSocket(int fd, int& port, std::string& bound) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return false;
  char text[INET6_ADDRSTRLEN] = {0};
  if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    ::inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
    port = ntohs(a->sin_port);
    bound = std::string(text) + ":" + std::to_string(port);
    return true;
  }
  if (ss.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
    port = ntohs(a->sin6_port);
    int v6only = 1;
    socklen_t optlen = sizeof v6only;
    ::getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &optlen);
    // Appended to a new string: "[" + std::string(...), or assigning into `bound`, made GCC 12 -O3
    // warn falsely (-Wrestrict).
    std::string b = "[";
    b.append(text).append("]:").append(std::to_string(port));
    if (!v6only) b.append(" (IPv6 and IPv4)");
    bound = std::move(b);
    return true;
  }
  return false;
}

Result<ListenSocket> OpenListenSocket(const std::string& address) {
  std::string host;
  int port = 0;
  if (!SplitListenAddress(address, host, port)) {
    return Result<ListenSocket>::Error("invalid address \"" + address + "\" (want host:port or :port)");
  }
  ListenSocket out;
  OpenFailure failure;
  int fd = -1;
  if (IsWildcard(host)) {
    sockaddr_in6 any6{};
    any6.sin6_family = AF_INET6;
    any6.sin6_addr = in6addr_any;
    any6.sin6_port = htons(static_cast<uint16_t>(port));
    fd = OpenBound(reinterpret_cast<sockaddr*>(&any6), sizeof any6, true, failure);
    if (fd < 0 && failure.no_ipv6) {
      out.note = "IPv6 is not available (" + failure.reason + "): listening on IPv4 only";
      sockaddr_in any4{};
      any4.sin_family = AF_INET;
      any4.sin_addr.s_addr = htonl(INADDR_ANY);
      any4.sin_port = htons(static_cast<uint16_t>(port));
      fd = OpenBound(reinterpret_cast<sockaddr*>(&any4), sizeof any4, false, failure);
    }
  } else {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
      return Result<ListenSocket>::Error(std::string("cannot resolve ") + host + ": " + ::gai_strerror(rc));
    }
    failure.reason = "no address";
    for (addrinfo* ai = found; ai != nullptr && fd < 0; ai = ai->ai_next) {
      fd = OpenBound(ai->ai_addr, ai->ai_addrlen, false, failure);
    }
    ::freeaddrinfo(found);
  }
  if (fd < 0) return Result<ListenSocket>::Error(failure.reason);
  out.fd = fd;
  DescribeBoundSocket(fd, out.port, out.bound);
  return out;
}

}  // namespace gx
