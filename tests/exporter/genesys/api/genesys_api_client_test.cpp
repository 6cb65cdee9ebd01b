// The API client against a small in-process HTTP server that plays the login
// and API hosts. Time is a ManualClock; waits advance it instead of sleeping.
#include "exporter/genesys/api/genesys_api_client.h"
#include "exporter/state/self_metrics.h"
#include "exporter/util/build_version.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "exporter/genesys/api/oauth_token_source.h"
#include "exporter/util/http/http_listener.h"
#include "exporter/util/time_math.h"
#include "tests/exporter/outputs/webhook/webhook_test_server.h"

namespace gx {
namespace {

constexpr UnixNanos kStart = 1'800'000'000 * kNanosPerSecond;

class FakeGenesys {
 public:
  FakeGenesys() {
    server_.Post("/oauth/token", [this](const httplib::Request& req, httplib::Response& res) {
      ++token_requests;
      last_auth_header = req.get_header_value("Authorization");
      last_token_body = req.body;
      last_token_content_type = req.get_header_value("Content-Type");
      if (token_delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(token_delay_ms));
      if (!credentials_ok) {
        res.status = 401;
        res.set_content(R"({"error":"invalid_client","description":"client not found","error_description":"client not found"})",
                        "application/json");
        return;
      }
      int n = ++issued;
      current_token = "tok-" + std::to_string(n);
      res.set_content(R"({"access_token":")" + current_token + R"(","token_type":"bearer","expires_in":)" +
                          std::to_string(expires_in) + "}",
                      "application/json");
    });
    server_.Get(R"(/api/v2/.*)", [this](const httplib::Request& req, httplib::Response& res) {
      ++api_requests;
      request_times.push_back(clock_now ? clock_now() : 0);
      last_api_auth = req.get_header_value("Authorization");
      last_user_agent = req.get_header_value("User-Agent");
      last_accept = req.get_header_value("Accept");
      last_accept_encoding = req.get_header_value("Accept-Encoding");
      res.set_header("ININ-Correlation-Id", "corr-" + std::to_string(api_requests.load()));
      if (handler) {
        handler(req, res);
      } else {
        res.set_content(R"({"entities":[]})", "application/json");
      }
    });
    if (Status started = listener_.Start("127.0.0.1", 0); !started) {
      throw std::runtime_error("fake Genesys: " + started.error());
    }
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(listener_.port()); }

  std::atomic<int> token_requests{0};
  std::atomic<int> api_requests{0};
  std::atomic<int> issued{0};
  std::atomic<bool> credentials_ok{true};
  std::int64_t expires_in = 3600;
  int token_delay_ms = 0;
  std::string current_token, last_auth_header, last_token_body, last_token_content_type;
  std::string last_api_auth, last_user_agent, last_accept, last_accept_encoding;
  std::function<void(const httplib::Request&, httplib::Response&)> handler;
  std::function<UnixNanos()> clock_now;
  std::vector<UnixNanos> request_times;

 private:
  httplib::Server server_;
  HttpListener listener_{server_};  // last: stops (and ends the handlers) before the rest goes
};

struct Fixture {
  FakeGenesys fake;
  ManualClock clock{kStart};
  ClockAdvancingSleeper sleeper{clock};
  HealthState health;
  RequestBudget budget{150, clock, sleeper};
  HttpOptions http;
  OAuthTokenSource tokens;
  GenesysApiClient client;

