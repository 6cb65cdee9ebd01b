#include "exporter/app/config_reload.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

using Keys = std::vector<std::string>;

Config Running() {
  Config c;
  c.genesys.client_id = "id";
  c.genesys.client_secret = "secret";
  c.genesys.region = "mypurecloud.ie";
  c.genesys.api_url = "https://api.mypurecloud.ie";
  c.genesys.login_url = "https://login.mypurecloud.ie";
  ReceiverConfig r;
  r.name = "ops";
  r.urls = {"https://hooks.example/ops"};
  c.alerting.receivers = {r};
  return c;
}

TEST(PlanReload, AnUnchangedFileChangesNothing) {
  const ReloadPlan plan = PlanReload(Running(), Running());
  EXPECT_EQ(plan.restart_required, Keys{});
  EXPECT_EQ(plan.changed, Keys{});
  EXPECT_TRUE(plan.effective == Running());
}

TEST(PlanReload, LiveSettingsAreTakenFromTheNewFile) {
  Config next = Running();
  next.collection.intervals.trunks = Seconds(90);
  next.collection.per_phone = true;
  next.collection.qos_mismatch_threshold = 3;
  next.tls.targets.push_back({"sip.carrier.example:5061", "", "", "", "", Seconds(10)});
  next.alerting.site_unregistered_ratio = 0.2;
  next.alerting.receivers[0].urls = {"https://hooks.example/new"};
  const ReloadPlan plan = PlanReload(Running(), next);
  EXPECT_EQ(plan.restart_required, Keys{});
  EXPECT_EQ(plan.changed, (Keys{"collection.intervals", "collection.per_phone", "collection.qos_mismatch_threshold",
                                "tls_probes", "alerting"}));
  EXPECT_TRUE(plan.effective == next);
}

TEST(PlanReload, RestartOnlySettingsKeepTheirRunningValuesAndAreNamed) {
  Config next = Running();
  next.genesys.region = "usw2.pure.cloud";
  next.genesys.client_secret = "rotated";
  next.rate_limit.requests_per_minute = 100;
  next.collection.users = {"u1"};
  next.notifications.topic_budget = 10;
  next.tls.enabled = false;
  next.alerting.spool_dir = "/elsewhere";
  next.alerting.group_by = {"alertname"};
  next.alerting.site_min_lines = 5;  // live, beside them
  const ReloadPlan plan = PlanReload(Running(), next);
  EXPECT_EQ(plan.restart_required,
            (Keys{"genesys.client_secret", "genesys.region", "rate_limit", "collection.users", "notifications",
                  "tls_probes.enabled", "alerting.spool_dir", "alerting.group_by"}));
  EXPECT_EQ(plan.changed, Keys{"alerting"});
  Config expected = Running();
  expected.alerting.site_min_lines = 5;
  EXPECT_TRUE(plan.effective == expected);
  // The key is named, never the value.
  for (const auto& k : plan.restart_required) EXPECT_EQ(k.find("rotated"), std::string::npos);
}

TEST(PlanReload, ARestartOnlyChangeUndoneIsNoLongerReported) {
  Config next = Running();
  next.genesys.region = "usw2.pure.cloud";
  const ReloadPlan first = PlanReload(Running(), next);
  ASSERT_EQ(first.restart_required, Keys{"genesys.region"});
  // The running configuration is still the start's: the original file again needs nothing.
  EXPECT_EQ(PlanReload(first.effective, Running()).restart_required, Keys{});
}

}  // namespace
}  // namespace gx
