// Blocking network steps that never wait past a deadline and notice a cancel
// flag within 100 ms: resolve, connect, and driving a non-blocking OpenSSL call
// to completion. Each failure says what kind it is (timeout, cancelled, other)
// and carries a message for the log. Any thread; no shared state.
#pragma once

#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <openssl/types.h>  // SSL, without the whole of ssl.h

namespace gx::tls {

using Deadline = std::chrono::steady_clock::time_point;

// Why a step did not complete.
enum class IoFailure {
  kNone,
  kTimeout,    // the deadline passed
  kCancelled,  // the cancel flag was raised
  kError,      // anything else: refused, reset, closed, a TLS error, ...
};

struct IoError {
  IoFailure kind = IoFailure::kNone;
  std::string message;  // e.g. "connect timeout", "cancelled", "connection refused"
};

// Where to stop waiting.
struct WaitLimit {
  Deadline deadline;
  const std::atomic<bool>* cancel = nullptr;
  bool cancelled() const { return cancel != nullptr && cancel->load(); }
};

// An owned file descriptor.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& o) noexcept;
  Fd& operator=(Fd&& o) noexcept;
  ~Fd() { Reset(); }
  int get() const { return fd_; }
  void Reset();

 private:
  int fd_;
};

// OpenSSL writes with write(2), so a peer that closed early would raise SIGPIPE
// and kill the process. Blocks it on this thread while alive and swallows any
// SIGPIPE raised meanwhile, without touching the process-wide disposition.
class SigpipeGuard {
 public:
  SigpipeGuard();
  ~SigpipeGuard();
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t old_;
  bool was_pending_ = false;
};

struct Address {
  sockaddr_storage addr{};
  socklen_t len = 0;
  int family = 0;
};

bool IsIpLiteral(const std::string& host);

// Waits for `events` (POLLIN/POLLOUT) on fd, in slices so that a cancel is seen.
IoFailure WaitFd(int fd, short events, const WaitLimit& limit);

// host:port's addresses (getaddrinfo_a; an IP literal needs no lookup). Empty and an error on failure.
std::vector<Address> Resolve(const std::string& host, int port, const WaitLimit& limit, IoError& error);

// A non-blocking TCP connection (TCP_NODELAY) to the first address that accepts; an
// invalid Fd and an error on failure. The deadline is shared by all addresses.
Fd Connect(const std::vector<Address>& addrs, const WaitLimit& limit, IoError& error);

// Runs `op` (SSL_connect, SSL_read, SSL_write, ...) until it returns > 0, waiting on fd
// as OpenSSL asks. Returns that result, or 0 with `error` set; `stage` names the step
// in messages ("handshake timeout", "connection closed during handshake").
int DriveSsl(SSL* ssl, int fd, const std::function<int()>& op, const WaitLimit& limit, const std::string& stage,
             IoError& error);

// The reason of the oldest queued OpenSSL error (e.g. "wrong version number"), or
// `fallback`; clears the queue.
std::string OpenSslError(const std::string& fallback);

}  // namespace gx::tls
