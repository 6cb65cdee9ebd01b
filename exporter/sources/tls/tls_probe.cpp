#include "exporter/sources/tls/tls_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "exporter/sources/tls/cert_facts.h"
#include "exporter/sources/tls/sip_options.h"

namespace gx::tls {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Longest single wait, so that a cancel request is noticed promptly.
constexpr auto kWaitSlice = std::chrono::milliseconds(100);
// A real answer takes one or two reads; a byte-trickling peer is cut off here (each
// scan is linear in what arrived, so this also bounds the scanning work).
constexpr int kMaxSipReads = 1024;

struct CtxDeleter {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslDeleter {
  void operator()(SSL* s) const { SSL_free(s); }
};
struct StoreCtxDeleter {
  void operator()(X509_STORE_CTX* c) const { X509_STORE_CTX_free(c); }
};

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      Reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  ~Fd() { Reset(); }
  int get() const { return fd_; }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// OpenSSL writes with write(2), so a peer that closed early would raise SIGPIPE
// and kill the process. Block it on this thread for the probe and swallow any
// SIGPIPE the probe caused, without touching the process-wide disposition.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe, &old_);
  }
  ~SigpipeGuard() {
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
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t old_;
  bool was_pending_ = false;
};

enum class Wait { kReady, kTimeout, kCancelled, kError };

bool Cancelled(const TlsProbeSettings& s) { return s.cancel != nullptr && s.cancel->load(); }

// Waits for `events` on fd until the deadline, in slices so that cancel is seen.
Wait WaitFd(int fd, short events, Deadline deadline, const TlsProbeSettings& s) {
  while (true) {
    if (Cancelled(s)) return Wait::kCancelled;
    auto now = SteadyClock::now();
    if (now >= deadline) return Wait::kTimeout;
    auto slice = std::min<SteadyClock::duration>(deadline - now, kWaitSlice);
    int ms = static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(slice).count());
    pollfd p{fd, events, 0};
    int rc = ::poll(&p, 1, ms);
    if (rc > 0) return Wait::kReady;
    if (rc < 0 && errno != EINTR) return Wait::kError;
  }
}

std::string WaitError(Wait w, const std::string& stage) {
  switch (w) {
    case Wait::kTimeout: return stage + " timeout";
    case Wait::kCancelled: return "cancelled";
    default: return stage + " poll failed";
  }
}

