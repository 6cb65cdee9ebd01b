// The real binaries: genesys_exporter against genesys_sim, with an edge offline (an active
// edge_offline alert) whose notification is held in the webhook spool while the receiver
// refuses. The configuration file is then changed and reloaded, by SIGHUP and by
// POST/PUT /-/reload: the live settings apply, a restart-only one is reported, and the
// metrics, the active alert (not notified again) and the queued notification (delivered
// once, after the reload) all survive. An invalid file is refused with exactly what
// --config.check prints, and the old configuration stays in force.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "tests/exporter/outputs/webhook/webhook_test_server.h"
#include "tests/integration/child_process.h"
#include "tests/integration/real_binaries.h"
#include "tests/simulator/sim_test_util.h"

namespace gx {
namespace {

using gx::sim::testing::WaitFor;
using gx::testing::ChildProcess;
using gx::testing::GetBody;
using gx::testing::kExporterBinary;
using gx::testing::SimProcess;
using gx::testing::TestReceiver;
using gx::testing::WaitForPort;

constexpr auto kLimit = std::chrono::seconds(60);

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Firing edge_offline notifications (distinct webhook-ids: a retry is the same one) a
// receiver path was sent, answered or not, or delivered.
size_t FiringEdgeNotifications(TestReceiver& receiver, const std::string& path, bool delivered_only) {
  std::set<std::string> ids;
  for (const auto& r : delivered_only ? receiver.delivered() : receiver.requests()) {
    if (r.path == path && Has(r.body, "\"alertType\":\"edge_offline\"") && Has(r.body, "\"status\":\"firing\"")) {
      ids.insert(r.id);
    }
  }
  return ids.size();
}

class ConfigReload : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kExporterBinary) && std::filesystem::exists(gx::testing::kSimBinary));
    char dir_template[] = "/tmp/gx_config_reload-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    sim_ = std::make_unique<SimProcess>(dir_,
                                        "name: reload\nseed: 3\n"
                                        "org:\n  sites:\n    - {name: HQ, edges: 2, phones: 6}\n"
                                        "  users: 1\n  external_trunks: 1\n"
                                        "random_walk:\n  enabled: false\n");
    ASSERT_GT(sim_->port(), 0) << sim_->Log();
    sim_port_ = sim_->port();
    base_ = sim_->base_url();
    spool_ = dir_ + "/spool";
    ASSERT_EQ(::mkdir(spool_.c_str(), 0700), 0);
  }

  void TearDown() override {
    if (exporter_) exporter_->Kill(SIGTERM);
    if (sim_) sim_->Stop();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  // The exporter's configuration: trunks every `trunks`, `rate` requests per minute.
  std::string Config(const std::string& trunks, int rate, const std::string& extra_receiver = "") {
    return "rate_limit:\n  requests_per_minute: " + std::to_string(rate) +
           "\n"
           "collection:\n  intervals: {phones: 2s, stations: 2s, trunks: " +
           trunks +
           ", trunk_metrics: 2s, edges: 1s, edge_metrics: 2s}\n"
           "notifications:\n  enabled: false\n"
           "tls_probes:\n  enabled: false\n"
           "alerting:\n  spool_dir: " +
           spool_ +
           "\n  evaluation_interval: 1s\n  group_wait: 1s\n  group_interval: 2s\n  repeat_interval: 1h\n"
           "  rules:\n    edge_offline: {for: 1s}\n"
           "  receivers:\n"
           "    - {name: hook, url: \"" +
           receiver_.url("/hook") + "\", initial_backoff: 100ms, max_backoff: 500ms}\n" + extra_receiver;
  }

  void WriteConfig(const std::string& text) { std::ofstream(dir_ + "/exporter.yml", std::ios::trunc) << text; }

  std::vector<std::string> Env() const {
    return {"GENESYS_CLIENT_ID=demo-client", "GENESYS_CLIENT_SECRET=demo-secret", "GENESYS_API_URL=" + base_,
            "GENESYS_LOGIN_URL=" + base_};
  }

  // What --config.check prints for the current file, and its exit code.
  std::pair<std::string, int> ConfigCheck() {
    const std::string log = dir_ + "/check-" + std::to_string(++checks_) + ".log";
    ChildProcess check({kExporterBinary, "--config.check", "--config.file=" + dir_ + "/exporter.yml"}, Env(), log);
    const int code = check.Wait();
    return {check.Log(), code};
  }

  void StartExporter() {
    exporter_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{kExporterBinary, "--config.file=" + dir_ + "/exporter.yml",
                                 "--web.listen-address=127.0.0.1:0", "--web.port-file=" + dir_ + "/exporter.port"},
        Env(), dir_ + "/exporter.log");
    const int port = WaitForPort(dir_ + "/exporter.port", *exporter_);
    ASSERT_GT(port, 0) << exporter_->Log();
    http_ = std::make_unique<httplib::Client>("127.0.0.1", port);
    http_->set_read_timeout(30, 0);
  }

  std::string Metrics() { return GetBody(*http_, "/metrics"); }

  double LastSuccess(const std::string& collector) {
    const std::string key = "genesys_collector_last_success_timestamp_seconds{collector=\"" + collector + "\"} ";
    const std::string metrics = Metrics();
    const auto at = metrics.find(key);
    return at == std::string::npos ? 0 : std::stod(metrics.substr(at + key.size()));
  }

  std::string dir_, base_, spool_;
  int sim_port_ = 0;
  int checks_ = 0;
  TestReceiver receiver_;
  std::unique_ptr<SimProcess> sim_;
  std::unique_ptr<ChildProcess> exporter_;
  std::unique_ptr<httplib::Client> http_;
};

