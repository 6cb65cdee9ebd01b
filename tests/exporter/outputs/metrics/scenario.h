// A small, fixed telephony org built through the TelephonyState apply functions,
// plus helpers to render collectors and compare with golden files. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "exporter/outputs/metrics/collector.h"
#include "exporter/state/health_state.h"
#include "exporter/state/telephony_state.h"

namespace gx::testing {

// 2026-05-10T08:00:00Z
inline constexpr UnixNanos kT0 = 1778400000LL * kNanosPerSecond;

inline LineStatus Line(std::string id, bool reachable) {
  LineStatus l;
  l.id = std::move(id);
  l.reachable = reachable;
  return l;
}

inline Phone MakePhone(std::string id, std::string name, EntityRef site, std::string op_status,
                       InlineVector<LineStatus> lines, UnixNanos event_time) {
  Phone p;
  p.id = std::move(id);
  p.name = std::move(name);
  p.state = "active";
  p.site = std::move(site);
  for (const auto& l : lines) p.line_ids.push_back(l.id);
  PhoneStatus s;
  s.operational_status = std::move(op_status);
  s.edges_status = "IN_SERVICE";
  s.event_creation_time = event_time;
  s.lines = std::move(lines);
  p.status = std::move(s);
  return p;
}

inline ProxyState Proxy(std::string addr, bool up, UnixNanos t) {
  ProxyState p;
  p.proxy_address = std::move(addr);
  p.up = up;
  p.state_time = t;
  return p;
}

// Phones at HQ, a branch known only by id, and a phone without site or status;
// followed users with a desk phone, a WebRTC phone, no station, and not yet read;
// carrier trunks up/degraded/down plus an internal phone trunk; three edges.
inline void BuildScenario(TelephonyState& state) {
  const EntityRef hq{"site-hq", "HQ"};
  const EntityRef branch{"site-branch-7", ""};
  std::vector<Phone> phones;
  phones.push_back(MakePhone("p-101", "Desk 101", hq, "OPERATIONAL", {Line("l-101a", true), Line("l-101b", true)},
                             kT0));
  phones.push_back(MakePhone("p-102", "Desk 102", hq, "OFFLINE", {Line("l-102", false)}, kT0));
  phones.push_back(MakePhone("p-103", "Desk \"quoted\" 103", hq, "DEGRADED", {Line("l-103", true), Line("l-103b", false)},
                             kT0));
  Phone webrtc = MakePhone("p-ada", "WebRTC Ada", branch, "MAINTENANCE_MODE", {Line("l-ada", true)}, kT0);
  webrtc.web_rtc_user_id = "u-ada";
  webrtc.media_codecs = {"audio/opus", "audio/PCMU"};
  phones.push_back(webrtc);
  Phone lobby;
  lobby.id = "p-lobby";
  lobby.name = "Lobby";
  lobby.line_ids = {"l-lobby"};
  phones.push_back(lobby);
  state.ReplacePhones(phones, kT0);

  // A pushed change (line a of Desk 101 drops), then the next poll agrees: one transition.
  PhoneStatusUpdate push;
  push.phone_id = "p-101";
  push.status = phones[0].status;
  push.status->lines[0].reachable = false;
  push.status->operational_status = "DEGRADED";
  push.status->event_creation_time = kT0 + 10 * kNanosPerSecond;
  state.ApplyPhoneStatus(push, kT0 + 11 * kNanosPerSecond);
  phones[0].status = push.status;
  state.ReplacePhones(phones, kT0 + 60 * kNanosPerSecond);

  std::vector<Station> stations(2);
  stations[0].id = "st-desk";
  stations[0].name = "Desk 101 station";
  stations[0].status = "ASSOCIATED";
  stations[0].type = "inin_remote";
  stations[0].user_id = "u-desk";
  stations[0].line_appearance_id = "l-101a";
  stations[1].id = "st-ada";
  stations[1].name = "WebRTC Ada";
  stations[1].type = "inin_webrtc_softphone";
  stations[1].web_rtc_user_id = "u-ada";
  state.ReplaceStations(stations, kT0);
  state.SetFollowedUsers({"u-desk", "u-ada", "u-none", "u-unread"});
  state.ApplyUserStation({"u-desk", "st-desk", "Desk 101 station", "inin_remote"}, kT0);
  state.ApplyUserStation({"u-ada", "st-ada", "WebRTC Ada", "inin_webrtc_softphone"}, kT0);
  state.ApplyUserStation({"u-none", "", "", ""}, kT0);

  std::vector<Trunk> trunks(4);
  Trunk& a = trunks[0];
  a.id = "t-a";
  a.name = "Carrier A";
  a.trunk_type = "EXTERNAL";
  a.edge = {"e-1", "edge-hq-1"};
  a.in_service = true;
  a.enabled = true;
  a.connected = true;
  a.connected_state_time = kT0 - 3600 * kNanosPerSecond;
  a.options_enabled_status = "ENABLED";
  a.registers_enabled_status = "DISABLED";
  a.options = {Proxy("sip1.a.example:5061", true, kT0), Proxy("sip2.a.example:5061", true, kT0)};
  Trunk& b = trunks[1];
  b.id = "t-b";
  b.name = "Carrier B";
  b.trunk_type = "EXTERNAL";
  b.edge = {"e-1", "edge-hq-1"};
  b.in_service = true;
  b.enabled = true;
  b.connected = true;
  b.connected_state_time = kT0;
  b.options_enabled_status = "ENABLED";
  b.registers_enabled_status = "ENABLED";
  b.options = {Proxy("sip1.b.example", true, kT0), Proxy("sip2.b.example", false, kT0 + kNanosPerSecond / 2)};
  b.registers = {Proxy("reg.b.example", true, kT0)};
  Trunk& c = trunks[2];
  c.id = "t-c";
  c.name = "Carrier C";
  c.trunk_type = "EXTERNAL";
  c.edge = {"e-2", "edge-branch"};
  c.in_service = true;
  c.connected = false;
  c.options_enabled_status = "ENABLED";
  c.options = {Proxy("sip.c.example", false, kT0)};
  Trunk& phone_trunk = trunks[3];
  phone_trunk.id = "t-phone";
  phone_trunk.name = "PhoneTrunk_HQ";
  phone_trunk.trunk_type = "PHONE";
  phone_trunk.edge = {"e-1", "edge-hq-1"};
  phone_trunk.in_service = true;
  phone_trunk.enabled = true;
  phone_trunk.connected = true;
  state.ReplaceTrunks(trunks, kT0);
  TrunkMetrics ma;
  ma.trunk_id = "t-a";
  ma.event_time = kT0;
  ma.inbound_calls = 3;
  ma.outbound_calls = 5;
  ma.qos_mismatches = 0;
  state.ApplyTrunkMetrics(ma, kT0);
  TrunkMetrics mb;
  mb.trunk_id = "t-b";
  mb.event_time = kT0;
  mb.inbound_calls = 0;
  mb.qos_mismatches = 12;
  state.ApplyTrunkMetrics(mb, kT0);

  std::vector<Edge> edges(3);
  edges[0] = {"e-1", "edge-hq-1", "active", hq, "1.0.0.12345", "ONLINE", "ACTIVE"};
  edges[1] = {"e-2", "edge-branch", "active", branch, "1.0.0.12000", "OFFLINE", "ACTIVE"};
  edges[2] = {"e-3", "edge-new", "active", {}, "", "", "NEW"};
  state.ReplaceEdges(edges, kT0);
  EdgeMetrics em;
  em.edge_id = "e-1";
  em.event_time = kT0;
  em.uptime_ms = 864000123;
  state.ApplyEdgeMetrics(em, kT0);
}

inline void BuildHealth(HealthState& health) {
  health.Update([](HealthData& h) {
    h.genesys_up = true;
    h.rate_limit_remaining = 142;
    h.oauth_requests = 2;
    h.oauth_failures = 1;
    h.oauth_token_expiry = kT0 + 86399 * kNanosPerSecond;
    h.sources["phones"].configured_interval_seconds = 60;
    h.sources["phones"].interval_seconds = 90;
    h.sources["trunks"].configured_interval_seconds = 30;
    h.sources["trunks"].interval_seconds = 30;
    h.sources["edges"].configured_interval_seconds = 60;  // never ran yet
    h.sources["stations"].configured_interval_seconds = 300;
  });
  health.RecordSourceRun("phones", Status::Ok(), kT0 + 2 * kNanosPerSecond, 1.25, 3);
  health.RecordSourceRun("trunks", Status::Ok(), kT0, 0.5, 1);
  health.RecordSourceRun("trunks", Status::Error("trunks: invalid JSON"), kT0 + 30 * kNanosPerSecond, 10, 1);
  health.RecordApiRequest("/api/v2/telephony/providers/edges/phones", "200", 0.2, kT0);
  health.RecordApiRequest("/api/v2/telephony/providers/edges/phones", "200", 0.04, kT0);
  health.RecordApiRequest("/api/v2/telephony/providers/edges/phones", "429", 0.01, kT0);
  health.RecordApiRequest("/api/v2/telephony/providers/edges/trunks", "error", 12, kT0);
  health.RecordApiRetry("/api/v2/telephony/providers/edges/phones", "rate_limited");
  health.RecordApiRetry("/api/v2/telephony/providers/edges/trunks", "timeout");
  // stations is stuck in its first run for longer than 3 intervals: stale, reported down.
  health.MarkStaleSources({"phones", "stations"}, kT0 - 901 * kNanosPerSecond, kT0);
}

// Renders the named collectors (AllCollectors() names) against the state and health, with
// the serializer /metrics uses.
inline std::string Render(const TelephonyState& state, const HealthState& health, const CollectorOptions& options,
                          std::initializer_list<std::string_view> names) {
  std::string out;
  state.Read([&](const TelephonyData& t) {
    health.Read([&](const HealthData& h) {
      CollectInput in{t, h, options};
      for (std::string_view name : names) {
        bool found = false;
        for (const auto& c : AllCollectors()) {
          if (c.name != name) continue;
          std::shared_ptr<void> cache;
          WriteCollector(c, in, cache, out);
          found = true;
        }
        EXPECT_TRUE(found) << "no collector named " << name;
      }
    });
  });
  return out;
}

// promtool check metrics prints nothing, and exits 0, for clean input.
inline void ExpectPromtoolClean(const std::string& text) {
  char path[] = "/tmp/gx_promtool_XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  close(fd);
  const std::string cmd = std::string("promtool check metrics < ") + path + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  std::array<char, 512> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), pipe)) output.append(buf.data(), n);
  const int status = pclose(pipe);
  unlink(path);
  EXPECT_EQ(status, 0) << output;
  EXPECT_EQ(output, "");
}

inline std::string GoldenPath(const std::string& name) {
  return std::string(GX_SOURCE_DIR) + "/tests/fixtures/golden/" + name;
}

// Compares with tests/fixtures/golden/<name>; GX_UPDATE_GOLDEN=1 rewrites it.
inline void ExpectGolden(const std::string& name, const std::string& actual) {
  const std::string path = GoldenPath(name);
  if (const char* update = std::getenv("GX_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path << " (run with GX_UPDATE_GOLDEN=1)";
  std::ostringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(expected.str(), actual) << "golden mismatch for " << name << " (GX_UPDATE_GOLDEN=1 rewrites it)";
}

}  // namespace gx::testing