  explicit Fixture(HttpOptions h = {}, RetryPolicy retry = {})
      : http(h),
        tokens(fake.base(), OAuthOptions{"my-client", "s3cr3t-value"}, http, health, clock),
        client(fake.base(), http, retry, tokens, budget, health, clock, sleeper, [] { return 1.0; }) {
    fake.clock_now = [this] { return clock.Now(); };
  }
  std::uint64_t Requests(const std::string& endpoint, const std::string& code) {
    return health.self_metrics().ApiRequests(endpoint, code);
  }
  std::uint64_t Retries(const std::string& endpoint, const std::string& reason) {
    return health.Read([&](const HealthData& d) {
      auto it = d.api_retries.find({endpoint, reason});
      return it == d.api_retries.end() ? 0 : it->second;
    });
  }
  std::optional<bool> Up() {
    return health.Read([](const HealthData& d) { return d.genesys_up; });
  }
};

const std::string kEp = "/api/v2/things";

// The fake's first `answers` responses (every one when 0) carry these inin-ratelimit-*
// headers (allowed, count, reset in seconds).
void RateLimitHeaders(FakeGenesys& fake, std::string allowed, std::string count, std::string reset,
                      int answers = 0) {
  auto n = std::make_shared<int>(0);
  fake.handler = [=](const httplib::Request&, httplib::Response& res) {
    if (answers == 0 || ++*n <= answers) {
      res.set_header("inin-ratelimit-allowed", allowed);
      res.set_header("inin-ratelimit-count", count);
      res.set_header("inin-ratelimit-reset", reset);
    }
    res.set_content("{}", "application/json");
  };
}

// ... saying that the server-side window is used up.
void ExhaustWindow(FakeGenesys& fake, std::string reset, int answers = 0) {
  RateLimitHeaders(fake, "300", "300", std::move(reset), answers);
}

TEST(GenesysApiClient, SendsTheRightRequests) {
  Fixture f;
  auto r = f.client.Get("/api/v2/things?pageSize=5", kEp);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body, R"({"entities":[]})");
  EXPECT_EQ(r.correlation_id, "corr-1");
  // Basic base64("my-client:s3cr3t-value"), form body, no scope.
  EXPECT_EQ(f.fake.last_auth_header, "Basic bXktY2xpZW50OnMzY3IzdC12YWx1ZQ==");
  EXPECT_EQ(f.fake.last_token_body, "grant_type=client_credentials");
  EXPECT_EQ(f.fake.last_token_content_type, "application/x-www-form-urlencoded");
  EXPECT_EQ(f.fake.last_api_auth, "Bearer tok-1");
  EXPECT_EQ(f.fake.last_user_agent, std::string("genesys_exporter/") + BuildVersion());
  EXPECT_EQ(f.fake.last_accept, "application/json");
  EXPECT_EQ(f.fake.last_accept_encoding, "gzip");
  EXPECT_EQ(f.Requests(kEp, "200"), 1u);
  EXPECT_EQ(f.Up(), true);
  auto expiry = f.health.Read([](const HealthData& d) { return d.oauth_token_expiry; });
  EXPECT_EQ(expiry, kStart + 3600 * kNanosPerSecond);
  // The token is cached.
  ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok());
  EXPECT_EQ(f.fake.token_requests, 1);
  EXPECT_EQ(f.health.Read([](const HealthData& d) { return d.oauth_requests; }), 1u);
}

TEST(GenesysApiClient, GzipBodiesAreDecompressed) {
  Fixture f;
  std::string big(20000, 'x');
  f.fake.handler = [&](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"v\":\"" + big + "\"}", "application/json");  // httplib compresses on Accept-Encoding
  };
  auto r = f.client.Get("/api/v2/things", kEp);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.body.size(), big.size() + 8);
}

TEST(GenesysApiClient, RefreshesBeforeExpiry) {
  Fixture f;
  f.fake.expires_in = 100;  // margin: min(60 s, 25 s) = 25 s
  ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok());
  EXPECT_EQ(f.tokens.RefreshAt(), kStart + 75 * kNanosPerSecond);
  f.clock.Advance(74 * kNanosPerSecond);
  ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok());
  EXPECT_EQ(f.fake.token_requests, 1);
  EXPECT_EQ(f.fake.last_api_auth, "Bearer tok-1");
  f.clock.Advance(2 * kNanosPerSecond);
  ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok());
  EXPECT_EQ(f.fake.token_requests, 2);
  EXPECT_EQ(f.fake.last_api_auth, "Bearer tok-2");
  EXPECT_EQ(f.tokens.Generation(), 2u);
}

