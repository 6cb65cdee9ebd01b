#include "exporter/sources/tls/deadline_socket.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace gx::tls {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Longest single wait, so that a cancel request is noticed promptly.
constexpr auto kWaitSlice = std::chrono::milliseconds(100);

void Set(IoError& error, IoFailure kind, std::string message) {
  error.kind = kind;
  error.message = std::move(message);
}

// strerror(err) starting in lower case, to read well after a colon.
std::string LowerStrerror(int err) {
  std::string s = std::strerror(err);
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

// A failed wait as an error of `stage`.
void SetWait(IoError& error, IoFailure w, const std::string& stage) {
  switch (w) {
    case IoFailure::kTimeout: return Set(error, w, stage + " timeout");
    case IoFailure::kCancelled: return Set(error, w, "cancelled");
    default: return Set(error, IoFailure::kError, stage + " poll failed");
  }
}

// An asynchronous lookup's buffers must outlive a request that could not be cancelled.
struct AsyncLookup {
  std::string host;
  std::string service;
  addrinfo hints{};
  gaicb cb{};
};

// The addresses of a lookup's result, which it frees.
std::vector<Address> TakeAddresses(addrinfo* result, IoError& error) {
  std::vector<Address> out;
  for (addrinfo* ai = result; ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_addrlen > sizeof(sockaddr_storage)) continue;
    Address a;
    std::memcpy(&a.addr, ai->ai_addr, ai->ai_addrlen);
    a.len = ai->ai_addrlen;
    a.family = ai->ai_family;
    out.push_back(a);
  }
  freeaddrinfo(result);
  if (out.empty()) Set(error, IoFailure::kError, "resolve failed: no addresses");
  return out;
}

}  // namespace

Fd::Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}

Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    Reset();
    fd_ = std::exchange(o.fd_, -1);
  }
  return *this;
}

void Fd::Reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

SigpipeGuard::SigpipeGuard() {
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  sigset_t pending;
  sigpending(&pending);
  was_pending_ = sigismember(&pending, SIGPIPE) == 1;
  pthread_sigmask(SIG_BLOCK, &pipe, &old_);
}

SigpipeGuard::~SigpipeGuard() {
  sigset_t pending;
  sigpending(&pending);
  if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    timespec zero{0, 0};
    while (sigtimedwait(&pipe, nullptr, &zero) == -1 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_, nullptr);
}

bool IsIpLiteral(const std::string& host) {
  in6_addr a6;
  in_addr a4;
  return inet_pton(AF_INET, host.c_str(), &a4) == 1 || inet_pton(AF_INET6, host.c_str(), &a6) == 1;
}

IoFailure WaitFd(int fd, short events, const WaitLimit& limit) {
  while (true) {
    if (limit.cancelled()) return IoFailure::kCancelled;
    auto now = SteadyClock::now();
    if (now >= limit.deadline) return IoFailure::kTimeout;
    auto slice = std::min<SteadyClock::duration>(limit.deadline - now, kWaitSlice);
    int ms = static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(slice).count());
    pollfd p{fd, events, 0};
    int rc = ::poll(&p, 1, ms);
    if (rc > 0) return IoFailure::kNone;
    if (rc < 0 && errno != EINTR) return IoFailure::kError;
  }
}

