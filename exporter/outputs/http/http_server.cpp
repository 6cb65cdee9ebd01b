#include "exporter/outputs/http/http_server.h"

#include <httplib.h>

#include "exporter/util/http/http_listener.h"

namespace gx {
namespace {

constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string Fnv1aHex(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

bool SplitListenAddress(const std::string& address, std::string& host, int& port) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  host = address.substr(0, colon);
  std::string p = address.substr(colon + 1);
  if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos) return false;
  port = std::stoi(p);
  if (port > 65535) return false;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  return true;
}

struct HttpServer::Impl {
  std::string telemetry_path;
  HttpHandlers handlers;
  // One server and its listener per listen address; a listener is declared after (and so
  // stopped before) the server it serves.
  struct Served {
    httplib::Server server;
    HttpListener listener{server};
  };
  std::vector<std::unique_ptr<Served>> served;
  std::vector<int> ports;

  bool KnownPath(const std::string& path) const {
    return path == telemetry_path || path == "/" || path == "/-/healthy" || path == "/-/ready" ||
           path == "/dashboard" || path == "/api/v1/telephony/dashboard";
  }

  void Configure(httplib::Server& s) {
    s.Get(telemetry_path, [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(handlers.metrics(), kMetricsContentType);
    });
    s.Get("/", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(handlers.landing_page(), "text/html; charset=utf-8");
    });
    s.Get("/-/healthy", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("Healthy.\n", "text/plain; charset=utf-8");
    });
    s.Get("/-/ready", [this](const httplib::Request&, httplib::Response& res) {
      if (handlers.ready()) {
        res.set_content("Ready.\n", "text/plain; charset=utf-8");
      } else {
        res.status = 503;
        res.set_content("Not ready: the first full poll has not completed.\n", "text/plain; charset=utf-8");
      }
    });
    auto dashboard = [this](const httplib::Request& req, httplib::Response& res) {
      WebResponse r = handlers.dashboard(QueryParams(req.params.begin(), req.params.end()));
      res.status = r.status;
      if (r.status == 200) {
        const std::string etag = r.etag.empty() ? "\"" + Fnv1aHex(r.body) + "\"" : r.etag;
        res.set_header("ETag", etag);
        res.set_header("Cache-Control", "no-cache");
        if (req.get_header_value("If-None-Match") == etag) {
          res.status = 304;
          return;
        }
      }
      res.set_content(r.body, r.content_type);
    };
    s.Get("/dashboard", dashboard);
    s.Get("/api/v1/telephony/dashboard", dashboard);
    auto reload = [this](const httplib::Request&, httplib::Response& res) {
      WebResponse r;
      if (handlers.reload) {
        r = handlers.reload();
      } else {
        r.status = 503;
        r.content_type = "text/plain; charset=utf-8";
        r.body = "reload is not available\n";
      }
      res.status = r.status;
      res.set_content(r.body, r.content_type);
    };
    s.Post("/-/reload", reload);
    s.Put("/-/reload", reload);
    auto reload_wrong_method = [](const httplib::Request&, httplib::Response& res) {
      res.status = 405;
      res.set_header("Allow", "POST, PUT");
      res.set_content("Method Not Allowed: use POST or PUT\n", "text/plain; charset=utf-8");
    };
    s.Get("/-/reload", reload_wrong_method);
    s.Delete("/-/reload", reload_wrong_method);
    s.Patch("/-/reload", reload_wrong_method);
    s.Options("/-/reload", reload_wrong_method);

    auto wrong_method = [this](const httplib::Request& req, httplib::Response& res) {
      if (KnownPath(req.path)) {
        res.status = 405;
        res.set_header("Allow", "GET, HEAD");
        res.set_content("Method Not Allowed\n", "text/plain; charset=utf-8");
      } else {
        res.status = 404;
        res.set_content("Not Found\n", "text/plain; charset=utf-8");
      }
    };
    s.Post(".*", wrong_method);
    s.Put(".*", wrong_method);
    s.Delete(".*", wrong_method);
    s.Patch(".*", wrong_method);
    s.Options(".*", wrong_method);
    s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (res.status == 404 && res.body.empty()) res.set_content("Not Found\n", "text/plain; charset=utf-8");
    });
    s.set_keep_alive_timeout(30);
    s.set_read_timeout(10);
    s.set_write_timeout(30);
  }
};

HttpServer::HttpServer(std::string telemetry_path, HttpHandlers handlers) : impl_(std::make_unique<Impl>()) {
  impl_->telemetry_path = std::move(telemetry_path);
  impl_->handlers = std::move(handlers);
}

HttpServer::~HttpServer() { Stop(); }

bool HttpServer::Start(const std::vector<std::string>& listen_addresses, std::string& error) {
  for (const auto& address : listen_addresses) {
    std::string host;
    int port = 0;
    if (!SplitListenAddress(address, host, port)) {
      error = "--web.listen-address: invalid address \"" + address + "\" (want host:port or :port)";
      Stop();
      return false;
    }
    auto served = std::make_unique<Impl::Served>();
    impl_->Configure(served->server);
    std::string reason;
    if (!served->listener.Start(host, port, reason)) {
      error = "--web.listen-address: cannot listen on " + address + ": " + reason;
      Stop();
      return false;
    }
    impl_->ports.push_back(served->listener.port());
    impl_->served.push_back(std::move(served));
  }
  return true;
}

void HttpServer::Stop() {
  for (auto& s : impl_->served) s->listener.Stop();
  impl_->served.clear();
}

std::vector<int> HttpServer::ports() const { return impl_->ports; }

}  // namespace gx