TEST(GenesysApiClient, RefreshMarginRule) {
  EXPECT_EQ(RefreshMargin(86399, 60 * kNanosPerSecond), 60 * kNanosPerSecond);
  EXPECT_EQ(RefreshMargin(300, 60 * kNanosPerSecond), 60 * kNanosPerSecond);
  EXPECT_EQ(RefreshMargin(8, 60 * kNanosPerSecond), 2 * kNanosPerSecond);
  EXPECT_EQ(RefreshMargin(0, 60 * kNanosPerSecond), 0);
  EXPECT_EQ(RefreshMargin(1'000'000'000'000'000'000, 60 * kNanosPerSecond), 60 * kNanosPerSecond);
  EXPECT_EQ(RefreshMargin(10'000'000'000, 60 * kNanosPerSecond), 60 * kNanosPerSecond);
}

TEST(GenesysApiClient, AHugeExpiresInIsCappedAtTheLongestTokenGenesysIssues) {
  // 10^10 s overflowed int64 nanoseconds (undefined behaviour): the token looked expired
  // at once and every request fetched a new one.
  Fixture f;
  f.fake.expires_in = 10'000'000'000;
  ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok());
  ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok());
  EXPECT_EQ(f.fake.token_requests, 1);
  EXPECT_EQ(f.tokens.RefreshAt(), kStart + SecondsToNanos(kMaxTokenLifetimeSeconds) - 60 * kNanosPerSecond);
  EXPECT_EQ(f.health.Read([](const HealthData& d) { return d.oauth_token_expiry; }),
            kStart + SecondsToNanos(kMaxTokenLifetimeSeconds));
}

TEST(GenesysApiClient, OneRefreshAtATime) {
  FakeGenesys fake;
  fake.token_delay_ms = 200;
  SystemClock clock;
  HealthState health;
  OAuthTokenSource tokens(fake.base(), OAuthOptions{"c", "s"}, HttpOptions{}, health, clock);
  std::vector<std::thread> threads;
  std::atomic<int> got{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (tokens.Token() == std::optional<std::string>("tok-1")) ++got;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(got, 8);
  EXPECT_EQ(fake.token_requests, 1);
}

TEST(GenesysApiClient, UnauthorizedReauthenticatesOnceAndRetriesOnce) {
  Fixture f;
  int n = 0;
  f.fake.handler = [&](const httplib::Request&, httplib::Response& res) {
    if (++n == 1) {
      res.status = 401;
      res.set_content(R"({"status":401,"code":"authentication.required","message":"no"})", "application/json");
    } else {
      res.set_content("{}", "application/json");
    }
  };
  auto r = f.client.Get("/api/v2/things", kEp);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(f.fake.token_requests, 2);
  EXPECT_EQ(f.fake.last_api_auth, "Bearer tok-2");
  EXPECT_EQ(f.Retries(kEp, "unauthorized"), 1u);
  EXPECT_EQ(f.Requests(kEp, "401"), 1u);
  EXPECT_EQ(f.Requests(kEp, "200"), 1u);
}

TEST(GenesysApiClient, UnauthorizedTwiceGivesUpWithoutLooping) {
  Fixture f;
  f.fake.handler = [&](const httplib::Request&, httplib::Response& res) {
    res.status = 401;
    res.set_content(R"({"status":401,"code":"bad.credentials","message":"Invalid login credentials."})",
                    "application/json");
  };
  auto r = f.client.Get("/api/v2/things", kEp);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.error, "HTTP 401 code=bad.credentials message=\"Invalid login credentials.\"");
  EXPECT_EQ(f.fake.api_requests, 2);
  EXPECT_EQ(f.fake.token_requests, 2);
  EXPECT_EQ(f.Retries(kEp, "unauthorized"), 1u);
  EXPECT_EQ(f.Up(), false);
}

