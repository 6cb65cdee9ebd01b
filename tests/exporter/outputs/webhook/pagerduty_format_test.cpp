// The `pagerduty` format: golden events, and the Events API v2 schema: event_action trigger
// or resolve, dedup_key of at most 255 characters shared by an alert's trigger and resolve,
// payload.summary of at most 1,024 characters, severity among critical, error, warning and
// info, and no routing key in a rendered body (it is put in at send).
#include "exporter/outputs/webhook/pagerduty_format.h"

#include <gtest/gtest.h>

#include <set>

#include "exporter/util/text_truncate.h"
#include "tests/exporter/outputs/webhook/receiver_test_util.h"

namespace gx {
namespace {

using namespace gx::testing;

void CheckEvent(const std::string& body) {
  const YAML::Node e = ParseJson(body);
  const std::string action = e["event_action"].Scalar();
  ASSERT_TRUE(action == "trigger" || action == "resolve") << body;
  ASSERT_TRUE(IsJsonString(e["dedup_key"]));
  EXPECT_LE(CountChars(e["dedup_key"].Scalar()), kPagerDutyMaxDedupKeyChars);
  EXPECT_FALSE(e["dedup_key"].Scalar().empty());
  EXPECT_FALSE(e["routing_key"].IsDefined()) << "the routing key is put in at send only";
  if (action == "resolve") return;
  const YAML::Node p = e["payload"];
  for (const char* field : {"summary", "source", "severity", "timestamp", "component", "group", "class"}) {
    EXPECT_TRUE(IsJsonString(p[field])) << field << " in " << body;
    EXPECT_FALSE(p[field].Scalar().empty()) << field;
  }
  EXPECT_LE(CountChars(p["summary"].Scalar()), kPagerDutyMaxSummaryChars);
  static const std::set<std::string> kSeverities = {"critical", "error", "warning", "info"};
  EXPECT_TRUE(kSeverities.count(p["severity"].Scalar())) << p["severity"].Scalar();
  EXPECT_TRUE(p["custom_details"].IsMap());
}

TEST(PagerDutyFormatTest, MatchesGolden) {
  const auto requests = RenderPagerDuty(SampleMessage(), RenderOptions{});
  ASSERT_EQ(requests.size(), 3u);
  ExpectGolden(requests[0].body, "pagerduty_trigger.json");
  ExpectGolden(requests[2].body, "pagerduty_resolve.json");
}

TEST(PagerDutyFormatTest, OneEventPerAlertWithinTheSchema) {
  const auto requests = RenderPagerDuty(SampleMessage(), RenderOptions{});
  ASSERT_EQ(requests.size(), 3u);
  std::set<std::string> ids;
  for (const auto& r : requests) {
    CheckEvent(r.body);
    ids.insert(r.id);
  }
  EXPECT_EQ(ids.size(), 3u);
  const YAML::Node first = ParseJson(requests[0].body);
  EXPECT_EQ(first["payload"]["source"].Scalar(), "p1");
  EXPECT_EQ(first["payload"]["component"].Scalar(), "phone");
  EXPECT_EQ(first["payload"]["group"].Scalar(), "HQ");
  EXPECT_EQ(first["payload"]["class"].Scalar(), "registration_failure");
  EXPECT_EQ(first["payload"]["timestamp"].Scalar(), "2026-09-21T14:13:20.000Z");
  EXPECT_EQ(first["payload"]["custom_details"]["deviceId"].Scalar(), "p1");
  EXPECT_EQ(ParseJson(requests[2].body)["event_action"].Scalar(), "resolve");
  RenderOptions quiet;
  quiet.send_resolved = false;
  EXPECT_EQ(RenderPagerDuty(SampleMessage(), quiet).size(), 2u);
}

TEST(PagerDutyFormatTest, TriggerAndResolveOfOneAlertShareTheDedupKey) {
  AlertMessage fire = ManyFiring(1);
  AlertMessage clear = fire;
  clear.resolved = clear.firing;
  clear.firing.clear();
  clear.resolved[0].status = AlertStatus::kResolved;
  clear.resolved[0].resolved_at = kT0 + 900 * kNanosPerSecond;
  clear.created_at = kT0 + 960 * kNanosPerSecond;
  const auto trigger = RenderPagerDuty(fire, RenderOptions{});
  const auto resolve = RenderPagerDuty(clear, RenderOptions{});
  ASSERT_EQ(trigger.size(), 1u);
  ASSERT_EQ(resolve.size(), 1u);
  EXPECT_EQ(ParseJson(trigger[0].body)["dedup_key"].Scalar(), ParseJson(resolve[0].body)["dedup_key"].Scalar());
  EXPECT_NE(trigger[0].id, resolve[0].id);
}

TEST(PagerDutyFormatTest, SeveritiesMapOntoPagerDutysEnum) {
  EXPECT_EQ(PagerDutySeverity("critical"), "critical");
  EXPECT_EQ(PagerDutySeverity("warning"), "warning");
  EXPECT_EQ(PagerDutySeverity("info"), "info");
  EXPECT_EQ(PagerDutySeverity(""), "error");
  EXPECT_EQ(PagerDutySeverity("page-everyone"), "error");
}

TEST(PagerDutyFormatTest, HostileValuesStayWithinTheLimits) {
  AlertMessage n = ManyFiring(1, std::string(5000, 's'));
  Alert& a = n.firing[0];
  a.severity = "bogus";
  a.summary = std::string(50000, 'x');
  a.labels["phone_id"] = std::string(5000, 'p');
  a.fingerprint = std::string(1000, 'f');  // from a hand-edited state file
  const auto requests = RenderPagerDuty(n, RenderOptions{});
  ASSERT_EQ(requests.size(), 1u);
  CheckEvent(requests[0].body);
  const YAML::Node p = ParseJson(requests[0].body)["payload"];
  EXPECT_EQ(CountChars(p["summary"].Scalar()), kPagerDutyMaxSummaryChars);
  EXPECT_EQ(p["severity"].Scalar(), "error");
  EXPECT_LE(CountChars(p["source"].Scalar()), kPagerDutyMaxFieldChars);
  EXPECT_LE(CountChars(p["group"].Scalar()), kPagerDutyMaxFieldChars);
}

TEST(PagerDutyFormatTest, RoutingKeyIsPutInFirst) {
  EXPECT_EQ(WithRoutingKey(R"({"event_action":"resolve","dedup_key":"k"})", "R0UT\"ING"),
            R"({"routing_key":"R0UT\"ING","event_action":"resolve","dedup_key":"k"})");
  EXPECT_EQ(WithRoutingKey("{}", "k"), R"({"routing_key":"k"})");
  const std::string body = RenderPagerDuty(SampleMessage(), RenderOptions{}).front().body;
  const YAML::Node e = ParseJson(WithRoutingKey(body, "abc123"));
  EXPECT_EQ(e["routing_key"].Scalar(), "abc123");
  EXPECT_EQ(e["event_action"].Scalar(), "trigger");
}

}  // namespace
}  // namespace gx
