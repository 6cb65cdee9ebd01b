// The real binaries: genesys_exporter against genesys_sim with an expiring carrier
// certificate and a QoS-degraded carrier trunk. Once both alerts are firing and
// delivered to a local receiver (generic and Alertmanager format), the exporter is
// killed with SIGKILL and restarted on the same spool folder. Trunk metrics are slow
// after the restart and discovered TLS targets come back only after the trunk poll,
// so the restored alerts are evaluated over a state that does not know their facts
// yet: the receivers must see no "resolved" and no firing with a new startsAt.
#include <gtest/gtest.h>
#include <httplib.h>
#include <simdjson.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "exporter/util/iso_time.h"
#include "tests/exporter/outputs/webhook/webhook_test_server.h"
#include "tests/integration/child_process.h"
#include "tests/integration/real_binaries.h"
#include "tests/simulator/sim_test_util.h"

namespace gx {
namespace {

using gx::sim::testing::WaitFor;
using gx::testing::ChildProcess;
using gx::testing::ReceivedRequest;
using gx::testing::TestReceiver;
using gx::testing::WaitForPort;

const std::string& kExporter = gx::testing::kExporterBinary;
const std::string& kSim = gx::testing::kSimBinary;
constexpr auto kLimit = std::chrono::seconds(90);

// One alert as a receiver saw it.
struct Seen {
  std::string fingerprint, alertname, status, starts_at, subject;
  bool resolved = false;
};

std::string Str(simdjson::dom::element e, const char* key) {
  std::string_view v;
  return e[key].get(v) == simdjson::SUCCESS ? std::string(v) : std::string();
}

Seen GenericAlert(simdjson::dom::element a) {
  Seen s;
  s.fingerprint = Str(a, "fingerprint");
  s.alertname = Str(a, "alertType");
  s.status = Str(a, "status");
  s.starts_at = Str(a, "startsAt");
  s.resolved = s.status == "resolved";
  simdjson::dom::element labels;
  if (a["labels"].get(labels) == simdjson::SUCCESS) s.subject = Str(labels, "trunk_id") + Str(labels, "target");
  return s;
}

// Every alert in a request: a generic message (one alert, or a group with `alerts`),
// or an Alertmanager array (resolved when endsAt is not after the attempt's time).
std::vector<Seen> AlertsIn(const ReceivedRequest& r) {
  std::vector<Seen> out;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(r.body).get(root) != simdjson::SUCCESS) {
    ADD_FAILURE() << "unparsable body: " << r.body;
    return out;
  }
  if (r.path == "/am") {
    const UnixNanos attempt = std::stoll(r.timestamp) * kNanosPerSecond;
    for (simdjson::dom::element a : root.get_array()) {
      Seen s;
      simdjson::dom::element labels = a["labels"], annotations = a["annotations"];
      s.fingerprint = Str(annotations, "fingerprint");
      s.alertname = Str(labels, "alertname");
      s.subject = Str(labels, "trunk_id") + Str(labels, "target");
      s.starts_at = Str(a, "startsAt");
      auto ends = ParseIsoTime(Str(a, "endsAt"));
      s.resolved = !ends || *ends <= attempt;
      s.status = s.resolved ? "resolved" : "firing";
      out.push_back(s);
    }
    return out;
  }
  simdjson::dom::array group;
  if (root["alerts"].get(group) == simdjson::SUCCESS) {
    for (simdjson::dom::element a : group) out.push_back(GenericAlert(a));
  } else {
    out.push_back(GenericAlert(root));
  }
  return out;
}

bool Delivered(TestReceiver& receiver, const std::string& path, const std::string& alertname,
               const std::string& subject) {
  for (const auto& r : receiver.delivered()) {
    if (r.path != path) continue;
    for (const auto& a : AlertsIn(r))
      if (a.alertname == alertname && a.subject == subject && !a.resolved) return true;
  }
  return false;
}

// Fingerprints in the state file announced to the receivers (notified_at, field 6, set).
std::set<std::string> NotifiedInStateFile(const std::string& path) {
  std::set<std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string field; std::getline(ss, field, '\t');) f.push_back(field);
    if (f.size() > 5 && f[5] != "0") out.insert(f[0]);
  }
  return out;
}

std::string Get(httplib::Client& c, const std::string& path) { return gx::testing::GetBody(c, path); }