TEST(GenesysApiClient, BadCredentialsAreReportedWithoutTheSecret) {
  Fixture f;
  f.fake.credentials_ok = false;
  auto r = f.client.Get("/api/v2/things", kEp);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(f.fake.api_requests, 0);
  EXPECT_EQ(f.Up(), false);
  EXPECT_EQ(f.tokens.last_error(), "token request to " + f.fake.base() +
                                       "/oauth/token answered HTTP 401 error=invalid_client "
                                       "error_description=\"client not found\"");
  EXPECT_EQ(f.tokens.last_error().find("s3cr3t"), std::string::npos);
  EXPECT_EQ(f.health.Read([](const HealthData& d) { return d.oauth_failures; }), 1u);
  // Failures back off: an immediate second call does not hammer the login host.
  EXPECT_FALSE(f.client.Get("/api/v2/things", kEp).ok());
  EXPECT_EQ(f.fake.token_requests, 1);
  f.clock.Advance(2 * kNanosPerSecond);
  f.fake.credentials_ok = true;
  EXPECT_TRUE(f.client.Get("/api/v2/things", kEp).ok());
  EXPECT_EQ(f.Up(), true);
  EXPECT_EQ(f.tokens.last_error(), "");
}

TEST(GenesysApiClient, AnUnreachableLoginHostIsNamedWithTheReason) {
  ManualClock clock(1'000 * kNanosPerSecond);
  HealthState health;
  const std::string login = "http://127.0.0.1:" + std::to_string(testing::DeadPort());
  OAuthTokenSource tokens(login, OAuthOptions{"c", "s3cr3t-value"}, HttpOptions{}, health, clock);
  EXPECT_FALSE(tokens.Token());
  const std::string why = "token request to " + login + "/oauth/token failed: cannot connect to " +
                          login.substr(7) + " (connection refused or host unreachable)";
  EXPECT_EQ(tokens.last_error(), why);
  const LastFailure last = health.Read([](const HealthData& d) { return d.oauth_last_failure; });
  EXPECT_EQ(last.error, why);
  EXPECT_EQ(last.at, clock.Now());
}

TEST(GenesysApiClient, ServerErrorsAreRetriedWithBackoff) {
  Fixture f;
  int n = 0;
  f.fake.handler = [&](const httplib::Request&, httplib::Response& res) {
    res.status = ++n <= 2 ? 503 : 200;
    res.set_content("{}", "application/json");
  };
  auto r = f.client.Get("/api/v2/things", kEp);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(f.Retries(kEp, "server_error"), 2u);
  EXPECT_EQ(f.Requests(kEp, "503"), 2u);
  // Jitter fixed at 1.0: 0.5 s then 1 s.
  EXPECT_EQ(f.sleeper.slept(), 1500 * kNanosPerMilli);
}

TEST(GenesysApiClient, ServerErrorsGiveUpAfterMaxAttempts) {
  Fixture f;
  f.fake.handler = [&](const httplib::Request&, httplib::Response& res) { res.status = 500; };
  auto r = f.client.Get("/api/v2/things", kEp);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(f.fake.api_requests, 4);
  EXPECT_EQ(f.Retries(kEp, "server_error"), 3u);
  EXPECT_EQ(f.Up(), false);
}

TEST(GenesysApiClient, NotImplementedAndClientErrorsAreNotRetried) {
  Fixture f;
  int status = 501;
  f.fake.handler = [&](const httplib::Request&, httplib::Response& res) { res.status = status; };
  EXPECT_EQ(f.client.Get("/api/v2/things", kEp).status, 501);
  status = 400;
  EXPECT_EQ(f.client.Get("/api/v2/things", kEp).status, 400);
  status = 404;
  EXPECT_EQ(f.client.Get("/api/v2/things", kEp).status, 404);
  EXPECT_EQ(f.fake.api_requests, 3);
}

TEST(GenesysApiClient, RetryAfterBlocksTheWholeBudget) {
  Fixture f;
  int n = 0;
  f.fake.handler = [&](const httplib::Request&, httplib::Response& res) {
    if (++n == 1) {
      res.status = 429;
      res.set_header("Retry-After", "7");
      res.set_content(R"({"status":429,"code":"too.many.requests.retry.after"})", "application/json");
    }
  };
  ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok());
  ASSERT_EQ(f.fake.request_times.size(), 2u);
  EXPECT_GE(f.fake.request_times[1] - f.fake.request_times[0], 7 * kNanosPerSecond);
  EXPECT_EQ(f.Retries(kEp, "rate_limited"), 1u);
  EXPECT_EQ(f.budget.blocked_until(), f.fake.request_times[0] + 7 * kNanosPerSecond);
}

