#include "exporter/outputs/http/http_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <mutex>
#include <stdexcept>

#include "tests/exporter/util/loopback_socket.h"

namespace gx {
namespace {

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpHandlers h;
    h.metrics = [](bool) { return EncodedBody{"genesys_up 1\n"}; };
    h.landing_page = [] { return std::string("<html>landing</html>"); };
    h.status_page = [] { return std::string("<html>status</html>"); };
    h.ready = [this] { return ready_.load(); };
    h.dashboard = [](const QueryParams& q) {
      WebResponse r;
      if (q.count("site") && q.find("site")->second == "bad") {
        r.status = 400;
        r.body = "{\"error\":\"bad site\"}";
        return r;
      }
      r.body = "{\"generatedAt\":\"x\"}";
      return r;
    };
    h.reload = [this] {
      ++reloads_;
      WebResponse r;
      r.status = reload_ok_ ? 200 : 500;
      r.content_type = "text/plain; charset=utf-8";
      r.body = reload_ok_ ? "configuration reloaded: no live setting changed\n" : "c.yml:2: x: unknown key\n";
      return r;
    };
    server_ = std::make_unique<HttpServer>("/metrics", std::move(h));
    const Status started = server_->Start({"127.0.0.1:0"});
    ASSERT_TRUE(started.ok()) << started.error();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->ports()[0]);
  }

  std::atomic<bool> ready_{false};
  std::atomic<int> reloads_{0};
  std::atomic<bool> reload_ok_{true};
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(HttpServerTest, EveryRouteStatusAndContentType) {
  struct Route {
    const char* path;
    int status;
    const char* content_type;
  } routes[] = {
      {"/metrics", 200, "text/plain; version=0.0.4; charset=utf-8"},
      {"/", 200, "text/html; charset=utf-8"},
      {"/status", 200, "text/html; charset=utf-8"},
      {"/-/healthy", 200, "text/plain; charset=utf-8"},
      {"/-/ready", 503, "text/plain; charset=utf-8"},
      {"/dashboard", 200, "application/json"},
      {"/api/v1/telephony/dashboard", 200, "application/json"},
      {"/nope", 404, "text/plain; charset=utf-8"},
  };
  for (const auto& r : routes) {
    auto res = client_->Get(r.path);
    ASSERT_TRUE(res) << r.path;
    EXPECT_EQ(res->status, r.status) << r.path;
    EXPECT_EQ(res->get_header_value("Content-Type"), r.content_type) << r.path;
  }
}

TEST_F(HttpServerTest, ReadyFlipsAfterFirstPoll) {
  EXPECT_EQ(client_->Get("/-/ready")->status, 503);
  ready_ = true;
  EXPECT_EQ(client_->Get("/-/ready")->status, 200);
}

TEST_F(HttpServerTest, WrongMethodIs405UnknownPathIs404) {
  auto post = client_->Post("/metrics", "", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "GET, HEAD");
  EXPECT_EQ(client_->Put("/dashboard", "", "text/plain")->status, 405);
  EXPECT_EQ(client_->Post("/status", "", "text/plain")->status, 405);
  EXPECT_EQ(client_->Delete("/-/healthy")->status, 405);
  EXPECT_EQ(client_->Post("/elsewhere", "", "text/plain")->status, 404);
  EXPECT_EQ(client_->Head("/metrics")->status, 200);
}

TEST_F(HttpServerTest, DashboardEtagAndErrors) {
  auto first = client_->Get("/dashboard");
  ASSERT_TRUE(first);
  std::string etag = first->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  auto again = client_->Get("/dashboard", {{"If-None-Match", etag}});
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  EXPECT_EQ(client_->Get("/dashboard?site=bad")->status, 400);
}

TEST_F(HttpServerTest, DashboardIsGzippedWhenAsked) {
  httplib::Headers headers = {{"Accept-Encoding", "gzip"}};
  client_->set_decompress(false);
  auto res = client_->Get("/dashboard", headers);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Content-Encoding"), "gzip");
}

