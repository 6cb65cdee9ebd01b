// Scenario YAML parsing (including exact error texts), the shipped scenario files, and the
// determinism and internal consistency of the generated org.
#include <fstream>
#include <sstream>

#include "simulator/org.h"
#include "tests/exporter/util/scratch_dir.h"
#include "tests/simulator/sim_test_util.h"

namespace gx::sim {
namespace {

TEST(ScenarioTest, ParsesAFullScenario) {
  auto s = ParseScenarioYaml(R"(
name: t
seed: 9
time_scale: 10
org:
  sites: [{name: A, edges: 2, phones: 5}]
  users: 2
auth: {client_id: c, client_secret: s, token_lifetime_s: 600, rate_limit_per_minute: 10}
api: {max_page_size: 50}
streaming: {tls: true, heartbeat_s: 0.5, channel_lifetime_s: 60}
random_walk: {enabled: false}
timeline:
  - {at_s: 5, action: phone_line, target: "0", line: 0, reachable: false}
  - {at_s: 6, action: fault, fault: {kind: rate_limit, count: 3}}
faults:
  - {kind: server_error, status: 502, at_s: 1, count: 2}
)");
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->seed, 9u);
  EXPECT_EQ(s->time_scale, 10);
  ASSERT_EQ(s->sites.size(), 1u);
  EXPECT_EQ(s->sites[0].edges, 2);
  EXPECT_EQ(s->client_id, "c");
  EXPECT_EQ(s->max_page_size, 50);
  EXPECT_TRUE(s->streaming_tls);
  EXPECT_FALSE(s->walk.enabled);
  ASSERT_EQ(s->timeline.size(), 2u);
  EXPECT_EQ(s->timeline[0].args.at("reachable"), "false");
  EXPECT_EQ(s->timeline[1].fault.kind, "rate_limit");
  EXPECT_EQ(s->timeline[1].fault.count, 3);
  ASSERT_EQ(s->faults.size(), 1u);
  EXPECT_EQ(s->faults[0].status, 502);
}

TEST(ScenarioTest, RejectsInvalidScenariosWithPreciseMessages) {
  struct Case {
    const char* yaml;
    const char* error;
  };
  const Case cases[] = {
      {"bogus: 1", "scenario: unknown key 'bogus'"},
      {"org: {phonez: 3}", "org: unknown key 'phonez'"},
      {"org: {site_count: 0}", "org.site_count: must be >= 1"},
      {"time_scale: 0", "scenario.time_scale: must be > 0"},
      {"seed: abc", "scenario.seed: invalid value"},
      {"timeline: [{at_s: 1, action: explode}]", "timeline[0].action: unknown action 'explode'"},
      {"faults: [{kind: meteor}]", "faults[0].kind: unknown fault kind 'meteor'"},
      {"streaming: {heartbeat_s: 0}", "streaming.heartbeat_s: must be > 0"},
      {"streaming: {heartbeat_s: 1e300}", "streaming.heartbeat_s: must be at most 3600"},
      {"streaming: {channel_lifetime_s: 10000000000}",
       "streaming.channel_lifetime_s: must be > 0 and at most 172800 s (48 h)"},
      {"streaming: {channel_lifetime_s: 0}", "streaming.channel_lifetime_s: must be > 0 and at most 172800 s (48 h)"},
      {"auth: {token_lifetime_s: 0}", "auth.token_lifetime_s: must be between 1 and 172800 s (48 h)"},
      {"auth: {token_lifetime_s: 172801}", "auth.token_lifetime_s: must be between 1 and 172800 s (48 h)"},
      {"auth: {token_lifetime_s: 10000000000}", "auth.token_lifetime_s: invalid value"},
  };
  for (const auto& c : cases) {
    const auto parsed = ParseScenarioYaml(c.yaml);
    EXPECT_FALSE(parsed.ok()) << c.yaml;
    EXPECT_EQ(parsed.error(), c.error);
  }
}

TEST(ScenarioTest, ShippedScenarioFilesLoad) {
  auto demo = LoadScenarioFile(std::string(GX_SOURCE_DIR) + "/simulator/scenarios/demo.yaml");
  ASSERT_TRUE(demo.ok()) << demo.error();
  EXPECT_EQ(demo->client_id, "demo-client");
  EXPECT_EQ(demo->client_secret, "demo-secret");
  EXPECT_EQ(demo->sites.size(), 3u);
  EXPECT_FALSE(demo->timeline.empty());
  auto large = LoadScenarioFile(std::string(GX_SOURCE_DIR) + "/simulator/scenarios/large.yaml");
  ASSERT_TRUE(large.ok()) << large.error();
  EXPECT_EQ(large->phones, 50000);
  EXPECT_EQ(large->site_count * large->edges_per_site, 200);
  EXPECT_EQ(large->client_id, "demo-client");
  // The built-in fallbacks match the files on what tests rely on.
  EXPECT_EQ(DemoScenario().timeline.size(), demo->timeline.size());
  EXPECT_EQ(LargeScenario().phones, large->phones);
  EXPECT_EQ(LargeScenario().external_trunks, large->external_trunks);
}

TEST(ScenarioTest, AFileErrorNamesTheFile) {
  gx::testing::ScratchDir dir("gx-scenario");
  const std::string path = (dir.path() / "bad.yaml").string();
  std::ofstream(path) << "bogus: 1\n";
  const auto loaded = LoadScenarioFile(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error(), path + ": scenario: unknown key 'bogus'");
  const auto missing = ResolveScenario((dir.path() / "none.yaml").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), "cannot read scenario file " + (dir.path() / "none.yaml").string());
}