std::string LowerStrerror(int err) {
  std::string s = std::strerror(err);
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

bool IsIpLiteral(const std::string& host) {
  in6_addr a6;
  in_addr a4;
  return inet_pton(AF_INET, host.c_str(), &a4) == 1 || inet_pton(AF_INET6, host.c_str(), &a6) == 1;
}

struct Address {
  sockaddr_storage addr{};
  socklen_t len = 0;
  int family = 0;
};

// An asynchronous lookup's buffers must outlive a request that could not be cancelled.
struct AsyncLookup {
  std::string host;
  std::string service;
  addrinfo hints{};
  gaicb cb{};
};

// The addresses of a lookup's result, which it frees.
std::vector<Address> TakeAddresses(addrinfo* result, std::string& error) {
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
  if (out.empty()) error = "resolve failed: no addresses";
  return out;
}

// Resolves host:port without blocking past the deadline (getaddrinfo_a). An IP literal
// needs no lookup, so no resolver thread: those threads are started inside glibc, where
// ThreadSanitizer cannot see them, and crashed the TSan runs (docs/reliability.md).
std::vector<Address> Resolve(const std::string& host, int port, Deadline deadline, const TlsProbeSettings& s,
                             std::string& error) {
  if (IsIpLiteral(host)) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    addrinfo* result = nullptr;
    if (int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &result); rc != 0) {
      error = std::string("resolve failed: ") + gai_strerror(rc);
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
    error = "resolve failed";
    return {};
  }
  while (gai_error(&lookup->cb) == EAI_INPROGRESS) {
    auto now = SteadyClock::now();
    if (now >= deadline || Cancelled(s)) {
      error = Cancelled(s) ? "cancelled" : "resolve timeout";
      if (gai_cancel(&lookup->cb) != EAI_CANCELED && gai_error(&lookup->cb) == EAI_INPROGRESS) {
        (void)lookup.release();  // still in use by the resolver thread: leak rather than corrupt
        return {};
      }
      if (gai_error(&lookup->cb) == 0 && lookup->cb.ar_result) freeaddrinfo(lookup->cb.ar_result);
      return {};
    }
    auto slice = std::min<SteadyClock::duration>(deadline - now, kWaitSlice);
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(slice).count();
    timespec ts{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
    const gaicb* wait_list[1] = {&lookup->cb};
    gai_suspend(wait_list, 1, &ts);
  }
  int rc = gai_error(&lookup->cb);
  if (rc != 0) {
    error = std::string("resolve failed: ") + gai_strerror(rc);
    return {};
  }
  return TakeAddresses(lookup->cb.ar_result, error);
}

// Connects to the first address that accepts, all within the deadline.
Fd Connect(const std::vector<Address>& addrs, Deadline deadline, const TlsProbeSettings& s, std::string& error) {
  for (const auto& a : addrs) {
    Fd fd(::socket(a.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (fd.get() < 0) {
      error = "socket: " + LowerStrerror(errno);
      continue;
    }
    int rc = ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&a.addr), a.len);
    if (rc != 0 && errno != EINPROGRESS) {
      error = LowerStrerror(errno);
      continue;
    }
    if (rc != 0) {
      Wait w = WaitFd(fd.get(), POLLOUT, deadline, s);
      if (w != Wait::kReady) {
        error = WaitError(w, "connect");
        return Fd();  // the deadline is shared: no time left for other addresses
      }
      int so_error = 0;
      socklen_t len = sizeof(so_error);
      ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &so_error, &len);
      if (so_error != 0) {
        error = LowerStrerror(so_error);
        continue;
      }
    }
    // Small request/response exchanges (SIP OPTIONS): do not let Nagle hold them back.
    int one = 1;
    ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    error.clear();
    return fd;
  }
  if (error.empty()) error = "no address to connect to";
  return Fd();
}

// The reason of the oldest queued OpenSSL error, e.g. "wrong version number".
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

// Drives one non-blocking SSL call to completion within the deadline. Returns
// the call's positive result, or 0 with `error` set.
template <typename Op>
int DriveSsl(SSL* ssl, int fd, Op op, Deadline deadline, const TlsProbeSettings& s, const std::string& stage,
             std::string& error) {
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
      error = "connection closed during " + stage;
      return 0;
    } else if (err == SSL_ERROR_SYSCALL) {
      int saved = errno;
      error = OpenSslError(saved != 0 ? LowerStrerror(saved) : "connection closed during " + stage);
      return 0;
    } else {
      error = OpenSslError(stage + " failed");
      return 0;
    }
    Wait w = WaitFd(fd, events, deadline, s);
    if (w != Wait::kReady) {
      error = WaitError(w, stage);
      return 0;
    }
  }
}

std::string RandomToken() {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return "0000000000000000";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0f]);
  }
  return out;
}

// The failure class of a DriveSsl error during the SIP exchange.
const char* SipIoFailure(const std::string& error) {
  constexpr std::string_view kTimeout = " timeout";
  if (error.size() >= kTimeout.size() && error.compare(error.size() - kTimeout.size(), kTimeout.size(), kTimeout) == 0)
    return kSipTimeout;
  return kSipConnection;
}

