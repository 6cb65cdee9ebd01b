#include "exporter/config/url_check.h"

#include <algorithm>

#include "exporter/util/url_redact.h"

namespace gx {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool ValidPort(std::string_view port) {
  if (!AllDigits(port) || port.size() > 5) return false;
  const int value = std::stoi(std::string(port));
  return value >= 1 && value <= 65535;
}

bool ValidHostPort(std::string_view authority) {
  if (authority.empty()) return false;
  std::string_view host = authority, port;
  if (authority[0] == '[') {  // [v6]:port
    const size_t close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && (after[0] != ':' || !ValidPort(after.substr(1)))) return false;
    return true;
  }
  if (const size_t colon = host.find(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
    if (!ValidPort(port)) return false;
  }
  return !host.empty() && host.find_first_of("[]") == std::string_view::npos;
}

}  // namespace

std::string UrlProblem(std::string_view url, UrlShape shape) {
  const std::string want = shape == UrlShape::kBase ? "want http(s)://host[:port]" : "want http(s)://host[:port]/path";
  std::string_view rest;
  if (url.substr(0, 8) == "https://") rest = url.substr(8);
  else if (url.substr(0, 7) == "http://") rest = url.substr(7);
  else return want;
  if (std::any_of(rest.begin(), rest.end(), [](char c) { return static_cast<unsigned char>(c) < 0x21; })) {
    return "spaces and control characters are not allowed; " + want;
  }
  const size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  const std::string_view authority = rest.substr(0, authority_end);
  if (authority.find('@') != std::string_view::npos) return "user info is not supported; " + want;
  if (!ValidHostPort(authority)) return want;
  if (shape == UrlShape::kBase && authority_end != rest.size()) return want;
  return "";
}

std::string ReceiverUrlError(std::string_view url) {
  const std::string problem = UrlProblem(url, UrlShape::kEndpoint);
  if (problem.empty()) return "";
  return "invalid URL \"" + RedactUrl(url, UrlPath::kHide) + "\" (" + problem + ")";
}

}  // namespace gx
