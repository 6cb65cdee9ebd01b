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

constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kBlankLine = "\r\n\r\n";
constexpr std::string_view kVersion = "SIP/2.0 ";

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

bool IsContentLength(std::string_view name) {
  constexpr std::string_view kLong = "content-length";
  if (name.size() == 1) return name[0] == 'l' || name[0] == 'L';  // RFC 3261 §7.3.3 compact form
  if (name.size() != kLong.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(name[i])) != kLong[i]) return false;
  }
  return true;
}

SipScan& Fail(SipScan& scan, const char* failure, std::string error) {
  scan.failure = failure;
  scan.error = std::move(error);
  return scan;
}

// The body length announced by a header block (status line excluded); 0 when absent.
// Only plain decimal digits count: a sign, a space inside, a hex prefix or text is malformed,
// and two headers that disagree are too. nullopt when `scan` failed.
std::optional<size_t> ContentLength(std::string_view headers, SipScan& scan) {
  std::optional<size_t> found;
  while (!headers.empty()) {
    size_t end = headers.find(kCrlf);
    std::string_view line = headers.substr(0, end);
    headers.remove_prefix(end == std::string_view::npos ? headers.size() : end + kCrlf.size());
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || !IsContentLength(Trim(line.substr(0, colon)))) continue;
    std::string_view value = Trim(line.substr(colon + 1));
    if (value.empty() || value.find_first_not_of("0123456789") != std::string_view::npos) {
      Fail(scan, kSipMalformed, "invalid Content-Length");
      return std::nullopt;
    }
    size_t n = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || ptr != value.data() + value.size() || n > kMaxSipBodyBytes) {
      // Digits only, so echoing them is safe; a very long run is only described.
      const std::string shown =
          value.size() <= 20 ? std::string(value) : "of " + std::to_string(value.size()) + " digits";
      Fail(scan, kSipLimit, "Content-Length " + shown + " exceeds " + std::to_string(kMaxSipBodyBytes) + " bytes");
      return std::nullopt;
    }
    if (found && *found != n) {
      Fail(scan, kSipMalformed, "conflicting Content-Length headers");
      return std::nullopt;
    }
    found = n;
  }
  return found.value_or(0);
}

// The scan ran out of bytes: fine, unless there are already too many of them.
SipScan& NeedMore(SipScan& scan, size_t received) {
  if (received >= kMaxSipResponseBytes) {
    return Fail(scan, kSipLimit, "no final response in " + std::to_string(kMaxSipResponseBytes) + " bytes");
  }
  return scan;
}

}  // namespace

SipScan ScanSipResponses(std::string_view received) {
  SipScan scan;
  size_t pos = 0;  // start of the next message; only grows
  while (true) {
    // RFC 3261 §7.5: tolerate CRLFs before a message (keep-alives).
    while (received.substr(pos, kCrlf.size()) == kCrlf) pos += kCrlf.size();
    const std::string_view message = received.substr(pos);
    const size_t line_end = message.find(kCrlf);
    if (line_end == std::string_view::npos) {
      // A partial line that already cannot be a SIP status line (nor half a keep-alive) is garbage.
      const size_t n = std::min(message.size(), kVersion.size());
      if (message != "\r" && message.substr(0, n) != kVersion.substr(0, n)) {
        return Fail(scan, kSipMalformed, "not a SIP status line");
      }
      if (message.size() >= kMaxSipHeaderBytes) {
        return Fail(scan, kSipLimit, "status line exceeds " + std::to_string(kMaxSipHeaderBytes) + " bytes");
      }
      return NeedMore(scan, received.size());
    }
    if (line_end + kCrlf.size() > kMaxSipHeaderBytes) {
      return Fail(scan, kSipLimit, "status line exceeds " + std::to_string(kMaxSipHeaderBytes) + " bytes");
    }
    const std::optional<int> code = ParseSipStatusLine(message.substr(0, line_end));
    if (!code) return Fail(scan, kSipMalformed, "not a SIP status line");
    // The blank line must come within the header bound; it may be the status line's own CRLF.
    const size_t headers_end = message.substr(line_end, kMaxSipHeaderBytes - line_end).find(kBlankLine);
    if (headers_end == std::string_view::npos) {
      if (message.size() >= kMaxSipHeaderBytes) {
        return Fail(scan, kSipLimit, "header block exceeds " + std::to_string(kMaxSipHeaderBytes) + " bytes");
      }
      return NeedMore(scan, received.size());
    }
    const size_t body_start = line_end + headers_end + kBlankLine.size();
    const std::string_view headers = message.substr(line_end + kCrlf.size(), headers_end);
    const std::optional<size_t> body = ContentLength(headers, scan);
    if (!body) return scan;
    if (*code >= 200) {
      scan.final_status = code;
      return scan;
    }
    if (++scan.provisional > kMaxSipProvisional) {
      return Fail(scan, kSipLimit, "more than " + std::to_string(kMaxSipProvisional) + " provisional responses");
    }
    // Both terms are bounded (header and body limits), so this cannot wrap.
    const size_t next = body_start + *body;
    if (next > message.size()) return NeedMore(scan, received.size());
    pos += next;
  }
}

}  // namespace gx::tls