TEST(AlertRestartEndToEnd, SigkillAndRestartSendNoFalseResolvedAndKeepStartsAt) {
  ASSERT_TRUE(std::filesystem::exists(kExporter) && std::filesystem::exists(kSim)) << GX_BINARY_DIR;
  char dir_template[] = "/tmp/gx_alert_restart-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;

  // A still org: two SIP-TLS carrier trunks on the simulator's listeners (one per
  // certificate case, so the expiring one is discovered), nothing random.
  std::ofstream(dir + "/scenario.yaml") << "name: alert-restart\nseed: 7\n"
                                           "org:\n  sites:\n    - {name: HQ, edges: 1, phones: 4}\n"
                                           "  users: 1\n  external_trunks: 2\n  sip_tls_fraction: 1.0\n"
                                           "  tls_endpoints: true\n  expiring_days: 3\n"
                                           "random_walk:\n  enabled: false\n";
  ChildProcess sim({kSim, "--scenario", dir + "/scenario.yaml", "--listen", "127.0.0.1:0", "--port-file",
                    dir + "/sim.port", "--log.level", "warn"},
                   {}, dir + "/sim.log");
  ASSERT_EQ(sim.error(), "");
  const int sim_port = WaitForPort(dir + "/sim.port", sim);
  ASSERT_GT(sim_port, 0) << sim.Log();
  httplib::Client control("127.0.0.1", sim_port);
  control.set_read_timeout(10, 0);

  // The facts: the expiring listener's address, carrier trunk 0 with 12 QoS mismatches.
  simdjson::dom::parser parser;
  const std::string tls_body = Get(control, "/sim/v1/tls");
  simdjson::dom::element tls = parser.parse(tls_body);
  const std::string ca_bundle = Str(tls, "caBundle");
  std::string expiring;
  for (simdjson::dom::element e : tls["endpoints"].get_array())
    if (Str(e, "name") == "expiring") expiring = Str(e, "address");
  ASSERT_FALSE(expiring.empty()) << tls_body;
  const std::string truth_body = Get(control, "/sim/v1/truth");
  simdjson::dom::parser truth_parser;
  simdjson::dom::element truth = truth_parser.parse(truth_body);
  std::string degraded;
  for (simdjson::dom::element t : truth["trunks"].get_array())
    if (Str(t, "name") == "Carrier TLS valid") degraded = Str(t, "id");
  ASSERT_FALSE(degraded.empty()) << truth_body;
  auto mutation = control.Post("/sim/v1/mutations",
                               R"({"action":"trunk_calls","target":"0","inbound":3,"outbound":2,"qos":12})",
                               "application/json");
  ASSERT_TRUE(mutation && mutation->status == 200);

  TestReceiver receiver;
  const std::string spool = dir + "/spool";
  ASSERT_EQ(::mkdir(spool.c_str(), 0700), 0);  // the exporter may not create it (issue 11, defect 5)
  const std::string config = dir + "/exporter.yml";
  std::ofstream(config) << "rate_limit:\n  requests_per_minute: 290\n"
                           "collection:\n  intervals: {phones: 2s, stations: 2s, trunks: 2s, trunk_metrics: 2s,"
                           " edges: 2s, edge_metrics: 2s}\n"
                           "notifications:\n  enabled: false\n"
                           "tls_probes:\n  interval: 30s\n  timeout: 5s\n  ca_file: "
                        << ca_bundle
                        << "\n"
                           "alerting:\n  spool_dir: "
                        << spool
                        << "\n  evaluation_interval: 1s\n  group_wait: 1s\n  group_interval: 2s\n"
                           "  resend_interval: 5s\n  rules:\n    carrier_degradation: {for: 1s}\n"
                           "  receivers:\n"
                           "    - {name: hook, url: \""
                        << receiver.url("/hook") << "\", initial_backoff: 100ms, max_backoff: 1s}\n"
                        << "    - {name: am, format: alertmanager, url: \"" << receiver.url("/am")
                        << "\", initial_backoff: 100ms, max_backoff: 1s}\n";
  const std::string base = "http://127.0.0.1:" + std::to_string(sim_port);
  const std::vector<std::string> env = {"GENESYS_CLIENT_ID=demo-client", "GENESYS_CLIENT_SECRET=demo-secret",
                                        "GENESYS_API_URL=" + base, "GENESYS_LOGIN_URL=" + base};
  auto start_exporter = [&](const std::string& name) {
    return std::make_unique<ChildProcess>(
        std::vector<std::string>{kExporter, "--config.file=" + config, "--web.listen-address=127.0.0.1:0",
                                 "--web.port-file=" + dir + "/" + name + ".port"},
        env, dir + "/" + name + ".log");
  };

  // Before the kill: both alerts firing, delivered to both receivers, and persisted as announced.
  auto first = start_exporter("exporter-1");
  auto both_delivered = [&] {
    for (const char* path : {"/hook", "/am"}) {
      if (!Delivered(receiver, path, "carrier_degradation", degraded) ||
          !Delivered(receiver, path, "tls_cert_expiry", expiring))
        return false;
    }
    return true;
  };
  ASSERT_TRUE(WaitFor(both_delivered, kLimit)) << first->Log();
  std::map<std::string, std::string> starts;  // fingerprint -> startsAt
  std::set<std::string> watched;               // the two alerts' fingerprints
  for (const auto& r : receiver.delivered()) {
    for (const auto& a : AlertsIn(r)) {
      ASSERT_FALSE(a.resolved) << "before the restart: " << r.body;
      auto [it, inserted] = starts.emplace(a.fingerprint, a.starts_at);
      EXPECT_EQ(it->second, a.starts_at) << a.alertname << " " << a.subject;
      if ((a.alertname == "carrier_degradation" && a.subject == degraded) ||
          (a.alertname == "tls_cert_expiry" && a.subject == expiring))
        watched.insert(a.fingerprint);
    }
  }
  ASSERT_EQ(watched.size(), 2u);
  const std::string state_file = spool + "/alerts.state";
  ASSERT_TRUE(WaitFor(
      [&] {
        const auto notified = NotifiedInStateFile(state_file);
        for (const auto& fp : watched)
          if (!notified.count(fp)) return false;
        return true;
      },
      std::chrono::seconds(30)))
      << first->Log();
  ASSERT_TRUE(first->Kill(SIGKILL));
  const size_t before_restart = receiver.requests().size();

  // The restart, with the first trunk-metrics answer slow.
  auto fault = control.Post("/sim/v1/faults", R"({"kind":"slow","path":"trunks/metrics","delay_s":4,"count":1})",
                            "application/json");
  ASSERT_TRUE(fault && fault->status == 201);
  auto second = start_exporter("exporter-2");
  const int port = WaitForPort(dir + "/exporter-2.port", *second);
  ASSERT_GT(port, 0) << second->Log();
  httplib::Client exporter("127.0.0.1", port);
  // Wait until the facts are loaded again, then for one more Alertmanager re-send.
  const std::string qos_series = "genesys_trunk_qos_mismatches{trunk_id=\"" + degraded + "\"} 12";
  const std::string probed_series = "genesys_tls_probe_timestamp_seconds{target=\"" + expiring + "\"}";
  ASSERT_TRUE(WaitFor(
      [&] {
        const std::string metrics = Get(exporter, "/metrics");
        return metrics.find(qos_series) != std::string::npos && metrics.find(probed_series) != std::string::npos;
      },
      kLimit))
      << second->Log();
  auto am_posts = [&] {
    size_t n = 0;
    for (const auto& r : receiver.delivered()) n += r.path == "/am";
    return n;
  };
  const size_t am_after_facts = am_posts();
  ASSERT_TRUE(WaitFor([&] { return am_posts() >= am_after_facts + 2; }, std::chrono::seconds(30)))
      << second->Log();

  std::set<std::string> resent;
  const auto requests = receiver.requests();
  for (size_t i = before_restart; i < requests.size(); ++i) {
    for (const auto& a : AlertsIn(requests[i])) {
      EXPECT_FALSE(a.resolved) << "false resolved after the restart (" << requests[i].path
                               << "): " << requests[i].body;
      if (auto it = starts.find(a.fingerprint); it != starts.end()) {
        EXPECT_EQ(a.starts_at, it->second) << "new startsAt for " << a.alertname << " " << a.subject;
      }
      if (watched.count(a.fingerprint) && requests[i].path == "/am") resent.insert(a.fingerprint);
    }
  }
  EXPECT_EQ(resent, watched) << "Alertmanager was not kept informed of the restored alerts";
  EXPECT_TRUE(second->Kill(SIGTERM));
  EXPECT_TRUE(sim.Kill(SIGTERM));
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gx
