// Shapes of the simulator's OAuth and /api/v2 responses against genesys-api.md: envelopes,
// pagination, field names, enums, headers, error bodies, the rate limit and HTTP faults.
#include <regex>
#include <set>

#include "tests/simulator/sim_test_util.h"

namespace gx::sim {
namespace {

using testing::Json;
using testing::SimClient;

const std::string kPhones = "/api/v2/telephony/providers/edges/phones";
const std::string kTrunks = "/api/v2/telephony/providers/edges/trunks";
const std::string kEdges = "/api/v2/telephony/providers/edges";

class RestApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_ = std::make_unique<Simulator>(scenario_);
    ASSERT_TRUE(sim_->Start());
    client_ = std::make_unique<SimClient>(*sim_);
    client_->Login();
    ASSERT_FALSE(client_->token_.empty());
  }
  Json GetJson(const std::string& path, int want_status = 200) {
    auto r = client_->Get(path);
    EXPECT_TRUE(r) << path;
    Json j;
    if (!r) return j;
    EXPECT_EQ(r->status, want_status) << path << " " << r->body;
    EXPECT_TRUE(j.Parse(r->body)) << r->body.substr(0, 200);
    return j;
  }
  Scenario scenario_ = testing::SmallScenario();
  std::unique_ptr<Simulator> sim_;
  std::unique_ptr<SimClient> client_;
};

void ExpectApiError(const httplib::Result& r, int status, const std::string& code) {
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, status);
  Json j;
  ASSERT_TRUE(j.Parse(r->body)) << r->body;
  EXPECT_EQ(std::string(j.root["code"].get_string().value()), code);
  EXPECT_EQ(j.root["status"].get_int64().value(), status);
  EXPECT_FALSE(j.root["message"].get_string().value().empty());
  EXPECT_FALSE(j.root["contextId"].get_string().value().empty());
  EXPECT_TRUE(j.root["details"].is_array());
  EXPECT_TRUE(j.root["errors"].is_array());
  EXPECT_TRUE(r->has_header("ININ-Correlation-Id"));
}

// UTC ISO-8601 with 0 to 9 fractional digits, as genesys-api.md describes.
bool IsIsoTime(std::string_view s) {
  static const std::regex re(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$)");
  return std::regex_match(std::string(s), re);
}

