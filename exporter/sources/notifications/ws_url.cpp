#include "exporter/sources/notifications/ws_url.h"

#include <string>

namespace gx {

bool ParseWsUrl(const std::string& url, WsUrl& out, std::string* error) {
  auto bad = [&](const char* why) {
    if (error) *error = why;
    return false;
  };
  std::string rest;
  if (url.rfind("wss://", 0) == 0) {
    out.tls = true;
    rest = url.substr(6);
  } else if (url.rfind("ws://", 0) == 0) {
    out.tls = false;
    rest = url.substr(5);
  } else {
    return bad("connect URI is not ws:// or wss://");
  }
  const auto slash = rest.find_first_of("/?");
  std::string authority = rest.substr(0, slash);
  out.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (!out.target.empty() && out.target[0] == '?') out.target = "/" + out.target;
  if (authority.find('@') != std::string::npos) return bad("connect URI carries user info");
  std::string host = authority, port;
  if (!authority.empty() && authority[0] == '[') {  // [v6]:port
    const auto close = authority.find(']');
    if (close == std::string::npos) return bad("connect URI has a bad IPv6 host");
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return bad("connect URI has a bad port");
      port = authority.substr(close + 2);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return bad("connect URI has no host");
  if (port.empty()) port = out.tls ? "443" : "80";
  for (char c : port) {
    if (c < '0' || c > '9') return bad("connect URI has a bad port");
  }
  if (port.size() > 5 || std::stoi(port) == 0 || std::stoi(port) > 65535) return bad("connect URI has a bad port");
  out.host = host;
  out.port = port;
  return true;
}

}  // namespace gx
