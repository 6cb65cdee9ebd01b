// Each dashboard section on its own: what it writes, what it filters, and the report
// totals it counts (before any filter). The whole body is pinned by dashboard_test's golden.
#include "exporter/outputs/dashboard/dashboard_sections.h"

#include <gtest/gtest.h>

#include <functional>

#include "tests/exporter/outputs/alerts/alert_test_util.h"

namespace gx {
namespace {

using namespace gx::testing;
constexpr UnixNanos kSec = kNanosPerSecond;

// What a writer adds to an otherwise empty object.
std::string Section(const std::function<void(JsonWriter&)>& write) {
  JsonWriter w;
  w.BeginObject();
  write(w);
  w.EndObject();
  return w.Take();
}

class DashboardSectionsTest : public ::testing::Test {
 protected:
  template <typename Fn>
  auto Read(Fn fn) {
    return tel_.Read([&](const TelephonyData& t) { return fn(t); });
  }
  TelephonyState tel_;
  DashboardFilters filters_;
  DashboardOptions options_;
  DashboardCounts counts_;
};

TEST_F(DashboardSectionsTest, RegistrationsCountActiveUsersBeforeFilteringAndPage) {
  tel_.ReplacePhones({MakePhone("p1", "HQ", true), MakePhone("p2", "HQ", false)}, kT0);
  FollowUserOnPhone(tel_, "u1", "p1", kT0);
  filters_.registered = false;  // hides u1's registration, not its count
  const std::string s = Read([&](const TelephonyData& t) {
    return Section([&](JsonWriter& w) { WriteRegistrations(w, t, filters_, options_, counts_); });
  });
  EXPECT_EQ(counts_.active_users, 1);
  EXPECT_EQ(s, R"({"registrations":[],"page":{"total":0,"offset":0,"limit":1000,"returned":0}})");

  options_.per_phone = true;
  filters_.limit = 1;
  DashboardCounts again;
  const std::string phones = Read([&](const TelephonyData& t) {
    return Section([&](JsonWriter& w) { WriteRegistrations(w, t, filters_, options_, again); });
  });
  EXPECT_NE(phones.find(R"("userId":"","deviceId":"p2","registered":false)"), std::string::npos) << phones;
  EXPECT_NE(phones.find(R"("page":{"total":1,"offset":0,"limit":1,"returned":1})"), std::string::npos) << phones;
}

TEST_F(DashboardSectionsTest, ARegistrationWithoutAPhoneSaysUnknown) {
  tel_.SetFollowedUsers({"u9"});
  tel_.ApplyUserStation({"u9", "", "", ""}, kT0);
  const std::string s = Read([&](const TelephonyData& t) {
    return Section([&](JsonWriter& w) { WriteRegistrations(w, t, filters_, options_, counts_); });
  });
  EXPECT_NE(s.find(R"({"userId":"u9","deviceId":"unknown","registered":false,"codec":"unknown",)"), std::string::npos)
      << s;
  EXPECT_NE(s.find(R"("site":"none","operationalStatus":"UNKNOWN")"), std::string::npos) << s;
  EXPECT_EQ(counts_.active_users, 0);
}

TEST_F(DashboardSectionsTest, CarriersCountDegradedOnesThatTheHealthFilterHides) {
  tel_.ReplaceTrunks({MakeTrunk("t-up", true), MakeTrunk("t-down", false)}, kT0);
  filters_.health = "up";
  const std::string s = Read([&](const TelephonyData& t) {
    return Section([&](JsonWriter& w) { WriteCarriers(w, t, filters_, options_, counts_); });
  });
  EXPECT_EQ(counts_.degraded_carriers, 1);
  EXPECT_NE(s.find(R"("providerId":"t-up")"), std::string::npos) << s;
  EXPECT_EQ(s.find(R"("providerId":"t-down")"), std::string::npos) << s;
  EXPECT_NE(s.find(R"("calls":{"inbound":null,"outbound":null},"tlsTargets":[],"source":"polled")"),
            std::string::npos)
      << s;
}

TEST_F(DashboardSectionsTest, ReportCarriesTheCountsItIsGiven) {
  counts_ = {3, 2};
  const std::string s = Read([&](const TelephonyData& t) {
    return Section([&](JsonWriter& w) { WriteReport(w, t, counts_, kT0); });
  });
  EXPECT_EQ(s,
            R"({"report":{"generatedAt":"2026-09-21T14:13:20.000Z","totalChecks":0,"successCount":0,)"
            R"("successRate":0,"lastFailureTime":"none","activeUsers":3,"degradedCarriers":2,)"
            R"("lastHour":{"totalChecks":0,"successCount":0,"failureCount":0,"successRate":0},)"
            R"("last24Hours":{"totalChecks":0,"successCount":0,"failureCount":0,"successRate":0}}})");
}

TEST_F(DashboardSectionsTest, EdgesAreFilteredBySite) {
  tel_.ReplaceEdges({MakeEdge("e1", "HQ", true), MakeEdge("e2", "Branch", false)}, kT0);
  filters_.site = "Branch";
  const std::string s = Read([&](const TelephonyData& t) {
    return Section([&](JsonWriter& w) { WriteEdges(w, t, filters_); });
  });
  EXPECT_EQ(s,
            R"({"edges":[{"id":"e2","name":"Edge e2","site":"Branch","onlineStatus":"OFFLINE","softwareVersion":"",)"
            R"("uptimeSeconds":null,"source":"polled","lastChange":"2026-09-21T14:13:20.000Z"}]})");
}

TEST_F(DashboardSectionsTest, AnUnprobedCertificateHasNullResults) {
  TlsTarget target;
  target.host = "sip.example.net";
  target.source = "config";
  tel_.ReplaceTlsTargets({target}, /*complete=*/true);
  const std::string s = Read([&](const TelephonyData& t) {
    return Section([&](JsonWriter& w) { WriteCertificates(w, t); });
  });
  EXPECT_EQ(s,
            R"({"certificates":[{"target":"sip.example.net:5061","source":"config","trunkIds":[],)"
            R"("success":null,"probedAt":null}]})");
}

TEST_F(DashboardSectionsTest, AlertsAreFilteredBySiteAndTheMostSevereComeFirst) {
  auto alert = [](std::string name, std::string severity, std::string site) {
    Alert a;
    a.labels = {{"alertname", name}, {"site", site}};
    a.fingerprint = AlertFingerprint(a.labels);
    a.status = AlertStatus::kFiring;
    a.severity = std::move(severity);
    return a;
  };
  const std::vector<Alert> alerts = {alert("a_warning", "warning", "HQ"), alert("b_critical", "critical", "HQ"),
                                     alert("c_elsewhere", "critical", "Branch")};
  filters_.site = "HQ";
  const std::string s = Section([&](JsonWriter& w) { WriteAlerts(w, alerts, filters_); });
  const auto critical = s.find("b_critical");
  const auto warning = s.find("a_warning");
  ASSERT_NE(critical, std::string::npos) << s;
  ASSERT_NE(warning, std::string::npos) << s;
  EXPECT_LT(critical, warning);
  EXPECT_EQ(s.find("c_elsewhere"), std::string::npos) << s;
}

TEST_F(DashboardSectionsTest, SourcesSayWhetherTheyAreStale) {
  HealthData h;
  SourceHealth fresh;
  fresh.up = true;
  fresh.ran = true;
  fresh.last_success = kT0;
  fresh.configured_interval_seconds = 60;  // not run at its own interval yet: the configured one
  h.sources["phones"] = fresh;
  SourceHealth old = fresh;
  old.interval_seconds = 30;
  old.last_success = kT0 - 3600 * kSec;
  h.sources["trunks"] = old;
  const std::string s = Section([&](JsonWriter& w) { WriteSources(w, h, options_, kT0); });
  EXPECT_EQ(s,
            R"({"sources":[{"collector":"phones","up":true,"lastSuccess":"2026-09-21T14:13:20.000Z","stale":false,)"
            R"("intervalSeconds":60},{"collector":"trunks","up":true,"lastSuccess":"2026-09-21T13:13:20.000Z",)"
            R"("stale":true,"intervalSeconds":30}],"genesysUp":null})");
}

TEST_F(DashboardSectionsTest, UpdatesCountPushedAndPolledEntities) {
  tel_.ReplacePhones({MakePhone("p1", "HQ", true), MakePhone("p2", "HQ", true)}, kT0);
  tel_.ReplaceTrunks({MakeTrunk("t1", true)}, kT0);
  tel_.SetPushed({"p1"}, {}, {});
  HealthData h;
  h.notifications.connected = true;
  h.notifications.channels = 2;
  h.notifications.subscribed_topics = 5;
  const std::string s = Read([&](const TelephonyData& t) {
    return Section([&](JsonWriter& w) { WriteUpdates(w, t, h); });
  });
  EXPECT_EQ(s,
            R"({"updates":{"phones":{"pushed":1,"polled":1},"trunks":{"pushed":0,"polled":1},)"
            R"("edges":{"pushed":0,"polled":0},"notifications":{"connected":true,"channels":2,)"
            R"("subscribedTopics":5,"lastMessage":null}}})");
}

}  // namespace
}  // namespace gx
