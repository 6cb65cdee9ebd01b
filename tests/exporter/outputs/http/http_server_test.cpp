#include "exporter/outputs/http/http_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>

namespace gx {
namespace {

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpHandlers h;
    h.metrics = [] { return std::string("genesys_up 1\n"); };
    h.landing_page = [] { return std::string("<html>landing</html>"); };
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
    std::string error;
    ASSERT_TRUE(server_->Start({"127.0.0.1:0"}, error)) << error;
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
  std::string error;
  ASSERT_TRUE(first.Start({"127.0.0.1:0"}, error));
  HttpServer second("/metrics", {});
  const std::string address = "127.0.0.1:" + std::to_string(first.ports()[0]);
  EXPECT_FALSE(second.Start({address}, error));
  EXPECT_EQ(error.rfind("--web.listen-address: cannot listen on " + address, 0), 0u) << error;
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
}  // namespace
}  // namespace gx