TEST(GenesysApiClient, RetryAfterBeyondLimitGivesUp) {
  Fixture f;
  f.fake.handler = [&](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "600");
  };
  EXPECT_EQ(f.client.Get("/api/v2/things", kEp).status, 429);
  EXPECT_EQ(f.fake.api_requests, 1);
  // Still, nobody else may send before the cap has passed.
  EXPECT_GE(f.budget.blocked_until(), kStart + 180 * kNanosPerSecond);
}

TEST(GenesysApiClient, HugeRetryAfterIsCappedNotIgnored) {
  for (const char* value : {"99999999999", "99999999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT"}) {
    Fixture f;
    f.fake.handler = [&](const httplib::Request&, httplib::Response& res) {
      res.status = 429;
      res.set_header("Retry-After", value);
    };
    // Beyond the ceiling: the call gives up (no second request), and the budget stays
    // closed for exactly the ceiling, not the 1 s of a missing Retry-After, nor forever.
    EXPECT_EQ(f.client.Get("/api/v2/things", kEp).status, 429) << value;
    EXPECT_EQ(f.fake.api_requests, 1) << value;
    ASSERT_EQ(f.fake.request_times.size(), 1u);
    EXPECT_EQ(f.budget.blocked_until(), f.fake.request_times[0] + 180 * kNanosPerSecond) << value;
  }
}

// The one Retry-After reading (util/retry_after) takes RFC 9110's forms only: a fraction or
// an exponent (which this client read before, "1e30" as centuries) is no Retry-After, so
// the 429 waits the default second and is retried.
TEST(GenesysApiClient, ANonRfcRetryAfterIsTheDefaultWait) {
  for (const char* value : {"1e30", "2.5", "Fri, 31 Dec 9999 23:59:59 PST"}) {
    Fixture f;
    int n = 0;
    f.fake.handler = [&](const httplib::Request&, httplib::Response& res) {
      if (++n == 1) {
        res.status = 429;
        res.set_header("Retry-After", value);
      }
    };
    ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok()) << value;
    ASSERT_EQ(f.fake.request_times.size(), 2u) << value;
    EXPECT_EQ(f.budget.blocked_until(), f.fake.request_times[0] + 1 * kNanosPerSecond) << value;
  }
}

TEST(GenesysApiClient, HostileRateLimitResetIsCappedAndRequestsResume) {
  for (const char* reset : {"1000000000", "1e300", "99999999999999999999999"}) {
    Fixture f;
    ExhaustWindow(f.fake, reset, 1);  // answered once: the window resets in ~31 years
    ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok()) << reset;
    // The next request goes out once the ceiling of manual time has passed, not in 31 years.
    ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok()) << reset;
    ASSERT_EQ(f.fake.request_times.size(), 2u);
    EXPECT_EQ(f.fake.request_times[1] - f.fake.request_times[0], 180 * kNanosPerSecond) << reset;
    EXPECT_EQ(f.sleeper.slept(), 180 * kNanosPerSecond) << reset;
  }
}

TEST(GenesysApiClient, ServerWaitCeilingIsConfigurable) {
  RetryPolicy retry;
  retry.max_server_wait = 5 * kNanosPerSecond;
  Fixture f(HttpOptions{}, retry);
  ExhaustWindow(f.fake, "12", 1);
  ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok());
  ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok());
  EXPECT_EQ(f.fake.request_times[1] - f.fake.request_times[0], 5 * kNanosPerSecond);
}

TEST(GenesysApiClient, NonFiniteRateLimitHeadersAreIgnored) {
  Fixture f;
  RateLimitHeaders(f.fake, "inf", "nan", "inf");
  ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok());
  ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok());
  EXPECT_EQ(f.sleeper.slept(), 0);
  // Not NaN: the gauge falls back to the client-side budget.
  auto remaining = f.health.Read([](const HealthData& d) { return d.rate_limit_remaining; });
  ASSERT_TRUE(remaining);
  EXPECT_EQ(*remaining, 23.0);
}