TEST_F(ConfigReload, SighupAndPostApplyLiveSettingsAndKeepStateAlertsAndSpool) {
  WriteConfig(Config("2s", 290));
  StartExporter();
  // One request per try: asking twice dereferenced a second answer that may have failed (a SEGV under TSan).
  ASSERT_TRUE(WaitFor([&] {
    auto ready = http_->Get("/-/ready");
    return ready && ready->status == 200;
  }, kLimit))
      << exporter_->Log();

  // An edge goes offline while the receiver refuses: the alert fires, its notification waits
  // in the spool.
  receiver_.Answer(503);
  httplib::Client control("127.0.0.1", sim_port_);
  auto mutation = control.Post("/sim/v1/mutations", R"({"action":"edge_online","target":"0","online":false})",
                               "application/json");
  ASSERT_TRUE(mutation && mutation->status == 200);
  ASSERT_TRUE(WaitFor([&] { return FiringEdgeNotifications(receiver_, "/hook", false) >= 1; }, kLimit))
      << exporter_->Log();
  ASSERT_TRUE(Has(Metrics(), "genesys_webhook_queue_length{receiver=\"hook\"} 1"));
  ASSERT_TRUE(Has(Metrics(), "genesys_alerts_firing{alertname=\"edge_offline\",severity=\"critical\"} 1"))
      << Metrics();

  // SIGHUP with a new trunks interval (live), another budget (restart-only) and a new receiver.
  WriteConfig(Config("7s", 200,
                     "    - {name: second, url: \"" + receiver_.url("/second") +
                         "\", initial_backoff: 100ms, max_backoff: 500ms}\n"));
  ASSERT_TRUE(exporter_->Signal(SIGHUP));
  ASSERT_TRUE(WaitFor([&] { return Has(exporter_->Log(), "configuration reloaded"); }, kLimit)) << exporter_->Log();
  EXPECT_TRUE(Has(exporter_->Log(), "msg=\"configuration reloaded\" applied=collection.intervals,alerting\n"))
      << exporter_->Log();
  EXPECT_TRUE(Has(exporter_->Log(),
                  "msg=\"configuration reload: settings changed that apply only after a restart; the running values "
                  "stay\" restart_required=rate_limit\n"))
      << exporter_->Log();
  std::string metrics = Metrics();
  EXPECT_TRUE(Has(metrics, "genesys_collector_configured_interval_seconds{collector=\"trunks\"} 7")) << metrics;
  EXPECT_TRUE(Has(metrics, "genesys_exporter_config_last_reload_successful 1")) << metrics;
  EXPECT_TRUE(Has(metrics, "genesys_exporter_config_restart_required 1")) << metrics;
  // State, the alert and the queue survived.
  EXPECT_TRUE(Has(metrics, "genesys_phones{site=\"HQ\",status=\"OPERATIONAL\"}")) << metrics;
  EXPECT_TRUE(Has(metrics, "genesys_alerts_firing{alertname=\"edge_offline\",severity=\"critical\"} 1")) << metrics;
  EXPECT_TRUE(Has(metrics, "genesys_webhook_queue_length{receiver=\"hook\"} 1")) << metrics;
  EXPECT_TRUE(Has(metrics, "genesys_webhook_queue_length{receiver=\"second\"} 0")) << metrics;
  const std::string page = GetBody(*http_, "/");
  EXPECT_TRUE(Has(page, "<span class=\"down\">restart required</span>: the file changes <code>rate_limit</code>"))
      << page;

  // The receiver is back: the queued notification is delivered once, and the active alert is
  // not notified again (repeat_interval is an hour), neither to it nor to the new receiver.
  receiver_.Answer(200);
  ASSERT_TRUE(WaitFor([&] { return FiringEdgeNotifications(receiver_, "/hook", true) == 1; }, kLimit))
      << exporter_->Log();

  // POST /-/reload (GET is not a reload), back to the first file.
  auto get = http_->Get("/-/reload");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
  EXPECT_EQ(get->get_header_value("Allow"), "POST, PUT");
  WriteConfig(Config("2s", 290));
  auto post = http_->Post("/-/reload", "", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 200) << post->body;
  EXPECT_EQ(post->body, "configuration reloaded: applied collection.intervals, alerting\n");
  metrics = Metrics();
  EXPECT_TRUE(Has(metrics, "genesys_collector_configured_interval_seconds{collector=\"trunks\"} 2")) << metrics;
  EXPECT_TRUE(Has(metrics, "genesys_exporter_config_restart_required 0")) << metrics;
  EXPECT_FALSE(Has(metrics, "receiver=\"second\"")) << metrics;
  // Time for a wrong re-notification to show up: edges (every 1 s) succeed 4 more times,
  // with evaluations and group flushes (every 2 s) in between.
  const size_t requests = receiver_.requests().size();
  const double edges_before = LastSuccess("edges");
  ASSERT_TRUE(WaitFor([&] { return LastSuccess("edges") >= edges_before + 4; }, kLimit)) << exporter_->Log();
  EXPECT_EQ(receiver_.requests().size(), requests);
  EXPECT_EQ(FiringEdgeNotifications(receiver_, "/hook", false), FiringEdgeNotifications(receiver_, "/hook", true));
  EXPECT_EQ(FiringEdgeNotifications(receiver_, "/second", false), 0u);
  EXPECT_TRUE(Has(Metrics(), "genesys_alerts_firing{alertname=\"edge_offline\",severity=\"critical\"} 1"));
  EXPECT_TRUE(exporter_->running());
}