// The metrics handler answers with kept text (shared parts) or an already compressed body;
// the server sends it as it is, with the right length and Content-Encoding, never twice compressed.
TEST(HttpServerMetrics, SendsTheHandlersPartsAndItsOwnGzip) {
  HttpHandlers h;
  h.metrics = [](bool gzip) {
    EncodedBody body;
    if (gzip) {
      body.text = Gzip("a 1\n") + Gzip("b 2\n");  // two members, as the renderer keeps them
      body.gzip = true;
    } else {
      body.text = "a 1\n";
      body.parts = {std::make_shared<const std::string>("b 2\n"), std::make_shared<const std::string>("c 3\n")};
    }
    return body;
  };
  HttpServer server("/metrics", std::move(h));
  const Status started = server.Start({"127.0.0.1:0"});
  ASSERT_TRUE(started.ok()) << started.error();
  httplib::Client client("127.0.0.1", server.ports()[0]);
  auto plain = client.Get("/metrics");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->body, "a 1\nb 2\nc 3\n");
  EXPECT_EQ(plain->get_header_value("Content-Encoding"), "");
  client.set_decompress(false);
  auto gz = client.Get("/metrics", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(gz);
  EXPECT_EQ(gz->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(gz->body, Gzip("a 1\n") + Gzip("b 2\n")) << "sent as the handler made it";
  EXPECT_EQ(server.ports().size(), 1u);
}

// A body larger than one write step (8 MiB) in more parts than one gather (64 buffers), of
// uneven sizes: every byte arrives, in order, whatever the socket takes at a time.
TEST(HttpServerMetrics, ALargeBodyInManyPartsArrivesWhole) {
  std::vector<std::shared_ptr<const std::string>> parts;
  std::string expected;
  for (int i = 0; i < 700; ++i) {
    const std::size_t size = 1 + static_cast<std::size_t>(i * 7919) % 60000;
    auto part = std::make_shared<std::string>(size, static_cast<char>('a' + i % 26));
    (*part)[0] = '\n';
    expected += *part;
    parts.push_back(std::move(part));
  }
  ASSERT_GT(expected.size(), 16u << 20);
  HttpHandlers h;
  h.metrics = [&](bool) {
    EncodedBody body;
    body.parts = parts;
    return body;
  };
  HttpServer server("/metrics", std::move(h));
  const Status started = server.Start({"127.0.0.1:0"});
  ASSERT_TRUE(started.ok()) << started.error();
  httplib::Client client("127.0.0.1", server.ports()[0]);
  for (int i = 0; i < 2; ++i) {  // and again on the same connection
    auto res = client.Get("/metrics");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->body.size(), expected.size());
    EXPECT_TRUE(res->body == expected);
  }
}

TEST(ListenAddress, Forms) {
  std::string host;
  int port = 0;
  ASSERT_TRUE(SplitListenAddress(":9786", host, port));
  EXPECT_EQ(host, "0.0.0.0");
  EXPECT_EQ(port, 9786);
  ASSERT_TRUE(SplitListenAddress("[::1]:80", host, port));
  EXPECT_EQ(host, "::1");
  ASSERT_TRUE(SplitListenAddress("127.0.0.1:0", host, port));
  EXPECT_FALSE(SplitListenAddress("9786", host, port));
  EXPECT_FALSE(SplitListenAddress("host:99999", host, port));
  EXPECT_FALSE(SplitListenAddress("host:http", host, port));
}

TEST(HttpServer, BusyPortFailsWithMessage) {
  HttpServer first("/metrics", {});
  const Status started = first.Start({"127.0.0.1:0"});
  ASSERT_TRUE(started.ok()) << started.error();
  HttpServer second("/metrics", {});
  const std::string address = "127.0.0.1:" + std::to_string(first.ports()[0]);
  const Status busy = second.Start({address});
  EXPECT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().rfind("--web.listen-address: cannot listen on " + address, 0), 0u) << busy.error();
}

