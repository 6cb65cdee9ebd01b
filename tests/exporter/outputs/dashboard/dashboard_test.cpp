#include "exporter/outputs/dashboard/dashboard.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/exporter/outputs/alerts/alert_test_util.h"

namespace gx {
namespace {

using namespace gx::testing;
constexpr UnixNanos kSec = kNanosPerSecond;

class DashboardTest : public ::testing::Test {
 protected:
  static SourceHealth Source(bool up, UnixNanos last_success, double duration_seconds,
                             std::uint64_t requests, double interval_seconds, std::string last_error) {
    SourceHealth c;
    c.up = up;
    c.ran = true;
    c.last_success = last_success;
    c.last_duration_seconds = duration_seconds;
    c.last_cycle_requests = requests;
    c.interval_seconds = interval_seconds;
    c.configured_interval_seconds = interval_seconds;
    c.last_error = std::move(last_error);
    return c;
  }

  void SetUp() override {
    Phone user_phone = MakePhone("p-user", "HQ", true);
    std::vector<Phone> phones = {user_phone, MakePhone("p-down", "HQ", false), MakePhone("p-branch", "Branch", true)};
    tel_.ReplacePhones(phones, kT0);
    Station s;
    s.id = "st1";
    s.line_appearance_id = "p-user-line0";
    tel_.ReplaceStations({s}, kT0);
    tel_.SetFollowedUsers({"u1", "u2"});
    tel_.ApplyUserStation({"u1", "st1", "Station 1", "inin_webrtc_softphone"}, kT0);
    tel_.ApplyUserStation({"u2", "", "", ""}, kT0);
    Trunk degraded = MakeTrunk("t-b", true, false);
    tel_.ReplaceTrunks({MakeTrunk("t-a", true), degraded, MakeTrunk("t-c", false)}, kT0 + kSec);
    TrunkMetrics m;
    m.trunk_id = "t-a";
    m.inbound_calls = 4;
    m.outbound_calls = 2;
    tel_.ApplyTrunkMetrics(m, kT0 + kSec);
    tel_.ReplaceEdges({MakeEdge("e1", "HQ", true), MakeEdge("e2", "Branch", false)}, kT0 + 2 * kSec);
    TlsTarget target;
    target.host = "sip.example.net";
    target.source = "trunk";
    target.trunk_ids = {"t-a"};
    tel_.ReplaceTlsTargets({target}, /*complete=*/true);
    tel_.ApplyTlsResult(MakeTlsResult("sip.example.net:5061", kT0 + 20 * 86400 * kSec));
    tel_.SetPushed({"p-user"}, {"t-a"}, {});
    health_.sources["phones"] = Source(true, kT0, 0.5, 3, 60, "");
    health_.sources["trunks"] = Source(false, kT0 - 3600 * kSec, 0.1, 1, 30, "HTTP 503");
    health_.genesys_up = true;
    health_.notifications.connected = true;
    health_.notifications.channels = 1;
    health_.notifications.subscribed_topics = 7;

    Alert a;
    a.labels = {{"alertname", "edge_offline"}, {"edge_id", "e2"}, {"edge_name", "Edge e2"}, {"site", "Branch"}};
    a.fingerprint = AlertFingerprint(a.labels);
    a.status = AlertStatus::kFiring;
    a.severity = "critical";
    a.summary = "edge Edge e2 is OFFLINE";
    a.active_since = kT0;
    a.fired_at = kT0 + 60 * kSec;
    alerts_.push_back(a);
  }

  std::string Render(const DashboardFilters& f, bool per_phone = true) {
    DashboardOptions o;
    o.per_phone = per_phone;
    return tel_.Read([&](const TelephonyData& t) {
      return RenderDashboard(t, health_, alerts_, f, o, kT0 + 120 * kSec);
    });
  }
  static size_t Count(const std::string& body, const std::string& needle) {
    size_t n = 0;
    for (auto pos = body.find(needle); pos != std::string::npos; pos = body.find(needle, pos + 1)) ++n;
    return n;
  }

