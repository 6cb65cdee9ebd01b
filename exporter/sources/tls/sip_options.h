// SIP OPTIONS over an established TLS connection: building the request and
// reading the final status out of the bytes received. Every length a peer sends
// is bounded, so hostile bytes end in a failure with a reason, never in a loop or
// an unbounded buffer. Pure functions, any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gx::tls {

// Bounds on the answer to one OPTIONS (a real one is a few hundred bytes).
inline constexpr std::size_t kMaxSipHeaderBytes = 8 * 1024;     // status line + headers + blank line, per message
inline constexpr std::size_t kMaxSipBodyBytes = 16 * 1024;      // Content-Length, per message
inline constexpr std::size_t kMaxSipResponseBytes = 64 * 1024;  // everything received before the final status
inline constexpr int kMaxSipProvisional = 8;                    // 1xx answers before the final one

// Why a SIP OPTIONS ping failed: the `reason` label of genesys_tls_sip_options_failures_total.
inline constexpr const char* kSipMalformed = "malformed";  // not a SIP response, or a bad header
inline constexpr const char* kSipLimit = "limit";          // a bound above was exceeded
inline constexpr const char* kSipTimeout = "timeout";      // no final status by the probe deadline
inline constexpr const char* kSipConnection = "connection";  // closed, reset or a TLS error

// An OPTIONS request to sip:<host>:<port> with fresh branch/tag/Call-ID tokens
// (RFC 3261 §11; the Via transport is TLS).
std::string BuildSipOptionsRequest(const std::string& host, int port, const std::string& token);

// The status code of a SIP status line ("SIP/2.0 200 OK"), or nullopt.
std::optional<int> ParseSipStatusLine(std::string_view line);

struct SipScan {
  std::optional<int> final_status;  // first final (>= 200) response, once its headers are complete
  const char* failure = nullptr;    // kSipMalformed or kSipLimit: these bytes can never become an answer
  std::string error;                // with failure: what is wrong, e.g. "Content-Length 99999 exceeds 16384 bytes"
  int provisional = 0;              // complete 1xx responses skipped
  // Neither an answer nor a failure yet: read more (until the deadline).
  bool need_more() const { return !final_status && failure == nullptr; }
};

// Scans everything received so far: skips provisional (1xx) responses and their
// bodies and returns the first final status once its status line and headers are
// complete. Headers are checked within kMaxSipHeaderBytes and every Content-Length
// must be a plain decimal number of at most kMaxSipBodyBytes. Linear in the input.
SipScan ScanSipResponses(std::string_view received);

}  // namespace gx::tls