SipOptionsResult PingSipOptions(SSL* ssl, int fd, const std::string& host, int port, Deadline deadline,
                                const TlsProbeSettings& s) {
  SipOptionsResult out;
  out.attempted = true;
  auto fail = [&out](const char* failure, std::string error) {
    out.failure = failure;
    out.error = std::move(error);
    return out;
  };
  const std::string request = BuildSipOptionsRequest(host, port, RandomToken());
  const auto sent_at = SteadyClock::now();
  size_t written = 0;
  std::string error;
  while (written < request.size()) {
    int n = DriveSsl(
        ssl, fd,
        [&] { return SSL_write(ssl, request.data() + written, static_cast<int>(request.size() - written)); },
        deadline, s, "sip write", error);
    if (n <= 0) return fail(SipIoFailure(error), error);
    written += static_cast<size_t>(n);
  }
  std::string received;
  char buf[4096];
  for (int reads = 0; reads < kMaxSipReads; ++reads) {
    // A peer that always has bytes ready never makes DriveSsl wait, so check here too.
    if (Cancelled(s)) return fail(kSipConnection, "cancelled");
    if (SteadyClock::now() >= deadline) return fail(kSipTimeout, "sip response timeout");
    int n = DriveSsl(ssl, fd, [&] { return SSL_read(ssl, buf, sizeof(buf)); }, deadline, s, "sip response", error);
    if (n <= 0) return fail(SipIoFailure(error), error);
    received.append(buf, static_cast<size_t>(n));
    const SipScan scan = ScanSipResponses(received);
    if (scan.failure != nullptr) return fail(scan.failure, "invalid sip response: " + scan.error);
    if (scan.final_status) {
      out.status_code = scan.final_status;
      out.rtt_seconds = std::chrono::duration<double>(SteadyClock::now() - sent_at).count();
      return out;
    }
  }
  return fail(kSipLimit, "invalid sip response: no final response in " + std::to_string(kMaxSipReads) + " reads");
}

// Verifies the presented chain against the trust store without any name check,
// to tell a chain problem from a hostname problem.
bool VerifyChainOnly(SSL_CTX* ctx, SSL* ssl, X509* leaf, STACK_OF(X509)* chain, time_t at) {
  std::unique_ptr<X509_STORE_CTX, StoreCtxDeleter> sctx(X509_STORE_CTX_new());
  if (!sctx || X509_STORE_CTX_init(sctx.get(), SSL_CTX_get_cert_store(ctx), leaf, chain) != 1) return false;
  X509_STORE_CTX_set_default(sctx.get(), "ssl_server");
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(sctx.get());
  X509_VERIFY_PARAM_set_time(param, at);
  X509_VERIFY_PARAM_set_auth_level(param, SSL_get_security_level(ssl));
  return X509_verify_cert(sctx.get()) == 1;
}

bool HostnameMatches(X509* leaf, const std::string& name) {
  if (IsIpLiteral(name)) return X509_check_ip_asc(leaf, name.c_str(), 0) == 1;
  return X509_check_host(leaf, name.data(), name.size(), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr) == 1;
}

void Fail(TlsProbeResult& r, const char* stage, std::string error) {
  r.failed_stage = stage;
  r.error = std::move(error);
}

}  // namespace

