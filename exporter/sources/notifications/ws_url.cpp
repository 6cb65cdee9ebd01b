#include "exporter/sources/notifications/ws_url.h"

#include "exporter/util/url.h"

namespace gx {

Result<WsUrl> ParseWsUrl(std::string_view url) {
  constexpr std::string_view kNotWs = "connect URI is not ws:// or wss://";
  const Result<Url> parsed = ParseUrl(url);
  if (!parsed) {
    return Result<WsUrl>::Error(parsed.error() == "has no scheme" ? std::string(kNotWs) : "connect URI " + parsed.error());
  }
  if (parsed->scheme != "wss" && parsed->scheme != "ws") return Result<WsUrl>::Error(std::string(kNotWs));
  if (parsed->user_info) return Result<WsUrl>::Error("connect URI carries user info");
  WsUrl out;
  out.tls = parsed->scheme == "wss";
  out.host = parsed->host;
  out.port = parsed->port_or(out.tls ? "443" : "80");
  out.target = parsed->target();
  return out;
}

}  // namespace gx
