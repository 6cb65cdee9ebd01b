#include "exporter/outputs/alerts/alert_watchdog.h"

#include <gtest/gtest.h>

#include "tests/exporter/outputs/alerts/alert_test_util.h"

namespace gx {
namespace {

using namespace gx::testing;
constexpr UnixNanos kMin = 60 * kNanosPerSecond;

TEST(AlertWatchdog, OffAtZero) {
  AlertWatchdog w(0);
  EXPECT_FALSE(w.Due(kT0));
  EXPECT_FALSE(w.Due(kT0 + 1000 * kMin));
}

TEST(AlertWatchdog, FirstAtOnceThenOnePerIntervalWithOneIdentity) {
  AlertWatchdog w(5 * kMin);
  auto first = w.Due(kT0);
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->repeat);
  ASSERT_EQ(first->firing.size(), 1u);
  const Alert& a = first->firing[0];
  EXPECT_EQ(a.name(), "watchdog");
  EXPECT_EQ(a.labels, (AlertLabels{{"alertname", "watchdog"}}));
  EXPECT_EQ(a.fingerprint, AlertFingerprint({{"alertname", "watchdog"}}));
  EXPECT_EQ(a.severity, "info");
  EXPECT_EQ(a.status, AlertStatus::kFiring);
  EXPECT_EQ(first->group_key, "alertname=\"watchdog\"");
  EXPECT_EQ(first->created_at, kT0);

  EXPECT_FALSE(w.Due(kT0 + 5 * kMin - 1));
  auto second = w.Due(kT0 + 5 * kMin);
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->repeat);
  EXPECT_EQ(second->firing[0].fingerprint, a.fingerprint);
  EXPECT_EQ(second->firing[0].fired_at, kT0) << "startsAt stays the first heartbeat's";
  EXPECT_EQ(second->created_at, kT0 + 5 * kMin);
  EXPECT_EQ(w.ttl(), 20 * kMin);
}

TEST(AlertWatchdog, AfterAGapOneHeartbeatNotABurst) {
  AlertWatchdog w(kMin);
  ASSERT_TRUE(w.Due(kT0));
  ASSERT_TRUE(w.Due(kT0 + 60 * kMin));  // an hour without a tick (suspended host)
  EXPECT_FALSE(w.Due(kT0 + 60 * kMin + kNanosPerSecond));
  EXPECT_TRUE(w.Due(kT0 + 61 * kMin));
}

}  // namespace
}  // namespace gx
