// SIP OPTIONS over an established TLS connection: building the request and
// reading the final status out of the bytes received. Pure functions, any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gx::tls {

// An OPTIONS request to sip:<host>:<port> with fresh branch/tag/Call-ID tokens
// (RFC 3261 §11; the Via transport is TLS).
std::string BuildSipOptionsRequest(const std::string& host, int port, const std::string& token);

// The status code of a SIP status line ("SIP/2.0 200 OK"), or nullopt.
std::optional<int> ParseSipStatusLine(std::string_view line);

struct SipScan {
  std::optional<int> final_status;  // first final (>= 200) response
  bool malformed = false;           // bytes that are not a SIP response
};

// Scans the bytes received so far: skips provisional (1xx) responses and
// returns the first final status once its status line and headers are complete.
SipScan ScanSipResponses(std::string_view received);

}  // namespace gx::tls
