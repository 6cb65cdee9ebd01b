#include "exporter/sources/tls/sip_options.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace gx::tls {

std::string BuildSipOptionsRequest(const std::string& host, int port, const std::string& token) {
  const std::string uri = "sip:" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                          std::to_string(port);
  std::string r;
  r += "OPTIONS " + uri + " SIP/2.0\r\n";
  r += "Via: SIP/2.0/TLS genesys-exporter.invalid;branch=z9hG4bK" + token + ";rport\r\n";
  r += "Max-Forwards: 70\r\n";
  r += "From: <sip:genesys_exporter@genesys-exporter.invalid>;tag=" + token + "\r\n";
  r += "To: <" + uri + ">\r\n";
  r += "Call-ID: " + token + "@genesys-exporter.invalid\r\n";
  r += "CSeq: 1 OPTIONS\r\n";
  r += "Accept: application/sdp\r\n";
  r += "User-Agent: genesys_exporter\r\n";
  r += "Content-Length: 0\r\n\r\n";
  return r;
}

std::optional<int> ParseSipStatusLine(std::string_view line) {
  constexpr std::string_view kVersion = "SIP/2.0 ";
  if (line.substr(0, kVersion.size()) != kVersion) return std::nullopt;
  std::string_view rest = line.substr(kVersion.size());
  if (rest.size() < 3) return std::nullopt;
  int code = 0;
  auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + 3, code);
  if (ec != std::errc() || ptr != rest.data() + 3) return std::nullopt;
  if (rest.size() > 3 && rest[3] != ' ') return std::nullopt;
  if (code < 100 || code > 699) return std::nullopt;
  return code;
}

namespace {

// Content-Length (or its compact form "l") of a header block; 0 when absent.
size_t ContentLength(std::string_view headers) {
  size_t pos = 0;
  while (pos < headers.size()) {
    size_t end = headers.find("\r\n", pos);
    if (end == std::string_view::npos) end = headers.size();
    std::string_view line = headers.substr(pos, end - pos);
    pos = end + 2;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    while (!name.empty() && name.back() == ' ') name.pop_back();
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    if (name != "content-length" && name != "l") continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    size_t n = 0;
    std::from_chars(value.data(), value.data() + value.size(), n);
    return n;
  }
  return 0;
}

}  // namespace

SipScan ScanSipResponses(std::string_view received) {
  SipScan scan;
  while (true) {
    // RFC 3261 §7.5: tolerate CRLFs before a message (keep-alives).
    while (received.substr(0, 2) == "\r\n") received.remove_prefix(2);
    size_t line_end = received.find("\r\n");
    if (line_end == std::string_view::npos) {
      // A partial line that already cannot be a SIP status line is garbage.
      constexpr std::string_view kVersion = "SIP/2.0 ";
      size_t n = std::min(received.size(), kVersion.size());
      if (received.substr(0, n) != kVersion.substr(0, n)) scan.malformed = true;
      return scan;
    }
    std::optional<int> code = ParseSipStatusLine(received.substr(0, line_end));
    if (!code) {
      scan.malformed = true;
      return scan;
    }
    size_t headers_end = received.find("\r\n\r\n");
    if (headers_end == std::string_view::npos) return scan;  // need more bytes
    if (*code >= 200) {
      scan.final_status = code;
      return scan;
    }
    size_t body = ContentLength(received.substr(line_end + 2, headers_end - line_end));
    size_t next = headers_end + 4 + body;
    if (next > received.size()) return scan;
    received.remove_prefix(next);
  }
}

}  // namespace gx::tls