// An IP literal needs no lookup, so no resolver thread: those threads are started inside
// glibc, where ThreadSanitizer cannot see them, and crashed the TSan runs (docs/reliability.md).
std::vector<Address> Resolve(const std::string& host, int port, const WaitLimit& limit, IoError& error) {
  if (IsIpLiteral(host)) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    addrinfo* result = nullptr;
    if (int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &result); rc != 0) {
      Set(error, IoFailure::kError, std::string("resolve failed: ") + gai_strerror(rc));
      return {};
    }
    return TakeAddresses(result, error);
  }
  auto lookup = std::make_unique<AsyncLookup>();
  lookup->host = host;
  lookup->service = std::to_string(port);
  lookup->hints.ai_socktype = SOCK_STREAM;
  lookup->hints.ai_family = AF_UNSPEC;
  lookup->hints.ai_flags = AI_ADDRCONFIG | AI_NUMERICSERV;
  lookup->cb.ar_name = lookup->host.c_str();
  lookup->cb.ar_service = lookup->service.c_str();
  lookup->cb.ar_request = &lookup->hints;
  gaicb* list[1] = {&lookup->cb};
  if (getaddrinfo_a(GAI_NOWAIT, list, 1, nullptr) != 0) {
    Set(error, IoFailure::kError, "resolve failed");
    return {};
  }
  while (gai_error(&lookup->cb) == EAI_INPROGRESS) {
    auto now = SteadyClock::now();
    if (now >= limit.deadline || limit.cancelled()) {
      SetWait(error, limit.cancelled() ? IoFailure::kCancelled : IoFailure::kTimeout, "resolve");
      if (gai_cancel(&lookup->cb) != EAI_CANCELED && gai_error(&lookup->cb) == EAI_INPROGRESS) {
        (void)lookup.release();  // still in use by the resolver thread: leak rather than corrupt
        return {};
      }
      if (gai_error(&lookup->cb) == 0 && lookup->cb.ar_result) freeaddrinfo(lookup->cb.ar_result);
      return {};
    }
    auto slice = std::min<SteadyClock::duration>(limit.deadline - now, kWaitSlice);
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(slice).count();
    timespec ts{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
    const gaicb* wait_list[1] = {&lookup->cb};
    gai_suspend(wait_list, 1, &ts);
  }
  int rc = gai_error(&lookup->cb);
  if (rc != 0) {
    Set(error, IoFailure::kError, std::string("resolve failed: ") + gai_strerror(rc));
    return {};
  }
  return TakeAddresses(lookup->cb.ar_result, error);
}

Fd Connect(const std::vector<Address>& addrs, const WaitLimit& limit, IoError& error) {
  error = {};
  for (const auto& a : addrs) {
    Fd fd(::socket(a.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (fd.get() < 0) {
      Set(error, IoFailure::kError, "socket: " + LowerStrerror(errno));
      continue;
    }
    int rc = ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&a.addr), a.len);
    if (rc != 0 && errno != EINPROGRESS) {
      Set(error, IoFailure::kError, LowerStrerror(errno));
      continue;
    }
    if (rc != 0) {
      if (IoFailure w = WaitFd(fd.get(), POLLOUT, limit); w != IoFailure::kNone) {
        SetWait(error, w, "connect");
        return Fd();  // the deadline is shared: no time left for other addresses
      }
      int so_error = 0;
      socklen_t len = sizeof(so_error);
      ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &so_error, &len);
      if (so_error != 0) {
        Set(error, IoFailure::kError, LowerStrerror(so_error));
        continue;
      }
    }
    // Small request/response exchanges (SIP OPTIONS): do not let Nagle hold them back.
    int one = 1;
    ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    error = {};
    return fd;
  }
  if (error.message.empty()) Set(error, IoFailure::kError, "no address to connect to");
  return Fd();
}

std::string OpenSslError(const std::string& fallback) {
  unsigned long e = ERR_peek_error();
  std::string out = fallback;
  if (e != 0 && ERR_SYSTEM_ERROR(e)) {
    out = LowerStrerror(static_cast<int>(ERR_GET_REASON(e)));
  } else if (e != 0) {
    const char* reason = ERR_reason_error_string(e);
    out = reason ? reason : ERR_error_string(e, nullptr);
  }
  ERR_clear_error();
  return out;
}

int DriveSsl(SSL* ssl, int fd, const std::function<int()>& op, const WaitLimit& limit, const std::string& stage,
             IoError& error) {
  while (true) {
    ERR_clear_error();
    errno = 0;
    int r = op();
    if (r > 0) return r;
    int err = SSL_get_error(ssl, r);
    short events = 0;
    if (err == SSL_ERROR_WANT_READ) {
      events = POLLIN;
    } else if (err == SSL_ERROR_WANT_WRITE) {
      events = POLLOUT;
    } else if (err == SSL_ERROR_ZERO_RETURN) {
      Set(error, IoFailure::kError, "connection closed during " + stage);
      return 0;
    } else if (err == SSL_ERROR_SYSCALL) {
      int saved = errno;
      Set(error, IoFailure::kError,
          OpenSslError(saved != 0 ? LowerStrerror(saved) : "connection closed during " + stage));
      return 0;
    } else {
      Set(error, IoFailure::kError, OpenSslError(stage + " failed"));
      return 0;
    }
    if (IoFailure w = WaitFd(fd, events, limit); w != IoFailure::kNone) {
      SetWait(error, w, stage);
      return 0;
    }
  }
}

}  // namespace gx::tls
