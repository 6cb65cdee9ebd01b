#include "exporter/util/url.h"

#include <algorithm>

namespace gx {
namespace {

bool ValidPort(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  const int value = std::stoi(std::string(port));
  return value >= 1 && value <= 65535;
}

bool ValidScheme(std::string_view scheme) {
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  return !scheme.empty() && alpha(scheme[0]) && std::all_of(scheme.begin(), scheme.end(), [&](char c) {
    return alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
  });
}

}  // namespace

std::string Url::origin() const {
  std::string out = scheme + "://";
  out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (!port.empty()) out += ":" + port;
  return out;
}

std::string Url::target() const {
  std::string out = path.empty() ? "/" : path;
  if (has_query) out += "?" + query;
  return out;
}

Result<Url> ParseUrl(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || !ValidScheme(url.substr(0, scheme_end))) {
    return Result<Url>::Error("has no scheme");
  }
  Url out;
  out.scheme = std::string(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end + 3);
  if (std::any_of(rest.begin(), rest.end(), [](char c) { return static_cast<unsigned char>(c) < 0x21 || c == 0x7f; })) {
    return Result<Url>::Error(std::string(kUrlHasControlCharacters));
  }
  const size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  std::string_view authority = rest.substr(0, authority_end);
  rest.remove_prefix(authority_end);
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    out.user_info = true;
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority, port;
  bool has_port = false;
  if (!authority.empty() && authority[0] == '[') {  // [v6]:port
    const size_t close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return Result<Url>::Error("has a bad IPv6 host");
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return Result<Url>::Error("has a bad IPv6 host");
      has_port = true;
      port = after.substr(1);
    }
  } else if (const size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    has_port = true;
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return Result<Url>::Error("has no host");
  if (host.find_first_of("[]") != std::string_view::npos) return Result<Url>::Error("has a bad IPv6 host");
  if (has_port && !ValidPort(port)) return Result<Url>::Error("has a bad port");
  out.host = std::string(host);
  out.port = std::string(port);
  const size_t fragment = rest.find('#');
  out.has_fragment = fragment != std::string_view::npos;
  rest = rest.substr(0, fragment);
  const size_t query = rest.find('?');
  out.path = std::string(rest.substr(0, query));
  if (query != std::string_view::npos) {
    out.has_query = true;
    out.query = std::string(rest.substr(query + 1));
  }
  return out;
}

}  // namespace gx
