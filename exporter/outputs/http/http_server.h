// The exporter's web endpoints (/metrics, /, /status, /-/healthy, /-/ready, /-/reload,
// /dashboard and its alias) on one or more listen addresses, or on the sockets systemd passed. The routes are
// here; connections, limits, timeouts and TLS are the WebEngine's (Boost.Beast, async).
// Start() binds every address or fails; Stop() returns once every connection is closed.
// Thread-safe: handlers run on the engine's worker threads, concurrently.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "exporter/outputs/http/gzip_encoding.h"
#include "exporter/outputs/http/listen_sockets.h"
#include "exporter/outputs/http/request_target.h"
#include "exporter/outputs/http/web_engine.h"
#include "exporter/outputs/http/web_policy.h"
#include "exporter/util/result.h"

namespace gx {

class HealthState;

struct WebResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::string etag;  // quoted; empty: a hash of the body
};

struct HttpHandlers {
  // Exposition text; the argument says whether the client accepts gzip, and the handler may
  // answer with the body already compressed (kept between scrapes).
  std::function<EncodedBody(bool accepts_gzip)> metrics;
  std::function<std::string()> landing_page;   // HTML
  std::function<std::string()> status_page;    // HTML (status_page.h); unset: /status is 404
  std::function<bool()> ready;                 // first full poll done
  std::function<WebResponse(const QueryParams&)> dashboard;
  // POST or PUT /-/reload (as Prometheus): 200 when the configuration was reloaded, else
  // 500 with the reason; other methods get 405.
  std::function<WebResponse()> reload;
};

struct HttpServerOptions {
  WebLimits limits;
  // Empty: plain HTTP and every request allowed. Whether TLS is on is decided at Start,
  // from the policy in force then.
  WebPolicySource policy;
  HealthState* health = nullptr;  // gets the connection counters (genesys_web_*)
  // Serve the sockets systemd passed (--web.systemd-socket) instead of the listen addresses.
  bool systemd_socket = false;
};

class HttpServer {
 public:
  HttpServer(std::string telemetry_path, HttpHandlers handlers, HttpServerOptions options = {});
  ~HttpServer();

  // Binds each "host:port" (":9786" means every interface, IPv6 and IPv4; port 0 picks a
  // free one), or takes the systemd sockets. Fails naming the flag and the address.
  Status Start(const std::vector<std::string>& listen_addresses);
  void Stop();
  // The bound ports, in the order of the listen addresses (or of the systemd sockets).
  std::vector<int> ports() const;
  // What each socket listens on, in the same order ("[::]:9786 (IPv6 and IPv4)").
  std::vector<std::string> bound() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gx
