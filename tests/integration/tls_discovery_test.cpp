// Discovery end to end: genesys_sim's SIP-TLS listeners appear as probe targets
// with no TLS configuration at all. The trunk inventory is read over REST with
// the real API stack and parsers (standing in for the pollers), then the
// TlsProber discovers, probes and the collector exports.
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <set>
#include <sstream>

#include "exporter/outputs/metrics/collectors.h"
#include "exporter/genesys/api/api_factory.h"
#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/sources/tls/tls_prober.h"
#include "simulator/simulator.h"

namespace gx {
namespace {

template <typename T, typename Parse>
std::vector<T> ReadAll(ApiClient& api, const std::string& path, const std::string& endpoint, Parse parse) {
  std::vector<T> all;
  for (int page = 1; page < 100; ++page) {
    const std::string sep = path.find('?') == std::string::npos ? "?" : "&";
    ApiResponse r = api.Get(path + sep + "pageSize=500&pageNumber=" + std::to_string(page), endpoint);
    EXPECT_TRUE(r.ok()) << path << ": " << r.status << " " << r.error;
    if (!r.ok()) break;
    Page<T> p;
    EXPECT_TRUE(parse(r.body, p).ok()) << path;
    for (auto& e : p.entities) all.push_back(std::move(e));
    if (p.info.last() || p.entities.empty()) break;
  }
  return all;
}

TEST(TlsDiscoveryIntegrationTest, SimulatorTlsListenersBecomeTargets) {
  sim::Scenario scenario;
  scenario.name = "tls_discovery";
  scenario.site_count = 1;
  scenario.phones = 4;
  scenario.users = 1;
  scenario.external_trunks = 8;
  scenario.tls_endpoints = true;
  scenario.walk.enabled = false;
  scenario.rate_limit_per_minute = 100000;
  sim::Simulator sim(scenario);
  const Status started = sim.Start(0);
  ASSERT_TRUE(started.ok()) << started.error();
  const std::vector<sim::TlsEndpointInfo> endpoints = sim.tls_endpoints();
  ASSERT_FALSE(endpoints.empty());

  Config config;
  config.genesys.client_id = scenario.client_id;
  config.genesys.client_secret = scenario.client_secret;
  config.genesys.api_url = sim.base_url();
  config.genesys.login_url = sim.base_url();
  config.rate_limit.requests_per_minute = 100000;
  HealthState health;
  auto made = MakeApiStack(config, health, SystemClock::Instance());
  ASSERT_TRUE(made) << made.error();
  const std::unique_ptr<ApiStack> api = std::move(made).value();

  TelephonyState state;
  const UnixNanos now = SystemClock::Instance().Now();
  state.ReplaceTrunkBases(ReadAll<TrunkBase>(api->api(),
                                             "/api/v2/telephony/providers/edges/trunkbasesettings?expand=properties",
                                             "/api/v2/telephony/providers/edges/trunkbasesettings", ParseTrunkBasesPage));
  state.ReplaceTrunks(ReadAll<Trunk>(api->api(), "/api/v2/telephony/providers/edges/trunks",
                                     "/api/v2/telephony/providers/edges/trunks", ParseTrunksPage),
                      now);

  // No targets configured: everything below comes from discovery.
  TlsProbeConfig tls;
  tls.ca_file = sim.ca_bundle_path();
  tls.timeout = Seconds(10);
  tls.sip_options = true;
  TlsProber prober(tls, state, health, SystemClock::Instance());
  prober.RunCycle();

  auto entries = state.Read([](const TelephonyData& d) { return d.tls; });
  std::set<std::string> want, got;
  for (const auto& e : endpoints) want.insert(e.address);
  for (const auto& [key, e] : entries) got.insert(key);
  EXPECT_EQ(got, want);

  for (const auto& e : endpoints) {
    SCOPED_TRACE(e.name + " " + e.address);
    auto it = entries.find(e.address);
    ASSERT_NE(it, entries.end());
    EXPECT_EQ(it->second.target.source, "trunk");
    EXPECT_FALSE(it->second.target.trunk_ids.empty());
    ASSERT_TRUE(it->second.result.has_value());
    const TlsProbeResult& r = *it->second.result;
    EXPECT_TRUE(r.handshake_ok) << r.error;
    EXPECT_FALSE(r.chain.empty());
    EXPECT_EQ(r.success, e.expect_verified) << r.verify_result;
    EXPECT_EQ(r.verify_result == "ok", e.expect_verified) << r.verify_result;
    EXPECT_EQ(r.sip_options.status_code, 200) << r.sip_options.error;
  }

  HealthData h = health.Read([](const HealthData& d) { return d; });
  ASSERT_TRUE(h.sources.count("tls"));
  EXPECT_TRUE(h.sources.at("tls").up);

  MetricFamilies families;
  CollectorOptions options;
  state.Read([&](const TelephonyData& d) {
    CollectTls(CollectInput{d, h, options}, families);
    return 0;
  });
  std::ostringstream os;
  prometheus::TextSerializer().Serialize(os, families);
  for (const auto& e : endpoints) {
    EXPECT_NE(os.str().find("genesys_tls_earliest_cert_expiry_timestamp_seconds{target=\"" + e.address + "\"}"),
              std::string::npos)
        << e.name;
  }
  api->Stop();
  sim.Stop();
}

}  // namespace
}  // namespace gx
