// What --web.config.file (the exporter-toolkit format) asks of the web server: TLS, who may
// ask, and headers added to every response. The server reads the current policy once per
// new connection (TLS, headers) and once per request (authorization), so a reload changes
// what the next connection or request sees. Whether TLS is on at all is fixed at start,
// as in exporter-toolkit. Built by web_config (parse, reload); used by http_server.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace boost::asio::ssl {
class context;
}

namespace gx {

struct WebPolicy {
  // Null: plain HTTP. Otherwise every connection starts with a TLS handshake in this context
  // (certificate, key, client CA and verify mode, protocol versions, ciphers already set).
  std::shared_ptr<boost::asio::ssl::context> tls;
  // Empty: every request is allowed. Otherwise called with the Authorization header's value
  // ("" when absent); false answers 401 with WWW-Authenticate: Basic. It may block (bcrypt), so
  // the server runs it on a bounded queue of its own, and answers 503 when that queue is full.
  std::function<bool(std::string_view authorization)> authorize;
  // Optional, with `authorize`: its answer when that needs no slow check (a cached password,
  // or a header that is absent or malformed), else nullopt. Never blocks: the server asks it
  // first, on its I/O thread, and queues `authorize` only on nullopt.
  std::function<std::optional<bool>(std::string_view authorization)> quick_check;
  // http_server_config.headers: added to every response, including 401 and 404.
  std::vector<std::pair<std::string, std::string>> headers;
};

// What the server decided about a request's Authorization, for the routes' answer.
enum class WebAccess {
  kAllowed,
  kDenied,  // 401
  kBusy,    // too many checks are waiting: 503 with Retry-After, nothing was checked
};

// The policy in force now; never null once the server has started.
using WebPolicySource = std::function<std::shared_ptr<const WebPolicy>()>;

}  // namespace gx