TEST_F(ConfigReload, AnInvalidFileIsRefusedWithTheChecksMessagesAndTheOldOneStays) {
  WriteConfig(Config("3s", 290));
  StartExporter();
  ASSERT_TRUE(WaitFor([&] { return Has(Metrics(), "genesys_collector_up{collector=\"trunks\"} 1"); }, kLimit))
      << exporter_->Log();
  const std::string good_since = [&] {
    std::smatch m;
    const std::string metrics = Metrics();
    std::regex re("genesys_exporter_config_last_reload_success_timestamp_seconds ([0-9.e+]+)");
    return std::regex_search(metrics, m, re) ? m[1].str() : std::string();
  }();
  ASSERT_FALSE(good_since.empty());

  // Two errors: an unknown key and an interval below its minimum.
  std::string bad = Config("3s", 290);
  bad.replace(bad.find("trunks: 3s"), 10, "trunks: 0s");
  bad += "unknown_section: 1\n";
  WriteConfig(bad);
  const auto [check, code] = ConfigCheck();
  ASSERT_EQ(code, 1) << check;
  ASSERT_TRUE(Has(check, "collection.intervals.trunks: must be at least 1s")) << check;
  ASSERT_TRUE(Has(check, "unknown_section: unknown key")) << check;

  auto put = http_->Put("/-/reload", "", "text/plain");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 500);
  EXPECT_EQ(put->body, check);
  std::string metrics = Metrics();
  EXPECT_TRUE(Has(metrics, "genesys_exporter_config_last_reload_successful 0")) << metrics;
  EXPECT_TRUE(Has(metrics, "genesys_exporter_config_last_reload_success_timestamp_seconds " + good_since)) << metrics;
  EXPECT_TRUE(Has(metrics, "genesys_collector_configured_interval_seconds{collector=\"trunks\"} 3")) << metrics;
  const std::string page = GetBody(*http_, "/");
  EXPECT_TRUE(Has(page, "<span class=\"down\">last reload refused</span>")) << page;
  EXPECT_TRUE(Has(page, "collection.intervals.trunks: must be at least 1s")) << page;

  // By SIGHUP: logged with the same messages, and the exporter keeps running.
  ASSERT_TRUE(exporter_->Signal(SIGHUP));
  ASSERT_TRUE(WaitFor(
      [&] {
        return Has(exporter_->Log(), "msg=\"configuration reload refused, the running configuration stays\" err=\"" +
                                         check.substr(0, check.find('\n')) + "\"");
      },
      kLimit))
      << exporter_->Log();
  EXPECT_TRUE(exporter_->running());
  EXPECT_TRUE(Has(Metrics(), "genesys_collector_up{collector=\"trunks\"} 1"));

  // Fixed again: the next reload succeeds.
  WriteConfig(Config("3s", 290));
  auto post = http_->Post("/-/reload", "", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 200) << post->body;
  EXPECT_EQ(post->body, "configuration reloaded: no live setting changed\n");
  EXPECT_TRUE(Has(Metrics(), "genesys_exporter_config_last_reload_successful 1"));
}

}  // namespace
}  // namespace gx
