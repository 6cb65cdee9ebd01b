#include "exporter/outputs/http/http_server.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "exporter/outputs/http/gzip_encoding.h"
#include "exporter/outputs/http/systemd_sockets.h"
#include "exporter/outputs/http/web_message.h"
#include "exporter/util/logging.h"
#include "exporter/util/open_file_limit.h"

namespace gx {
namespace {

constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";
constexpr const char* kTextContentType = "text/plain; charset=utf-8";

// A strong ETag: the body's FNV-1a hash, quoted. Printed in one go; "\"" + hex + "\"" made
// GCC 12 -O2 warn falsely (-Wrestrict).
std::string Fnv1aEtag(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

WebReply Content(int status, std::string body, std::string content_type) {
  WebReply r;
  r.status = status;
  r.headers.emplace_back("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

void AddGzipHeaders(WebReply& r) {
  r.headers.emplace_back("Content-Encoding", "gzip");
  r.headers.emplace_back("Vary", "Accept-Encoding");
}

bool Encoded(const WebReply& r) {
  for (const auto& [name, value] : r.headers) {
    if (name == "Content-Encoding") return true;
  }
  return false;
}

bool Compressible(const WebReply& r) {
  for (const auto& [name, value] : r.headers) {
    if (name == "Content-Type") return value.rfind("text/", 0) == 0 || value.find("json") != std::string::npos;
  }
  return false;
}

}  // namespace

struct HttpServer::Impl {
  std::string telemetry_path;
  HttpHandlers handlers;
  HttpServerOptions options;
  std::unique_ptr<WebEngine> engine;
  std::vector<int> ports;
  std::vector<std::string> bound;

  bool KnownPath(const std::string& path) const {
    return path == telemetry_path || path == "/" || path == "/-/healthy" || path == "/-/ready" ||
           path == "/dashboard" || path == "/api/v1/telephony/dashboard" ||
           (path == "/status" && handlers.status_page);
  }

  WebReply Route(const WebRequest& req) const {
    const RequestTarget target = ParseRequestTarget(req.target);
    const std::string& path = target.path;
    if (path == "/-/reload") return Reload(req);
    if (!KnownPath(path)) return Content(404, "Not Found\n", kTextContentType);
    if (req.method != "GET" && req.method != "HEAD") {
      WebReply r = Content(405, "Method Not Allowed\n", kTextContentType);
      r.headers.emplace_back("Allow", "GET, HEAD");
      return r;
    }
    if (path == telemetry_path) {
      EncodedBody body = handlers.metrics(AcceptsGzip(req.Field("accept-encoding")));
      WebReply r = Content(200, std::move(body.text), kMetricsContentType);
      r.parts = std::move(body.parts);
      if (body.gzip) AddGzipHeaders(r);
      return r;
    }
    if (path == "/") return Content(200, handlers.landing_page(), "text/html; charset=utf-8");
    if (path == "/status") {
      WebReply r = Content(200, handlers.status_page(), "text/html; charset=utf-8");
      r.headers.emplace_back("Cache-Control", "no-cache");  // it refreshes itself; never show an old one
      return r;
    }
    if (path == "/-/healthy") return Content(200, "Healthy.\n", kTextContentType);
    if (path == "/-/ready") {
      return handlers.ready() ? Content(200, "Ready.\n", kTextContentType)
                              : Content(503, "Not ready: the first full poll has not completed.\n", kTextContentType);
    }
    // /dashboard and its alias.
    WebResponse d = handlers.dashboard(target.query);
    WebReply r = Content(d.status, std::move(d.body), d.content_type);
    if (d.status == 200) {
      const std::string etag = d.etag.empty() ? Fnv1aEtag(r.body) : d.etag;
      r.headers.emplace_back("ETag", etag);
      r.headers.emplace_back("Cache-Control", "no-cache");
      if (req.Field("if-none-match") == etag) {
        r.status = 304;
        r.body.clear();
      }
    }
    return r;
  }

  // POST or PUT /-/reload, as Prometheus; other methods get 405.
  WebReply Reload(const WebRequest& req) const {
    if (req.method != "POST" && req.method != "PUT") {
      WebReply r = Content(405, "Method Not Allowed: use POST or PUT\n", kTextContentType);
      r.headers.emplace_back("Allow", "POST, PUT");
      return r;
    }
    if (!handlers.reload) return Content(503, "reload is not available\n", kTextContentType);
    WebResponse d = handlers.reload();
    return Content(d.status, std::move(d.body), d.content_type);
  }

  // Who may ask comes before which route, as in exporter-toolkit: every path needs it.
  // The engine has asked the policy (WebAccess).
  WebReply Answer(const WebRequest& req, const WebPolicy& policy, WebAccess access) const {
    WebReply r;
    if (access == WebAccess::kDenied) {
      r = Content(401, "Unauthorized\n", kTextContentType);
      r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"genesys_exporter\"");
    } else if (access == WebAccess::kBusy) {
      r = Content(503, "Too many password checks are waiting; retry later\n", kTextContentType);
      r.headers.emplace_back("Retry-After", "1");
    } else {
      r = Route(req);
    }
    if (!r.body.empty() && r.parts.empty() && !Encoded(r) && Compressible(r) && AcceptsGzip(req.Field("accept-encoding"))) {
      r.body = Gzip(r.body);
      AddGzipHeaders(r);
    }
    AddMissingHeaders(r, policy.headers);
    r.head = req.method == "HEAD";
    return r;
  }

  // At most half the descriptors for web connections: webhooks, TLS probes and the API
  // client need the rest.
  WebLimits EffectiveLimits() const {
    WebLimits limits = options.limits;
    const std::uint64_t fds = CurrentOpenFileLimit();
    if (fds > 0 && limits.max_connections > fds / 2) {
      const std::size_t capped = std::max<std::size_t>(1, static_cast<std::size_t>(fds / 2));
      LogWarn("--web.max-connections is more than half the open-file limit; using half",
              {{"max_connections", limits.max_connections}, {"open_file_limit", fds}, {"using", capped}});
      limits.max_connections = capped;
    }
    return limits;
  }
};

HttpServer::HttpServer(std::string telemetry_path, HttpHandlers handlers, HttpServerOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->telemetry_path = std::move(telemetry_path);
  impl_->handlers = std::move(handlers);
  impl_->options = std::move(options);
}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start(const std::vector<std::string>& listen_addresses) {
  Impl& s = *impl_;
  if (s.engine) return Status::Error("the web server is already started");
  std::vector<ListenSocket> sockets;
  if (s.options.systemd_socket) {
    auto taken = TakeSystemdSockets();
    if (!taken) return taken.status().Prefixed("--web.systemd-socket: ");
    sockets = std::move(taken).value();
  } else {
    for (const auto& address : listen_addresses) {
      auto socket = OpenListenSocket(address);
      if (!socket) {
        for (const auto& opened : sockets) ::close(opened.fd);
        return socket.status().Prefixed("--web.listen-address: cannot listen on " + address + ": ");
      }
      sockets.push_back(std::move(socket).value());
    }
  }
  std::shared_ptr<const WebPolicy> first;
  try {
    if (s.options.policy) first = s.options.policy();
  } catch (const std::exception& ex) {
    for (const auto& socket : sockets) ::close(socket.fd);
    return Status::Error(std::string("--web.config.file: ") + ex.what());
  }
  std::vector<int> ports;
  std::vector<std::string> bound;
  for (const auto& socket : sockets) {
    if (!socket.note.empty()) {
      LogWarn("--web.listen-address: not every address could be listened on", {{"err", socket.note}});
    }
    ports.push_back(socket.port);
    bound.push_back(socket.bound);
  }
  auto engine = std::make_unique<WebEngine>(
      s.EffectiveLimits(), s.options.policy,
      [&s](const WebRequest& req, const WebPolicy& policy, WebAccess access) { return s.Answer(req, policy, access); },
      s.options.health);
  if (Status served = engine->Start(std::move(sockets), first && first->tls); !served) {
    return served.Prefixed(s.options.systemd_socket ? "--web.systemd-socket: " : "--web.listen-address: ");
  }
  s.engine = std::move(engine);
  s.ports = std::move(ports);
  s.bound = std::move(bound);
  return Status::Ok();
}

void HttpServer::Stop() {
  if (impl_->engine) impl_->engine->Stop();
}

std::vector<int> HttpServer::ports() const { return impl_->ports; }

std::vector<std::string> HttpServer::bound() const { return impl_->bound; }

}  // namespace gx
