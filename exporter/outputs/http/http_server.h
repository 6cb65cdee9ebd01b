// The exporter's web endpoints (/metrics, /, /-/healthy, /-/ready, /-/reload, /dashboard
// and its alias) on one or more listen addresses, served with cpp-httplib.
// Start() binds every address or fails; Stop() returns once all listeners ended.
// Thread-safe: handlers run on httplib's worker threads.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gx {

using QueryParams = std::multimap<std::string, std::string>;

struct WebResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::string etag;  // quoted; empty: a hash of the body
};

struct HttpHandlers {
  std::function<std::string()> metrics;        // exposition text
  std::function<std::string()> landing_page;   // HTML
  std::function<bool()> ready;                 // first full poll done
  std::function<WebResponse(const QueryParams&)> dashboard;
  // POST or PUT /-/reload (as Prometheus): 200 when the configuration was reloaded, else
  // 500 with the reason; other methods get 405.
  std::function<WebResponse()> reload;
};

class HttpServer {
 public:
  HttpServer(std::string telemetry_path, HttpHandlers handlers);
  ~HttpServer();

  // Binds each "host:port" (":9786" means every interface; port 0 picks a free
  // one). On failure returns false and sets `error`.
  bool Start(const std::vector<std::string>& listen_addresses, std::string& error);
  void Stop();
  // The bound ports, in the order of the listen addresses.
  std::vector<int> ports() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Splits "host:port", "[v6]:port" or ":port". False when malformed.
bool SplitListenAddress(const std::string& address, std::string& host, int& port);

}  // namespace gx