TEST(ScenarioTest, OrgIsDeterministicAndConsistent) {
  Scenario s = testing::SmallScenario();
  Org a = GenerateOrg(s, 1'800'000'000LL * kNanosPerSecond, {});
  Org b = GenerateOrg(s, 1'800'000'000LL * kNanosPerSecond, {});
  ASSERT_EQ(a.phones.size(), 65u);
  for (size_t i = 0; i < a.phones.size(); ++i) {
    EXPECT_EQ(a.phones[i].id, b.phones[i].id);
    EXPECT_EQ(a.phones[i].name, b.phones[i].name);
  }
  int webrtc = 0, two_lines = 0;
  for (size_t i = 0; i < a.phones.size(); ++i) {
    const auto& p = a.phones[i];
    EXPECT_GE(p.lines.size(), 1u);
    EXPECT_LE(p.lines.size(), 2u);
    two_lines += p.lines.size() == 2;
    if (p.webrtc) {
      ++webrtc;
      ASSERT_GE(p.webrtc_user, 0);
      EXPECT_EQ(a.stations[i].type, "inin_webrtc_softphone");
    }
    EXPECT_EQ(a.stations[i].phone, static_cast<int>(i));
  }
  EXPECT_GT(webrtc, 0);
  EXPECT_GT(two_lines, 0);
  int associated = 0;
  for (const auto& u : a.users) {
    if (u.station < 0) continue;
    ++associated;
    EXPECT_EQ(a.users[a.stations[u.station].user].id, u.id);
  }
  EXPECT_EQ(associated, 4);
  for (const auto& t : a.trunks) {
    if (t.trunk_type != "EXTERNAL") continue;
    EXPECT_GE(t.proxies.size(), 1u);
    EXPECT_LE(t.proxies.size(), 4u);
  }
  Scenario other = s;
  other.seed = 99;
  EXPECT_NE(GenerateOrg(other, 0, {}).phones[0].id, a.phones[0].id);
}

TEST(ScenarioTest, LargeOrgHasTheAdvertisedSize) {
  Org org = GenerateOrg(LargeScenario(), 1'800'000'000LL * kNanosPerSecond, {});
  EXPECT_EQ(org.phones.size(), 50000u);
  EXPECT_EQ(org.edges.size(), 200u);
  EXPECT_EQ(org.trunks.size(), 1000u);
  EXPECT_EQ(org.phones_by_name.size(), 50000u);
}

}  // namespace
}  // namespace gx::sim