  TelephonyState tel_;
  HealthData health_;
  std::vector<Alert> alerts_;
};

TEST_F(DashboardTest, MatchesGolden) {
  const std::string body = Render({});
  const std::string path = std::string(GX_SOURCE_DIR) + "/tests/exporter/outputs/dashboard/testdata/dashboard.golden.json";
  if (std::getenv("GX_UPDATE_GOLDEN")) std::ofstream(path) << body << "\n";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path << " (run with GX_UPDATE_GOLDEN=1 to create it)";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(body + "\n", ss.str());
}

TEST_F(DashboardTest, KeepsTheOriginalFieldNames) {
  const std::string body = Render({});
  for (const char* field : {"\"registrations\":[", "\"userId\":", "\"deviceId\":", "\"registered\":", "\"codec\":",
                            "\"lastChecked\":", "\"carriers\":[", "\"providerId\":", "\"name\":", "\"status\":",
                            "\"health\":", "\"report\":{", "\"generatedAt\":", "\"totalChecks\":", "\"successCount\":",
                            "\"successRate\":", "\"lastFailureTime\":", "\"activeUsers\":1", "\"degradedCarriers\":2"}) {
    EXPECT_NE(body.find(field), std::string::npos) << field;
  }
}

TEST_F(DashboardTest, FiltersBySiteHealthAndRegistered) {
  DashboardFilters f;
  f.site = "Branch";
  std::string body = Render(f);
  EXPECT_EQ(Count(body, "\"deviceId\":"), 1u);  // p-branch only (the users' phones are at HQ or none)
  EXPECT_NE(body.find("\"deviceId\":\"p-branch\""), std::string::npos);
  EXPECT_EQ(Count(body, "\"onlineStatus\":"), 1u);
  EXPECT_EQ(Count(body, "\"fingerprint\":"), 1u);
  f.site = "HQ";
  body = Render(f);
  EXPECT_EQ(Count(body, "\"fingerprint\":"), 0u);

  f = {};
  f.health = "degraded";
  body = Render(f);
  EXPECT_EQ(Count(body, "\"providerId\":"), 1u);
  EXPECT_NE(body.find("\"providerId\":\"t-b\""), std::string::npos);
  EXPECT_NE(body.find("\"degradedCarriers\":2"), std::string::npos);  // the report is not filtered

  f = {};
  f.registered = false;
  body = Render(f);
  EXPECT_EQ(Count(body, "\"registered\":true"), 0u);
  EXPECT_EQ(Count(body, "\"deviceId\":"), 2u);  // u2 (no station) and p-down
  f.registered = true;
  body = Render(f, /*per_phone=*/false);
  EXPECT_EQ(Count(body, "\"deviceId\":"), 1u);  // u1
  EXPECT_NE(body.find("\"userId\":\"u1\""), std::string::npos);
}

TEST_F(DashboardTest, PaginatesRegistrations) {
  DashboardFilters f;
  f.limit = 2;
  f.offset = 1;
  const std::string body = Render(f);
  EXPECT_EQ(Count(body, "\"lastChecked\":"), 2u);
  EXPECT_NE(body.find("\"page\":{\"total\":5,\"offset\":1,\"limit\":2,\"returned\":2}"), std::string::npos) << body;
}

TEST(DashboardFilterParseTest, AcceptsAndRejects) {
  auto r = ParseDashboardFilters({{"site", "HQ"}, {"health", "down"}, {"registered", "false"}, {"limit", "10"}});
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.filters.site, "HQ");
  EXPECT_EQ(r.filters.health, "down");
  EXPECT_EQ(r.filters.registered, false);
  EXPECT_EQ(r.filters.limit, 10u);
  EXPECT_EQ(ParseDashboardFilters({{"health", "sick"}}).error, "health must be up, degraded or down");
  EXPECT_EQ(ParseDashboardFilters({{"registered", "yes"}}).error, "registered must be true or false");
  EXPECT_EQ(ParseDashboardFilters({{"limit", "-1"}}).error, "limit must be a non-negative integer");
}

// 100,000 registrations made a 14 MB body per request: a larger limit than 5,000 is an error,
// not silently less than was asked for.
TEST(DashboardFilterParseTest, LimitHasAMaximum) {
  EXPECT_EQ(kDashboardMaxLimit, 5000u);
  auto r = ParseDashboardFilters({{"limit", "5000"}, {"offset", "45000"}});
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.filters.limit, 5000u);
  EXPECT_EQ(r.filters.offset, 45000u);
  EXPECT_EQ(ParseDashboardFilters({{"limit", "0"}}).filters.limit, 0u);  // counts only
  for (const char* too_many : {"5001", "100000", "999999999"}) {
    EXPECT_EQ(ParseDashboardFilters({{"limit", too_many}}).error,
              "limit must be at most 5000 (page through the rest with offset)")
        << too_many;
  }
  EXPECT_EQ(ParseDashboardFilters({{"limit", "9999999999"}}).error, "limit must be a non-negative integer");
}

TEST(DashboardETagTest, FollowsTheBody) {
  EXPECT_EQ(DashboardETag("{}"), DashboardETag("{}"));
  EXPECT_NE(DashboardETag("{}"), DashboardETag("{ }"));
  EXPECT_EQ(DashboardETag("{}").front(), '"');
  EXPECT_EQ(DashboardETag("{}").size(), 18u);
  // Only the generation time differs: same ETag.
  EXPECT_EQ(DashboardETag(R"({"generatedAt":"2026-09-21T14:15:20.000Z","a":1})"),
            DashboardETag(R"({"generatedAt":"2026-09-21T14:16:20.000Z","a":1})"));
  EXPECT_NE(DashboardETag(R"({"generatedAt":"2026-09-21T14:15:20.000Z","a":1})"),
            DashboardETag(R"({"generatedAt":"2026-09-21T14:15:20.000Z","a":2})"));
}

}  // namespace
}  // namespace gx
