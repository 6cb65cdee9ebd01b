// The channel's connectUri as the WebSocket client needs it: scheme, host, port and
// target. Pure; thread-safe. Kept apart from ws_client so that reading a URL does not
// pull in Boost.Beast.
#pragma once

#include <string>
#include <string_view>

#include "exporter/util/result.h"

namespace gx {

struct WsUrl {
  bool tls = false;
  std::string host;
  std::string port;
  std::string target;  // path and query, at least "/"
};
// Parses ws://host[:port]/path and wss://... (util/url.h reads it); why not on anything else.
Result<WsUrl> ParseWsUrl(std::string_view url);

}  // namespace gx