TEST(GenesysApiClient, NegativeOrTrailingJunkRateLimitHeadersAreIgnored) {
  // A negative count made remaining +inf (1e308 - -1e308); "5x" counted as 5.
  for (auto [allowed, count] : {std::pair{"1e308", "-1e308"}, std::pair{"300", "5x"}}) {
    Fixture f;
    RateLimitHeaders(f.fake, allowed, count, "1");
    ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok());
    // The gauge falls back to the client-side budget.
    EXPECT_EQ(f.health.Read([](const HealthData& d) { return d.rate_limit_remaining; }), 24.0) << count;
  }
}

TEST(GenesysApiClient, RateLimitHeadersAreExported) {
  Fixture f;
  RateLimitHeaders(f.fake, "300", "120", "30");
  ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok());
  EXPECT_EQ(f.health.Read([](const HealthData& d) { return d.rate_limit_remaining; }), 180.0);
}

TEST(GenesysApiClient, ExhaustedServerWindowHoldsRequestsUntilReset) {
  Fixture f;
  ExhaustWindow(f.fake, "12");
  ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok());
  ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok());
  EXPECT_GE(f.fake.request_times[1] - f.fake.request_times[0], 12 * kNanosPerSecond);
}

TEST(GenesysApiClient, WithoutHeadersRemainingComesFromTheBudget) {
  Fixture f;
  ASSERT_TRUE(f.client.Get("/api/v2/things", kEp).ok());
  EXPECT_EQ(f.health.Read([](const HealthData& d) { return d.rate_limit_remaining; }), 24.0);
}

TEST(GenesysApiClient, TimeoutsAreRetriedAndCounted) {
  HttpOptions http;
  http.read_timeout_s = 0.2;
  RetryPolicy retry;
  retry.max_attempts = 2;
  Fixture f(http, retry);
  f.fake.handler = [&](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    res.set_content("{}", "application/json");
  };
  auto r = f.client.Get("/api/v2/things", kEp);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(f.Retries(kEp, "timeout"), 1u);
  EXPECT_EQ(f.Requests(kEp, "error"), 2u);
  EXPECT_EQ(f.Up(), false);
}

TEST(GenesysApiClient, NetworkErrorsAreRetriedAndCounted) {
  ManualClock clock(kStart);
  ClockAdvancingSleeper sleeper(clock);
  HealthState health;
  RequestBudget budget(150, clock, sleeper);
  FakeGenesys login;
  OAuthTokenSource tokens(login.base(), OAuthOptions{"c", "s"}, HttpOptions{}, health, clock);
  // A port that was bound and released, with nobody listening: connections are refused.
  std::string dead;
  {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    dead = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
    ::close(fd);
  }
  RetryPolicy retry;
  retry.max_attempts = 3;
  GenesysApiClient client(dead, HttpOptions{}, retry, tokens, budget, health, clock, sleeper, [] { return 0.0; });
  auto r = client.Get("/api/v2/things", kEp);
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.error.empty());
  EXPECT_EQ(health.Read([](const HealthData& d) { return d.api_retries.at({kEp, "network"}); }), 2u);
  EXPECT_EQ(health.self_metrics().ApiRequests(kEp, "error"), 3u);
}

TEST(GenesysApiClient, StopCutsWaitsShort) {
  FakeGenesys fake;
  SystemClock clock;
  RealSleeper sleeper;
  HealthState health;
  RequestBudget budget(150, clock, sleeper);
  OAuthTokenSource tokens(fake.base(), OAuthOptions{"c", "s"}, HttpOptions{}, health, clock);
  GenesysApiClient client(fake.base(), HttpOptions{}, RetryPolicy{}, tokens, budget, health, clock, sleeper);
  budget.BlockUntil(clock.Now() + 3600 * kNanosPerSecond);
  std::thread stopper([&] { sleeper.Stop(); });
  auto r = client.Get("/api/v2/things", kEp);
  stopper.join();
  EXPECT_EQ(r.error, "stopped");
  EXPECT_EQ(fake.api_requests, 0);
}

}  // namespace
}  // namespace gx
