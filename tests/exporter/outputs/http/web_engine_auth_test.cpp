// The web server's basic auth under a flood of wrong passwords (WebEngine, through HttpServer,
// with the policy a --web.config.file builds): bcrypt runs on a bounded queue of its own, so a
// scrape with a cached password and a request without credentials are answered while the
// wrong ones are hashed; a full queue is answered 503 with Retry-After instead of waiting;
// and a connection waiting for its check may be evicted at the connection cap. Uses only
// interfaces the server had before the queue, so that these tests also ran (and failed) there.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <thread>

#include "exporter/outputs/http/http_server.h"
#include "exporter/outputs/http/web_policy_loader.h"
#include "exporter/state/health_state.h"
#include "exporter/util/base64.h"
#include "tests/exporter/outputs/http/bcrypt_hashes.h"
#include "tests/exporter/sources/tls/test_pki.h"
#include "tests/exporter/util/loopback_socket.h"
#include "tests/exporter/util/scratch_dir.h"

namespace gx {
namespace {

using gx::testing::LoopbackSocket;
using gx::testing::StatusOf;
using gx::testpki::WaitFor;
using namespace std::chrono_literals;

std::string Get(const std::string& path, const std::string& user_password) {
  std::string r = "GET " + path + " HTTP/1.1\r\nHost: test\r\n";
  if (!user_password.empty()) r += "Authorization: Basic " + Base64Encode(user_password) + "\r\n";
  return r + "\r\n";
}

// A bcrypt hash at `cost` that no password matches, made without paying that cost: a real
// cost-4 hash (a valid salt) with the cost field raised.
std::string SlowHashNoPasswordMatches(int cost) {
  std::string hash = testing::LibcryptBcrypt("not-a-password-anyone-sends", 4);
  const std::string digits = std::to_string(cost);
  hash.replace(4, 2, digits.size() == 1 ? "0" + digits : digits);
  return hash;
}

class WebEngineAuth : public ::testing::Test {
 protected:
  // alice (cost 4, password "a-pw") and bob, whose every check takes a second or more (cost 14).
  void Start(WebLimits limits = WebLimits{}) {
    const std::string path = (dir_.path() / "web.yml").string();
    std::ofstream(path) << "basic_auth_users:\n  alice: " << testing::LibcryptBcrypt("a-pw", 4)
                        << "\n  bob: " << SlowHashNoPasswordMatches(14) << "\n";
    ConfigErrors errors;
    policy_ = LoadWebPolicy(path, checker_, errors);
    ASSERT_TRUE(policy_) << errors.messages.at(0);
    HttpServerOptions options;
    options.limits = limits;
    options.health = &health_;
    options.policy = [this] { return policy_; };
    HttpHandlers h;
    h.metrics = [](bool) { return EncodedBody{"genesys_up 1\n"}; };
    h.landing_page = [] { return std::string("<html></html>"); };
    h.ready = [] { return true; };
    h.dashboard = [](const QueryParams&) { return WebResponse{}; };
    server_ = std::make_unique<HttpServer>("/metrics", h, options);
    const Status started = server_->Start({"127.0.0.1:0"});
    ASSERT_TRUE(started.ok()) << started.error();
    port_ = server_->ports()[0];
  }
  void TearDown() override {
    stop_flood_ = true;
    for (auto& t : flood_) t.join();
    if (server_) server_->Stop();
  }
  std::string Ask(const std::string& request, std::chrono::milliseconds limit = 10s) {
    LoopbackSocket client(port_);
    client.Send(request);
    return client.ReadResponse(limit);
  }
  // `clients` connections that keep sending bob with a wrong password, each its own.
  void Flood(int clients) {
    for (int i = 0; i < clients; ++i) {
      flood_.emplace_back([this, i] {
        LoopbackSocket c(port_);
        const std::string request = Get("/metrics", "bob:wrong-" + std::to_string(i));
        while (!stop_flood_ && c.ok()) {
          c.Send(request);
          std::string response;
          while (!stop_flood_ && response.empty() && c.ok()) response = c.ReadResponse(200ms);
          std::lock_guard lock(mu_);
          flood_statuses_.push_back(StatusOf(response));
          if (StatusOf(response) == 503) {
            retry_after_ = retry_after_ || response.find("\r\nRetry-After: 1\r\n") != std::string::npos;
            std::this_thread::sleep_for(50ms);  // as a client that honours Retry-After, roughly
          }
        }
      });
    }
  }
  int FloodStatusCount(int status) {
    std::lock_guard lock(mu_);
    return static_cast<int>(std::count(flood_statuses_.begin(), flood_statuses_.end(), status));
  }