TlsProbeResult ProbeTls(const TlsTarget& target, const TlsProbeSettings& settings, Deadline deadline,
                        const Clock& clock) {
  const auto started = SteadyClock::now();
  SigpipeGuard sigpipe_guard;
  TlsProbeResult r;
  r.target = target.key();
  r.probed_at = clock.Now();
  const std::string name = target.server_name.empty() ? target.host : target.server_name;
  r.server_name = name;
  const time_t verify_at = static_cast<time_t>(r.probed_at / kNanosPerSecond);
  auto finish = [&]() -> TlsProbeResult {
    r.duration_seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
    ERR_clear_error();
    return r;
  };

  // The context is per probe: each target may have its own trust anchors and client certificate.
  std::unique_ptr<SSL_CTX, CtxDeleter> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) {
    Fail(r, "setup", OpenSslError("cannot create TLS context"));
    return finish();
  }
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx.get(), TLS1_3_VERSION);
  // Verification always runs and its result is read below; VERIFY_NONE only keeps
  // a failure from aborting the handshake, so that a broken chain is still read.
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  if (!settings.ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(ctx.get(), settings.ca_file.c_str(), nullptr) != 1) {
      Fail(r, "setup", "cannot load ca_file " + settings.ca_file + ": " + OpenSslError("unreadable"));
      return finish();
    }
  } else if (SSL_CTX_set_default_verify_paths(ctx.get()) != 1) {
    Fail(r, "setup", "cannot load the system trust store: " + OpenSslError("unreadable"));
    return finish();
  }
  if (!settings.cert_file.empty()) {
    const std::string& key = settings.key_file.empty() ? settings.cert_file : settings.key_file;
    if (SSL_CTX_use_certificate_chain_file(ctx.get(), settings.cert_file.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx.get(), key.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx.get()) != 1) {
      Fail(r, "setup", "cannot load client certificate " + settings.cert_file + ": " + OpenSslError("unreadable"));
      return finish();
    }
  }

  std::string error;
  std::vector<Address> addrs = Resolve(target.host, target.port, deadline, settings, error);
  if (addrs.empty()) {
    Fail(r, "resolve", error);
    return finish();
  }
  Fd fd = Connect(addrs, deadline, settings, error);
  if (fd.get() < 0) {
    Fail(r, "connect", error);
    return finish();
  }
  r.connected = true;

  std::unique_ptr<SSL, SslDeleter> ssl(SSL_new(ctx.get()));
  if (!ssl || SSL_set_fd(ssl.get(), fd.get()) != 1) {
    Fail(r, "setup", OpenSslError("cannot create TLS session"));
    return finish();
  }
  const bool name_is_ip = IsIpLiteral(name);
  if (!name_is_ip) SSL_set_tlsext_host_name(ssl.get(), name.c_str());
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl.get());
  X509_VERIFY_PARAM_set_time(param, verify_at);
  if (name_is_ip) {
    X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
  } else {
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size());
  }

  SSL* s = ssl.get();
  r.handshake_ok = DriveSsl(s, fd.get(), [s] { return SSL_connect(s); }, deadline, settings, "handshake", error) > 0;
  if (!r.handshake_ok) Fail(r, "handshake", error);

  // The chain the server presented, read whether or not it verifies.
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(s);
  if (chain != nullptr && sk_X509_num(chain) > 0) {
    for (int i = 0; i < sk_X509_num(chain); ++i) r.chain.push_back(FactsOf(sk_X509_value(chain, i), i));
    const long v = SSL_get_verify_result(s);
    r.verify_result = v == X509_V_OK ? "ok" : X509_verify_cert_error_string(v);
    X509* leaf = sk_X509_value(chain, 0);
    if (v == X509_V_OK) {
      r.chain_verified = true;
      r.hostname_verified = true;
      if (STACK_OF(X509)* verified = SSL_get0_verified_chain(s)) {
        for (int i = 0; i < sk_X509_num(verified); ++i) {
          auto t = Asn1TimeToUnixNanos(X509_get0_notAfter(sk_X509_value(verified, i)));
          if (t && (!r.verified_chain_earliest_expiry || *t < *r.verified_chain_earliest_expiry))
            r.verified_chain_earliest_expiry = t;
        }
      }
    } else {
      r.hostname_verified = HostnameMatches(leaf, name);
      // A name mismatch is found before signatures and dates are checked, so the chain is re-verified alone.
      r.chain_verified = VerifyChainOnly(ctx.get(), s, leaf, chain, verify_at);
      if (r.chain_verified && r.hostname_verified) r.chain_verified = false;  // the verdict of record is v
    }
  }
  if (r.handshake_ok) {
    r.tls_version = SSL_get_version(s);
    r.cipher = SSL_get_cipher_name(s);
    if (settings.sip_options) r.sip_options = PingSipOptions(s, fd.get(), target.host, target.port, deadline, settings);
    SSL_shutdown(s);  // best effort close_notify; never waited for
  }
  r.success = r.handshake_ok && r.verify_result == "ok" && r.chain_verified && r.hostname_verified;
  return finish();
}

}  // namespace gx::tls
