// The /dashboard route: a bad filter answers 400 without reading anything; a good one answers
// what RenderDashboard renders from the same states, alerts, options and time, with its ETag.
#include "exporter/outputs/dashboard/dashboard_route.h"

#include <gtest/gtest.h>

#include "tests/exporter/outputs/alerts/alert_test_util.h"

namespace gx {
namespace {

using namespace gx::testing;
constexpr UnixNanos kNow = kT0 + 120 * kNanosPerSecond;

class DashboardRouteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    telephony_.ReplacePhones({MakePhone("p1", "HQ", true), MakePhone("p2", "HQ", false), MakePhone("p3", "Branch", true)},
                             kT0);
    health_.Update([](HealthData& h) {
      h.genesys_up = true;
      h.sources["phones"].up = true;
      h.sources["phones"].last_success = kT0;
    });
    Alert a;
    a.labels = {{"alertname", "phone_unregistered"}, {"phone_id", "p2"}, {"site", "HQ"}};
    a.fingerprint = AlertFingerprint(a.labels);
    a.status = AlertStatus::kFiring;
    a.summary = "phone p2 is not registered";
    alerts_.push_back(a);
  }

  DashboardInputs Inputs() {
    DashboardInputs in{telephony_, health_, {}, {}, clock_};
    in.active_alerts = [this] {
      ++alert_reads_;
      return alerts_;
    };
    in.options.per_phone = true;
    return in;
  }

  // What the route must serve for `filters`: the renderer over the same inputs.
  std::string Rendered(const DashboardFilters& filters, const DashboardOptions& options,
                       const std::vector<Alert>& alerts) const {
    const HealthData h = health_.Read([](const HealthData& d) { return d; });
    return RenderDashboard(*telephony_.Snapshot(), h, alerts, filters, options, kNow);
  }

  TelephonyState telephony_;
  HealthState health_;
  ManualClock clock_{kNow};
  std::vector<Alert> alerts_;
  int alert_reads_ = 0;
};

TEST_F(DashboardRouteTest, AnswersTheRenderedDashboardWithItsETag) {
  const DashboardAnswer a = AnswerDashboard({}, Inputs());
  EXPECT_EQ(a.status, 200);
  DashboardOptions options;
  options.per_phone = true;
  EXPECT_EQ(a.body, Rendered({}, options, alerts_));
  EXPECT_EQ(a.etag, DashboardETag(a.body));
  EXPECT_NE(a.body.find("\"phone_unregistered\""), std::string::npos) << a.body;
  EXPECT_EQ(alert_reads_, 1);
}

TEST_F(DashboardRouteTest, FiltersAndOptionsReachTheRenderer) {
  DashboardInputs in = Inputs();
  in.options.per_phone = false;
  const DashboardAnswer a = AnswerDashboard({{"site", "Branch"}, {"limit", "1"}}, in);
  ASSERT_EQ(a.status, 200);
  DashboardFilters filters;
  filters.site = "Branch";
  filters.limit = 1;
  EXPECT_EQ(a.body, Rendered(filters, in.options, alerts_));
  EXPECT_NE(a.body, AnswerDashboard({}, in).body);
}

TEST_F(DashboardRouteTest, TheFirstValueOfARepeatedKeyWins) {
  const DashboardAnswer a = AnswerDashboard({{"limit", "2"}, {"limit", "not a number"}}, Inputs());
  ASSERT_EQ(a.status, 200) << a.body;
  DashboardFilters filters;
  filters.limit = 2;
  DashboardOptions options;
  options.per_phone = true;
  EXPECT_EQ(a.body, Rendered(filters, options, alerts_));
}

TEST_F(DashboardRouteTest, ABadFilterIs400WithTheReasonAndReadsNothing) {
  const DashboardAnswer a = AnswerDashboard({{"limit", "100000"}}, Inputs());
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.body, "{\"error\":\"limit must be at most 5000 (page through the rest with offset)\"}");
  EXPECT_EQ(a.etag, "");
  EXPECT_EQ(alert_reads_, 0);
  EXPECT_EQ(AnswerDashboard({{"health", "sick"}}, Inputs()).body,
            "{\"error\":\"health must be up, degraded or down\"}");
}

TEST_F(DashboardRouteTest, WithoutAlertingTheDashboardHasNoAlerts) {
  DashboardInputs in = Inputs();
  in.active_alerts = nullptr;
  const DashboardAnswer a = AnswerDashboard({}, in);
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body, Rendered({}, in.options, {}));
  EXPECT_EQ(a.body.find("\"phone_unregistered\""), std::string::npos) << a.body;
}

}  // namespace
}  // namespace gx