TEST_F(RestApiTest, OAuthIssuesBearerTokens) {
  httplib::Headers h = {{"Authorization", "Basic " + testing::Base64("demo-client:demo-secret")}};
  auto r = client_->raw().Post("/oauth/token", h, "grant_type=client_credentials", "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  Json j;
  ASSERT_TRUE(j.Parse(r->body));
  EXPECT_EQ(std::string(j.root["token_type"].get_string().value()), "bearer");
  EXPECT_EQ(j.root["expires_in"].get_int64().value(), scenario_.token_lifetime_s);
  EXPECT_FALSE(j.root["access_token"].get_string().value().empty());
  EXPECT_TRUE(r->has_header("ININ-Correlation-Id"));
}

TEST_F(RestApiTest, OAuthRejectsBadCredentialsWithAuthErrorBody) {
  for (auto [id, secret] : {std::pair{"demo-client", "wrong"}, std::pair{"nobody", "demo-secret"}}) {
    httplib::Headers h = {{"Authorization", "Basic " + testing::Base64(std::string(id) + ":" + secret)}};
    auto r = client_->raw().Post("/oauth/token", h, "grant_type=client_credentials", "application/x-www-form-urlencoded");
    ASSERT_TRUE(r);
    EXPECT_NE(r->status, 200);
    Json j;
    ASSERT_TRUE(j.Parse(r->body));
    EXPECT_EQ(std::string(j.root["error"].get_string().value()), "invalid_client");
    EXPECT_FALSE(j.root["description"].get_string().value().empty());
    EXPECT_FALSE(j.root["error_description"].get_string().value().empty());
  }
}

TEST_F(RestApiTest, ApiNeedsAValidBearerToken) {
  httplib::Client raw("127.0.0.1", sim_->http_port());
  ExpectApiError(raw.Get(kPhones), 401, "authentication.required");
  ExpectApiError(raw.Get(kPhones, {{"Authorization", "Bearer not-a-token"}}), 401, "bad.credentials");
  sim_->RevokeTokens();
  ExpectApiError(client_->Get(kPhones), 401, "bad.credentials");
}

TEST(RestApiExpiryTest, ExpiredTokenGets401CredentialsExpired) {
  ManualClock clock(1'800'000'000LL * kNanosPerSecond);
  Scenario s = testing::SmallScenario();
  s.token_lifetime_s = 300;
  Simulator sim(s, clock);
  ASSERT_TRUE(sim.Start());
  SimClient c(sim);
  c.Login();
  EXPECT_EQ(c.Get(kPhones)->status, 200);
  clock.Advance(301 * kNanosPerSecond);
  ExpectApiError(c.Get(kPhones), 401, "credentials.expired");
}

TEST_F(RestApiTest, EveryResponseCarriesCorrelationAndRateLimitHeaders) {
  for (const auto& path : {kPhones, kTrunks, kEdges, std::string("/api/v2/stations")}) {
    auto r = client_->Get(path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    for (const char* h : {"ININ-Correlation-Id", "inin-ratelimit-allowed", "inin-ratelimit-count", "inin-ratelimit-reset"}) {
      EXPECT_TRUE(r->has_header(h)) << path << " " << h;
    }
    EXPECT_EQ(r->get_header_value("inin-ratelimit-allowed"), "300");
  }
}

TEST_F(RestApiTest, PhonesPaginateOverEveryPhoneOnce) {
  std::set<std::string> seen;
  int page = 1, page_count = 0;
  do {
    Json j = GetJson(kPhones + "?pageSize=7&pageNumber=" + std::to_string(page) + "&expand=status");
    for (const char* k : {"pageSize", "pageNumber", "total", "pageCount"}) EXPECT_TRUE(j.root[k].is_int64()) << k;
    for (const char* k : {"firstUri", "selfUri", "lastUri"}) EXPECT_TRUE(j.root[k].is_string()) << k;
    page_count = static_cast<int>(j.root["pageCount"].get_int64().value());
    EXPECT_EQ(j.root["total"].get_int64().value(), 65);
    EXPECT_EQ(j.root["pageNumber"].get_int64().value(), page);
    if (page < page_count) {
      EXPECT_TRUE(j.root["nextUri"].is_string());
    } else {
      EXPECT_TRUE(j.root["nextUri"].error());
    }
    for (auto e : j.root["entities"].get_array()) seen.insert(std::string(e["id"].get_string().value()));
  } while (++page <= page_count);
  EXPECT_EQ(page_count, 10);
  auto ids = sim_->PhoneIds();
  EXPECT_EQ(seen, std::set<std::string>(ids.begin(), ids.end()));
}

TEST_F(RestApiTest, PhoneShapeAndLineIdsMatchLineStatuses) {
  Json j = GetJson(kPhones + "?pageSize=100&expand=status");
  int webrtc = 0;
  for (auto p : j.root["entities"].get_array()) {
    EXPECT_EQ(std::string(p["state"].get_string().value()), "active");
    EXPECT_FALSE(p["site"]["id"].get_string().value().empty());
    EXPECT_FALSE(p["site"]["name"].get_string().value().empty());
    auto codecs = p["capabilities"]["mediaCodecs"].get_array();
    EXPECT_GE(codecs.size(), 2u);
    std::set<std::string> lines, statuses;
    for (auto l : p["lines"].get_array()) lines.insert(std::string(l["id"].get_string().value()));
    for (const char* which : {"status", "secondaryStatus"}) {
      auto st = p[which];
      std::string op(st["operationalStatus"].get_string().value());
      EXPECT_TRUE(op == "OPERATIONAL" || op == "DEGRADED" || op == "OFFLINE" || op == "UNKNOWN") << op;
      std::string es(st["edgesStatus"].get_string().value());
      EXPECT_TRUE(es == "IN_SERVICE" || es == "MIXED_SERVICE" || es == "OUT_OF_SERVICE" || es == "NO_EDGES");
      EXPECT_TRUE(IsIsoTime(st["eventCreationTime"].get_string().value()));
      EXPECT_FALSE(st["edge"]["id"].get_string().value().empty());
      std::set<std::string> ids;
      for (auto ls : st["lineStatuses"].get_array()) {
        ids.insert(std::string(ls["id"].get_string().value()));
        EXPECT_TRUE(ls["reachable"].is_bool());
        EXPECT_TRUE(IsIsoTime(ls["reachableStateTime"].get_string().value()));
      }
      EXPECT_EQ(ids, lines);
    }
    EXPECT_EQ(std::string(p["status"]["phoneAssignmentToEdgeType"].get_string().value()), "PRIMARY");
    if (p["webRtcUser"].is_object()) {
      ++webrtc;
      auto r = client_->Get("/api/v2/users/" + std::string(p["webRtcUser"]["id"].get_string().value()) + "/station");
      EXPECT_EQ(r->status, 200);
    } else {
      EXPECT_TRUE(p["webRtcUser"].is_null());
      EXPECT_FALSE(p["userAgentInfo"]["manufacturer"].get_string().value().empty());
    }
  }
  EXPECT_GT(webrtc, 0);
}

TEST_F(RestApiTest, StatusOnlyWhenExpanded) {
  Json j = GetJson(kPhones + "?pageSize=5");
  for (auto p : j.root["entities"].get_array()) {
    EXPECT_TRUE(p["status"].error());
    EXPECT_TRUE(p["secondaryStatus"].error());
    EXPECT_TRUE(p["lines"].is_array());
  }
}

TEST_F(RestApiTest, PageSizeAboveMaximumIs400) {
  ExpectApiError(client_->Get(kPhones + "?pageSize=101"), 400, "bad.request");
  ExpectApiError(client_->Get(kPhones + "?pageSize=abc"), 400, "bad.request");
  EXPECT_EQ(client_->Get(kPhones + "?pageSize=100")->status, 200);
}

TEST_F(RestApiTest, SiteFilterAndSortById) {
  auto sites = sim_->SiteIds();
  Json j = GetJson(kPhones + "?pageSize=100&site.id=" + sites[1]);
  EXPECT_EQ(j.root["total"].get_int64().value(), 25);
  for (auto p : j.root["entities"].get_array()) EXPECT_EQ(p["site"]["id"].get_string().value(), sites[1]);
  Json k = GetJson(kPhones + "?pageSize=100&sortBy=id");
  std::string prev;
  for (auto p : k.root["entities"].get_array()) {
    std::string id(p["id"].get_string().value());
    EXPECT_LT(prev, id);
    prev = id;
  }
}

TEST_F(RestApiTest, StationsJoinPhonesAndUsers) {
  auto user = sim_->UserIds().front();
  Json us = GetJson("/api/v2/users/" + user + "/station");
  auto as = us.root["associatedStation"];
  EXPECT_EQ(as["associatedUser"]["id"].get_string().value(), user);
  EXPECT_FALSE(as["name"].get_string().value().empty());
  EXPECT_FALSE(as["type"].get_string().value().empty());
  std::string station(as["id"].get_string().value());
  Json st = GetJson("/api/v2/stations/" + station);
  EXPECT_EQ(std::string(st.root["status"].get_string().value()), "ASSOCIATED");
  EXPECT_EQ(st.root["userId"].get_string().value(), user);
  std::string line(st.root["lineAppearanceId"].get_string().value());
  Json ph = GetJson(kPhones + "?lines.id=" + line + "&expand=status");
  ASSERT_EQ(ph.root["total"].get_int64().value(), 1);
  Json list = GetJson("/api/v2/stations?pageSize=100&lineAppearanceId=" + line);
  EXPECT_EQ(list.root["total"].get_int64().value(), 1);
  Json all = GetJson("/api/v2/stations?pageSize=100");
  EXPECT_EQ(all.root["total"].get_int64().value(), 65);
  ExpectApiError(client_->Get("/api/v2/users/no-such-user/station"), 404, "not.found");
}

TEST_F(RestApiTest, TrunksAndTlsTrunkBases) {
  Json j = GetJson(kTrunks + "?pageSize=100&trunkType=EXTERNAL");
  EXPECT_EQ(j.root["total"].get_int64().value(), 8);
  std::map<std::string, std::vector<std::string>> proxies_by_base;
  for (auto t : j.root["entities"].get_array()) {
    EXPECT_EQ(std::string(t["trunkType"].get_string().value()), "EXTERNAL");
    for (const char* k : {"inService", "enabled"}) EXPECT_TRUE(t[k].is_bool());
    EXPECT_TRUE(t["connectedStatus"]["connected"].is_bool());
    std::string oes(t["optionsEnabledStatus"].get_string().value());
    EXPECT_TRUE(oes == "ENABLED" || oes == "DISABLED" || oes == "NOT_SUPPORTED");
    std::vector<std::string> list;
    for (auto p : t["proxyAddressList"].get_array()) list.emplace_back(p.get_string().value());
    EXPECT_GE(list.size(), 1u);
    EXPECT_LE(list.size(), 4u);
    for (auto o : t["optionsStatus"].get_array()) {
      EXPECT_TRUE(o["optionState"].is_bool());
      EXPECT_TRUE(IsIsoTime(o["optionStateTime"].get_string().value()));
    }
    EXPECT_TRUE(t["registersStatus"].is_array());
    proxies_by_base[std::string(t["trunkBase"]["id"].get_string().value())] = list;
  }
  Json b = GetJson(kEdges + "/trunkbasesettings?pageSize=100&expand=properties");
  int tls = 0;
  for (auto base : b.root["entities"].get_array()) {
    std::string id(base["id"].get_string().value());
    if (!proxies_by_base.count(id)) continue;
    auto props = base["properties"];
    std::string variant(props["trunk_transport_protocolVariant"]["value"]["instance"].get_string().value());
    std::vector<std::string> list;
    for (auto p : props["trunk_transport_serverProxyList"]["value"]["instance"].get_array()) {
      list.emplace_back(p.get_string().value());
    }
    EXPECT_EQ(list, proxies_by_base[id]);
    if (variant == "tls") ++tls;
  }
  EXPECT_GE(tls, 6);  // one per local TLS listener case
  Json plain = GetJson(kEdges + "/trunkbasesettings?pageSize=5");
  for (auto base : plain.root["entities"].get_array()) EXPECT_TRUE(base["properties"].error());
  ExpectApiError(client_->Get(kTrunks + "?trunkType=BOGUS"), 400, "bad.request");
}

TEST_F(RestApiTest, TrunkMetricsIsAPlainArrayWithAHundredIdCap) {
  auto ids = sim_->TrunkIds("EXTERNAL");
  std::string csv;
  for (const auto& id : ids) csv += (csv.empty() ? "" : ",") + id;
  Json j = GetJson(kTrunks + "/metrics?trunkIds=" + csv);
  ASSERT_TRUE(j.root.is_array());
  EXPECT_EQ(j.root.get_array().size(), ids.size());
  for (auto m : j.root.get_array()) {
    EXPECT_TRUE(m["calls"]["inboundCallCount"].is_int64());
    EXPECT_TRUE(m["calls"]["outboundCallCount"].is_int64());
    EXPECT_TRUE(m["qos"]["mismatchCount"].is_int64());
    EXPECT_TRUE(IsIsoTime(m["eventTime"].get_string().value()));
    EXPECT_FALSE(m["trunk"]["id"].get_string().value().empty());
  }
  std::string many;
  for (int i = 0; i < 101; ++i) many += (many.empty() ? "" : ",") + ids[0];
  ExpectApiError(client_->Get(kTrunks + "/metrics?trunkIds=" + many), 400, "bad.request");
}

TEST_F(RestApiTest, EdgesAndEdgeMetrics) {
  Json j = GetJson(kEdges + "?pageSize=100");
  EXPECT_EQ(j.root["total"].get_int64().value(), 3);
  std::string csv;
  for (auto e : j.root["entities"].get_array()) {
    std::string online(e["onlineStatus"].get_string().value());
    EXPECT_TRUE(online == "ONLINE" || online == "OFFLINE");
    EXPECT_FALSE(e["site"]["id"].get_string().value().empty());
    EXPECT_FALSE(e["softwareVersion"].get_string().value().empty());
    csv += (csv.empty() ? "" : ",") + std::string(e["id"].get_string().value());
  }
  Json m = GetJson(kEdges + "/metrics?edgeIds=" + csv);
  ASSERT_TRUE(m.root.is_array());
  EXPECT_EQ(m.root.get_array().size(), 3u);
  for (auto e : m.root.get_array()) {
    EXPECT_TRUE(e["upTimeMsec"].is_int64());
    EXPECT_TRUE(e["processors"].is_array());
  }
  auto edge = sim_->EdgeIds().front();
  Json one = GetJson(kEdges + "/" + edge);
  EXPECT_EQ(one.root["id"].get_string().value(), edge);
  ExpectApiError(client_->Get(kEdges + "/nope"), 404, "not.found");
}

TEST_F(RestApiTest, TimesMixFractionalDigits) {
  Json j = GetJson(kPhones + "?pageSize=100&expand=status");
  std::set<size_t> lengths;
  for (auto p : j.root["entities"].get_array()) lengths.insert(p["dateCreated"].get_string().value().size());
  EXPECT_GE(lengths.size(), 3u);  // e.g. 20 (no fraction), 24 (ms), 30 (ns) characters
}

TEST_F(RestApiTest, ChangesAreVisibleThroughRest) {
  auto phone = sim_->PhoneIds().front();
  ASSERT_TRUE(sim_->SetLineReachable(phone, 0, false));
  Json j = GetJson(kPhones + "/" + phone);
  EXPECT_FALSE(j.root["status"]["lineStatuses"].at(0)["reachable"].get_bool().value());
  ASSERT_TRUE(sim_->SetPhoneStatus(phone, "DEGRADED"));
  Json k = GetJson(kPhones + "/" + phone);
  EXPECT_EQ(std::string(k.root["status"]["operationalStatus"].get_string().value()), "DEGRADED");
  auto edge = sim_->EdgeIds()[0];
  ASSERT_TRUE(sim_->SetEdgeOnline(edge, false));
  EXPECT_EQ(std::string(GetJson(kEdges + "/" + edge).root["onlineStatus"].get_string().value()), "OFFLINE");
  EXPECT_EQ(sim_->GetTruth().edges_online, 2);
}

TEST(RestApiRateLimitTest, PerTokenLimitGives429WithRetryAfter) {
  Scenario s = testing::SmallScenario();
  s.rate_limit_per_minute = 5;
  Simulator sim(s);
  ASSERT_TRUE(sim.Start());
  SimClient c(sim);
  c.Login();
  for (int i = 1; i <= 5; ++i) {
    auto r = c.Get(kEdges);
    ASSERT_EQ(r->status, 200);
    EXPECT_EQ(r->get_header_value("inin-ratelimit-count"), std::to_string(i));
    EXPECT_EQ(r->get_header_value("inin-ratelimit-allowed"), "5");
  }
  auto r = c.Get(kEdges);
  ExpectApiError(r, 429, "too.many.requests");
  EXPECT_TRUE(r->has_header("Retry-After"));
  EXPECT_GT(std::stoi(r->get_header_value("Retry-After")), 0);
  // A fresh token has its own budget.
  c.Login();
  EXPECT_EQ(c.Get(kEdges)->status, 200);
}

TEST_F(RestApiTest, FaultRateLimitStormThenRecovery) {
  FaultSpec f;
  f.kind = "rate_limit";
  f.count = 2;
  f.path = "/phones";
  sim_->InjectFault(f);
  auto r = client_->Get(kPhones);
  ExpectApiError(r, 429, "too.many.requests");
  EXPECT_EQ(r->get_header_value("Retry-After"), "2");
  EXPECT_EQ(client_->Get(kEdges)->status, 200);  // other paths unaffected
  EXPECT_EQ(client_->Get(kPhones)->status, 429);
  EXPECT_EQ(client_->Get(kPhones)->status, 200);
}

TEST_F(RestApiTest, FaultExhaustedWindowSaysTheWindowIsUsedUpOnce) {
  FaultSpec f;
  f.kind = "rate_limit_exhausted";
  f.count = 1;
  f.path = "/edges";
  f.retry_after_s = 1'000'000'000;
  sim_->InjectFault(f);
  auto r = client_->Get(kEdges);
  ASSERT_EQ(r->status, 200);  // the answer itself is fine
  const std::string allowed = r->get_header_value("inin-ratelimit-allowed");
  EXPECT_FALSE(allowed.empty());
  EXPECT_EQ(r->get_header_value("inin-ratelimit-count"), allowed);
  EXPECT_EQ(r->get_header_value("inin-ratelimit-reset"), "1000000000");
  EXPECT_EQ(r->get_header_value_count("inin-ratelimit-reset"), 1u);
  // Used up: the next answer carries the real window again.
  auto next = client_->Get(kEdges);
  EXPECT_NE(next->get_header_value("inin-ratelimit-count"), next->get_header_value("inin-ratelimit-allowed"));
  EXPECT_NE(next->get_header_value("inin-ratelimit-reset"), "1000000000");
}

TEST_F(RestApiTest, FaultServerErrorBurst) {
  FaultSpec f;
  f.kind = "server_error";
  f.status = 503;
  f.count = 1;
  sim_->InjectFault(f);
  ExpectApiError(client_->Get(kTrunks), 503, "service.unavailable");
  EXPECT_EQ(client_->Get(kTrunks)->status, 200);
}

TEST_F(RestApiTest, FaultSlowResponseExceedsClientTimeout) {
  FaultSpec f;
  f.kind = "slow";
  f.delay_s = 1.5;
  f.count = 1;
  sim_->InjectFault(f);
  httplib::Client c("127.0.0.1", sim_->http_port());
  c.set_read_timeout(0, 200000);
  auto r = c.Get(kEdges, {{"Authorization", "Bearer " + client_->token_}});
  EXPECT_FALSE(r);
  EXPECT_EQ(r.error(), httplib::Error::Read);
}

TEST_F(RestApiTest, FaultMalformedAndTruncatedJson) {
  for (const char* kind : {"malformed_json", "truncated_json"}) {
    FaultSpec f;
    f.kind = kind;
    f.count = 1;
    sim_->InjectFault(f);
    auto r = client_->Get(kEdges);
    ASSERT_EQ(r->status, 200);
    Json j;
    EXPECT_FALSE(j.Parse(r->body)) << kind;
    Json ok;
    EXPECT_TRUE(ok.Parse(client_->Get(kEdges)->body));
  }
}

TEST_F(RestApiTest, FaultUnknownEnumsExtraAndMissingFields) {
  FaultSpec f;
  f.kind = "unknown_enum";
  f.count = 1;
  sim_->InjectFault(f);
  Json j = GetJson(kPhones + "?expand=status&pageSize=1");
  std::string op(j.root["entities"].at(0)["status"]["operationalStatus"].get_string().value());
  EXPECT_TRUE(op != "OPERATIONAL" && op != "DEGRADED" && op != "OFFLINE" && op != "UNKNOWN") << op;

  f.kind = "extra_fields";
  sim_->InjectFault(f);
  Json k = GetJson(kTrunks + "?pageSize=1");
  EXPECT_TRUE(k.root["entities"].at(0)["futureField"].is_object());

  f.kind = "missing_optional";
  sim_->InjectFault(f);
  Json m = GetJson(kPhones + "?expand=status&pageSize=1");
  auto p = m.root["entities"].at(0);
  EXPECT_TRUE(p["userAgentInfo"].error());
  EXPECT_TRUE(p["secondaryStatus"].error());
  EXPECT_TRUE(p["status"]["lineStatuses"].at(0)["reachableStateTime"].error());
  Json n = GetJson(kPhones + "?expand=status&pageSize=1");
  EXPECT_TRUE(n.root["entities"].at(0)["userAgentInfo"].is_object());
}

TEST_F(RestApiTest, RequestLogCountsPathTemplates) {
  auto phone = sim_->PhoneIds()[3];
  client_->Get(kPhones + "/" + phone);
  client_->Get(kPhones + "/" + phone);
  client_->Get(kPhones + "/does-not-exist");
  EXPECT_EQ(sim_->RequestCount(kPhones + "/{phoneId}"), 3u);
  auto truth = sim_->GetTruth();
  EXPECT_EQ(truth.requests[kPhones + "/{phoneId}"][200], 2u);
  EXPECT_EQ(truth.requests[kPhones + "/{phoneId}"][404], 1u);
  EXPECT_GE(truth.requests["/oauth/token"][200], 1u);
}

}  // namespace
}  // namespace gx::sim