// As Prometheus: POST or PUT reloads (200, or 500 with the reasons); other methods get 405.
TEST_F(HttpServerTest, ReloadIsPostOrPut) {
  auto post = client_->Post("/-/reload", "", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 200);
  EXPECT_EQ(post->body, "configuration reloaded: no live setting changed\n");
  reload_ok_ = false;
  auto put = client_->Put("/-/reload", "", "text/plain");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 500);
  EXPECT_EQ(put->body, "c.yml:2: x: unknown key\n");
  EXPECT_EQ(put->get_header_value("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(reloads_, 2);
  for (const char* method : {"GET", "DELETE"}) {
    auto res = std::string(method) == "GET" ? client_->Get("/-/reload") : client_->Delete("/-/reload");
    ASSERT_TRUE(res) << method;
    EXPECT_EQ(res->status, 405) << method;
    EXPECT_EQ(res->get_header_value("Allow"), "POST, PUT") << method;
  }
  EXPECT_EQ(reloads_, 2);
}

// --- WebPolicy: who may ask, and the headers of every response (--web.config.file) ---------

HttpHandlers PolicyHandlers() {
  HttpHandlers h;
  h.metrics = [](bool) { return EncodedBody{"genesys_up 1\n"}; };
  h.landing_page = [] { return std::string("<html></html>"); };
  h.status_page = [] { return std::string("<html>status</html>"); };
  h.ready = [] { return true; };
  h.dashboard = [](const QueryParams&) { return WebResponse{}; };
  return h;
}

// A policy that the test can replace while the server runs, as a reload would.
struct PolicyBox {
  std::mutex mu;
  std::shared_ptr<const WebPolicy> policy = std::make_shared<const WebPolicy>();
  std::vector<std::string> seen_authorizations;
  bool broken = false;  // the source throws, as a buggy reloader might

  void Set(WebPolicy p) {
    std::lock_guard lock(mu);
    policy = std::make_shared<const WebPolicy>(std::move(p));
  }
  WebPolicySource Source() {
    return [this] {
      std::lock_guard lock(mu);
      if (broken) throw std::runtime_error("reloader bug");
      return policy;
    };
  }
};

class HttpServerPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpServerOptions options;
    options.policy = box_.Source();
    WebLimits limits;
    limits.max_body_bytes = 100;
    options.limits = limits;
    server_ = std::make_unique<HttpServer>("/metrics", PolicyHandlers(), options);
    const Status started = server_->Start({"127.0.0.1:0"});
    ASSERT_TRUE(started.ok()) << started.error();
  }
  std::string Ask(const std::string& request) {
    gx::testing::LoopbackSocket client(server_->ports()[0]);
    client.Send(request);
    return client.ReadResponse();
  }
  WebPolicy BasicAuth() {
    WebPolicy p;
    p.authorize = [this](std::string_view authorization) {
      {
        std::lock_guard lock(box_.mu);
        box_.seen_authorizations.emplace_back(authorization);
      }
      return authorization == "Basic dXNlcjpwYXNz";  // user:pass
    };
    return p;
  }

  PolicyBox box_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerPolicyTest, EveryRequestIsAuthorizedBeforeRouting) {
  box_.Set(BasicAuth());
  for (const char* path : {"/metrics", "/dashboard", "/", "/status", "/-/healthy", "/nope"}) {
    const std::string denied = Ask(std::string("GET ") + path + " HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_EQ(gx::testing::StatusOf(denied), 401) << path;
    EXPECT_NE(denied.find("\r\nWWW-Authenticate: Basic realm=\"genesys_exporter\"\r\n"), std::string::npos) << denied;
    const std::string wrong =
        Ask(std::string("GET ") + path + " HTTP/1.1\r\nHost: t\r\nAuthorization: Basic dXNlcjp3cm9uZw==\r\n\r\n");
    EXPECT_EQ(gx::testing::StatusOf(wrong), 401) << path;
  }
  const std::string allowed = Ask("GET /metrics HTTP/1.1\r\nHost: t\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n");
  EXPECT_EQ(gx::testing::StatusOf(allowed), 200) << allowed;
  EXPECT_NE(allowed.find("genesys_up 1"), std::string::npos);
  std::lock_guard lock(box_.mu);
  ASSERT_FALSE(box_.seen_authorizations.empty());
  EXPECT_EQ(box_.seen_authorizations.front(), "") << "no Authorization header is asked about as \"\"";
}

// /status shows trunk names, proxies and certificate targets: the same auth as every route.
TEST_F(HttpServerPolicyTest, TheStatusPageNeedsTheSameAuthorization) {
  box_.Set(BasicAuth());
  EXPECT_EQ(gx::testing::StatusOf(Ask("GET /status HTTP/1.1\r\nHost: t\r\n\r\n")), 401);
  const std::string allowed = Ask("GET /status HTTP/1.1\r\nHost: t\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n");
  EXPECT_EQ(gx::testing::StatusOf(allowed), 200) << allowed;
  EXPECT_NE(allowed.find("\r\nContent-Type: text/html; charset=utf-8\r\n"), std::string::npos) << allowed;
  EXPECT_NE(allowed.find("\r\nCache-Control: no-cache\r\n"), std::string::npos) << allowed;
  EXPECT_NE(allowed.find("<html>status</html>"), std::string::npos) << allowed;
}

TEST_F(HttpServerPolicyTest, PolicyHeadersOnEveryResponse) {
  WebPolicy p;
  p.headers = {{"X-Frame-Options", "deny"}, {"Content-Type", "not/this"}, {"X-Bad", "a\r\nInjected: 1"}};
  box_.Set(p);
  const std::vector<std::pair<std::string, int>> requests = {
      {"GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n", 200},
      {"GET /nope HTTP/1.1\r\nHost: t\r\n\r\n", 404},
      {"DELETE /metrics HTTP/1.1\r\nHost: t\r\n\r\n", 405},
      {"POST /metrics HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n", 413},
      {"NOT HTTP\r\n\r\n", 400},
  };
  for (const auto& [request, status] : requests) {
    const std::string r = Ask(request);
    EXPECT_EQ(gx::testing::StatusOf(r), status) << r;
    EXPECT_NE(r.find("\r\nX-Frame-Options: deny\r\n"), std::string::npos) << r;
    EXPECT_EQ(r.find("not/this"), std::string::npos) << "a route's own Content-Type wins: " << r;
    EXPECT_EQ(r.find("Injected"), std::string::npos) << r;
  }
  box_.Set(BasicAuth());
  WebPolicy with_headers = BasicAuth();
  with_headers.headers = {{"Strict-Transport-Security", "max-age=31536000"}};
  box_.Set(with_headers);
  const std::string denied = Ask("GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(gx::testing::StatusOf(denied), 401);
  EXPECT_NE(denied.find("\r\nStrict-Transport-Security: max-age=31536000\r\n"), std::string::npos) << denied;
}

TEST_F(HttpServerPolicyTest, ANewPolicyAppliesToTheNextRequestOnTheSameConnection) {
  gx::testing::LoopbackSocket client(server_->ports()[0]);
  client.Send("GET /-/healthy HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(gx::testing::StatusOf(client.ReadResponse()), 200);
  box_.Set(BasicAuth());
  client.Send("GET /-/healthy HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(gx::testing::StatusOf(client.ReadResponse()), 401);
}

TEST_F(HttpServerPolicyTest, APolicySourceThatFailsLetsNobodyIn) {
  {
    std::lock_guard lock(box_.mu);
    box_.broken = true;
  }
  EXPECT_EQ(gx::testing::StatusOf(Ask("GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n")), 401);
}

TEST_F(HttpServerPolicyTest, HeadHasTheLengthButNoBody) {
  gx::testing::LoopbackSocket client(server_->ports()[0]);
  client.Send("HEAD /metrics HTTP/1.1\r\nHost: t\r\n\r\nGET /-/healthy HTTP/1.1\r\nHost: t\r\n\r\n");
  // Both answers arrive; the first has Content-Length 13 and no body, so the second follows it.
  std::string all;
  for (int i = 0; i < 200 && all.find("Healthy.") == std::string::npos; ++i) {
    client.Poll(std::chrono::milliseconds(50));
    all = client.received();
  }
  EXPECT_EQ(all.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << all;
  EXPECT_NE(all.find("Content-Length: 13\r\n"), std::string::npos) << all;
  EXPECT_EQ(all.find("genesys_up"), std::string::npos) << all;
  EXPECT_NE(all.find("\r\n\r\nHTTP/1.1 200 OK\r\n"), std::string::npos) << all;
}

TEST(RequestTarget, PathAndQueryAreDecoded) {
  RequestTarget t = ParseRequestTarget("/dash%62oard?site=Paris+Nord&limit=10&flag&site=x%2Fy#frag");
  EXPECT_EQ(t.path, "/dashboard");
  ASSERT_EQ(t.query.count("site"), 2u);
  EXPECT_EQ(t.query.find("site")->second, "Paris Nord");
  EXPECT_EQ(std::next(t.query.find("site"))->second, "x/y");
  EXPECT_EQ(t.query.find("limit")->second, "10");
  EXPECT_EQ(t.query.find("flag")->second, "");
  EXPECT_EQ(PercentDecode("%zz%4", false), "%zz%4");
}

}  // namespace
}  // namespace gx