  testing::ScratchDir dir_{"gx-web-auth"};
  std::shared_ptr<BcryptChecker> checker_ = std::make_shared<BcryptChecker>();
  std::shared_ptr<const WebPolicy> policy_;
  HealthState health_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
  std::atomic<bool> stop_flood_{false};
  std::vector<std::thread> flood_;
  std::mutex mu_;
  std::vector<int> flood_statuses_;
  bool retry_after_ = false;
};

TEST_F(WebEngineAuth, ACachedScrapeAnswersWhileWrongPasswordsAreHashed) {
  Start();
  ASSERT_EQ(StatusOf(Ask(Get("/metrics", "alice:a-pw"))), 200);  // alice's password is cached now
  ASSERT_EQ(checker_->bcrypt_runs(), 1u);
  Flood(12);  // more than the handler threads, and more than may wait for a check
  // A slow check has just begun: it runs for a second or more, and every answer below comes before it ends.
  ASSERT_TRUE(WaitFor([&] { return checker_->bcrypt_runs() >= 2; }));
  const std::uint64_t running = checker_->bcrypt_runs();
  for (int i = 0; i < 3; ++i) {
    const std::string scrape = Ask(Get("/metrics", "alice:a-pw"), 10s);  // 10 s: a hang detector
    EXPECT_EQ(StatusOf(scrape), 200) << scrape;
    EXPECT_NE(scrape.find("genesys_up 1"), std::string::npos) << scrape;
    // No credentials: refused at once, as they need no bcrypt.
    EXPECT_EQ(StatusOf(Ask(Get("/-/healthy", ""), 10s)), 401);
  }
  EXPECT_EQ(checker_->bcrypt_runs(), running) << "the answers waited for a wrong password's bcrypt";
  // The flood beyond the queue was told to come back, not made to wait.
  EXPECT_TRUE(WaitFor([&] { return FloodStatusCount(503) > 0; })) << "no 503 for a flood beyond the queue";
  std::lock_guard lock(mu_);
  EXPECT_TRUE(retry_after_);
}

TEST_F(WebEngineAuth, AConnectionWaitingForAPasswordCheckMayBeEvicted) {
  WebLimits limits;
  limits.max_connections = 3;
  Start(limits);
  ASSERT_EQ(StatusOf(Ask(Get("/metrics", "alice:a-pw"))), 200);
  ASSERT_TRUE(WaitFor([&] { return health_.Read([](const HealthData& d) { return d.web.open; }) == 0; }));
  // Three connections wait for bob's checks (one runs, two are queued).
  std::vector<LoopbackSocket> waiting;
  for (int i = 0; i < 3; ++i) {
    waiting.emplace_back(port_);
    waiting.back().Send(Get("/metrics", "bob:wrong-" + std::to_string(i)));
  }
  ASSERT_TRUE(WaitFor([&] { return checker_->bcrypt_runs() >= 2; }));
  const std::uint64_t running = checker_->bcrypt_runs();
  // At the cap, a scrape gets in in place of one of them.
  const std::string scrape = Ask(Get("/metrics", "alice:a-pw"), 10s);
  EXPECT_EQ(StatusOf(scrape), 200) << scrape;
  EXPECT_EQ(checker_->bcrypt_runs(), running);
  const WebHealth w = health_.Read([](const HealthData& d) { return d.web; });
  EXPECT_GE(w.closed.count("evicted") ? w.closed.at("evicted") : 0u, 1u);
}

}  // namespace
}  // namespace gx
