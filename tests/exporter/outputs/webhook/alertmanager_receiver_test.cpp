// A real Alertmanager (Debian's prometheus-alertmanager) receives the alertmanager
// format: the alert shows through its API, then resolves.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "exporter/outputs/webhook/webhook_dispatcher.h"
#include "exporter/state/self_metrics.h"
#include "tests/exporter/outputs/webhook/webhook_test_server.h"

namespace gx {
namespace {

constexpr const char* kAlertmanager = "/usr/bin/prometheus-alertmanager";

class Alertmanager {
 public:
  explicit Alertmanager(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir / "data");
    std::ofstream(dir / "am.yml") << "route:\n  receiver: blackhole\n  group_wait: 1h\nreceivers:\n  - name: blackhole\n";
    port_ = gx::testing::DeadPort();
    const std::string config = "--config.file=" + (dir / "am.yml").string();
    const std::string storage = "--storage.path=" + (dir / "data").string();
    const std::string listen = "--web.listen-address=127.0.0.1:" + std::to_string(port_);
    const std::string log = (dir / "am.log").string();
    pid_ = ::fork();
    if (pid_ == 0) {
      FILE* f = std::freopen(log.c_str(), "w", stderr);
      (void)f;
      ::execl(kAlertmanager, kAlertmanager, config.c_str(), storage.c_str(), listen.c_str(),
              "--cluster.listen-address=", static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~Alertmanager() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  bool WaitReady() {
    httplib::Client c("127.0.0.1", port_);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto r = c.Get("/-/ready"); r && r->status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  std::string Alerts() {
    httplib::Client c("127.0.0.1", port_);
    auto r = c.Get("/api/v2/alerts");
    return r ? r->body : "";
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int port_ = 0;
  pid_t pid_ = -1;
};

TEST(AlertmanagerReceiverTest, RealAlertmanagerShowsThenResolvesTheAlert) {
  if (!std::filesystem::exists(kAlertmanager)) GTEST_SKIP() << "prometheus-alertmanager is not installed";
  const auto dir = std::filesystem::temp_directory_path() / ("gx-am-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    Alertmanager am(dir);
    ASSERT_TRUE(am.WaitReady());

    WebhookDispatcherOptions o;
    ReceiverConfig r;
    r.name = "am";
    r.format = "alertmanager";
    r.urls = {am.url()};
    o.receivers = {r};
    o.spool_dir = (dir / "spool").string();
    HealthState health;
    const Clock& clock = SystemClock::Instance();
    WebhookDispatcher d(o, clock, &health);

    Alert a;
    a.labels = {{"alertname", "carrier_degradation"}, {"trunk_id", "t-1"}, {"trunk_name", "Carrier One"}};
    a.fingerprint = AlertFingerprint(a.labels);
    a.severity = "critical";
    a.summary = "trunk Carrier One is down";
    a.status = AlertStatus::kFiring;
    a.fired_at = a.active_since = clock.Now() - 60 * kNanosPerSecond;
    d.EnqueueAlertStates({a}, true, clock.Now());
    while (d.QueueLength() > 0 && d.DeliverDue() > 0) {
    }
    ASSERT_EQ(health.self_metrics().WebhookReceivers().at("am").delivered, 1u);

    std::string body = am.Alerts();
    EXPECT_NE(body.find("\"alertname\":\"carrier_degradation\""), std::string::npos) << body;
    EXPECT_NE(body.find("\"trunk_id\":\"t-1\""), std::string::npos) << body;
    EXPECT_NE(body.find("\"severity\":\"critical\""), std::string::npos) << body;
    EXPECT_NE(body.find("\"state\":\"active\""), std::string::npos) << body;
    EXPECT_NE(body.find(a.fingerprint), std::string::npos) << body;  // our annotation

    a.status = AlertStatus::kResolved;
    a.resolved_at = clock.Now();
    d.EnqueueAlertStates({a}, false, clock.Now());
    while (d.QueueLength() > 0 && d.DeliverDue() > 0) {
    }
    // Resolved alerts leave the list of active alerts.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (am.Alerts().find("t-1") != std::string::npos && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    body = am.Alerts();
    EXPECT_EQ(body.find("t-1"), std::string::npos) << body;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gx
