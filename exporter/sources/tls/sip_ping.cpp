#include "exporter/sources/tls/sip_ping.h"

#include <chrono>
#include <utility>

#include <openssl/rand.h>

#include "exporter/sources/tls/sip_options.h"

namespace gx::tls {
namespace {

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

// The failure class of an I/O error during the exchange.
const char* SipIoFailure(const IoError& error) {
  return error.kind == IoFailure::kTimeout ? kSipTimeout : kSipConnection;
}

}  // namespace

SipOptionsResult PingSipOptions(SSL* ssl, int fd, const std::string& host, int port, const WaitLimit& limit,
                                bool& cancelled) {
  using SteadyClock = std::chrono::steady_clock;
  SipOptionsResult out;
  out.attempted = true;
  cancelled = false;
  auto fail = [&](const char* failure, std::string error) {
    out.failure = failure;
    out.error = std::move(error);
    return out;
  };
  auto fail_io = [&](const IoError& error) {
    cancelled = error.kind == IoFailure::kCancelled;
    return fail(SipIoFailure(error), error.message);
  };
  const std::string request = BuildSipOptionsRequest(host, port, RandomToken());
  const auto sent_at = SteadyClock::now();
  size_t written = 0;
  IoError error;
  while (written < request.size()) {
    int n = DriveSsl(
        ssl, fd,
        [&] { return SSL_write(ssl, request.data() + written, static_cast<int>(request.size() - written)); },
        limit, "sip write", error);
    if (n <= 0) return fail_io(error);
    written += static_cast<size_t>(n);
  }
  std::string received;
  char buf[4096];
  for (int reads = 0; reads < kMaxSipReads; ++reads) {
    // A peer that always has bytes ready never makes DriveSsl wait, so check here too.
    if (limit.cancelled()) return fail_io({IoFailure::kCancelled, "cancelled"});
    if (SteadyClock::now() >= limit.deadline) return fail(kSipTimeout, "sip response timeout");
    int n = DriveSsl(ssl, fd, [&] { return SSL_read(ssl, buf, sizeof(buf)); }, limit, "sip response", error);
    if (n <= 0) return fail_io(error);
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

}  // namespace gx::tls
