// Target discovery from a TelephonyData built with TelephonyState's apply
// functions, address parsing, and the merge with configured targets.
#include "exporter/sources/tls/tls_discovery.h"

#include <gtest/gtest.h>

namespace gx::tls {
namespace {

Trunk MakeTrunk(const std::string& id, const std::string& type, const std::string& base,
                std::vector<std::string> proxies) {
  Trunk t;
  t.id = id;
  t.name = "Trunk " + id;
  t.trunk_type = type;
  t.state = "active";
  t.trunk_base.id = base;
  t.proxy_address_list = std::move(proxies);
  return t;
}

TrunkBase MakeBase(const std::string& id, const std::string& variant, std::vector<std::string> servers = {}) {
  TrunkBase b;
  b.id = id;
  b.name = "Base " + id;
  b.trunk_type = "EXTERNAL";
  b.protocol_variant = variant;
  b.server_proxy_list = std::move(servers);
  return b;
}

std::vector<TlsTarget> Discover(const TelephonyState& s) {
  return s.Read([](const TelephonyData& d) { return DiscoverTlsTargets(d); });
}

TEST(ParseHostPortTest, Forms) {
  auto check = [](const std::string& in, const std::string& host, int port) {
    auto hp = ParseHostPort(in);
    ASSERT_TRUE(hp.ok()) << in << ": " << hp.error();
    EXPECT_EQ(hp->host, host) << in;
    EXPECT_EQ(hp->port, port) << in;
  };
  check("sip.carrier.example", "sip.carrier.example", 5061);
  check("SIP.Carrier.Example:5071", "sip.carrier.example", 5071);
  check("  203.0.113.10:5062 ", "203.0.113.10", 5062);
  check("[2001:db8::1]:5063", "2001:db8::1", 5063);
  check("[2001:db8::1]", "2001:db8::1", 5061);
  check("2001:db8::1", "2001:db8::1", 5061);
  check("sips:sip.carrier.example:5064;transport=tls", "sip.carrier.example", 5064);
  check("sip:trunk@sip.carrier.example", "sip.carrier.example", 5061);
}

TEST(ParseHostPortTest, PreciseErrors) {
  auto error_of = [](const std::string& in) {
    const auto hp = ParseHostPort(in, 5061);
    EXPECT_FALSE(hp.ok()) << in;
    return hp.error();
  };
  EXPECT_EQ(error_of(""), "empty address");
  EXPECT_EQ(error_of("host:"), "empty port");
  EXPECT_EQ(error_of("host:0"), "invalid port \"0\"");
  EXPECT_EQ(error_of("host:65536"), "invalid port \"65536\"");
  EXPECT_EQ(error_of("host:50x"), "invalid port \"50x\"");
  EXPECT_EQ(error_of(":5061"), "empty host");
  EXPECT_EQ(error_of("[::1"), "missing ']' in IPv6 address");
  EXPECT_EQ(error_of("[::1]x"), "unexpected text after ']'");
  EXPECT_EQ(error_of("a b:5061"), "invalid host \"a b\"");
}

TEST(TlsTargetKeyTest, BracketsIpv6) {
  TlsTarget t;
  t.host = "2001:db8::1";
  t.port = 5061;
  EXPECT_EQ(t.key(), "[2001:db8::1]:5061");
  t.host = "sip.example";
  EXPECT_EQ(t.key(), "sip.example:5061");
}

TEST(DiscoverTlsTargetsTest, OnlyExternalTlsTrunksMergedByHostPort) {
  TelephonyState state;
  state.ReplaceTrunkBases({MakeBase("b-tls", "tls", {"sip.a.example", "sip.shared.example:5061"}),
                           MakeBase("b-tls2", "TLS"), MakeBase("b-udp", "udp", {"sip.udp.example"}),
                           MakeBase("b-unknown", "")});
  Trunk options_only = MakeTrunk("t5", "EXTERNAL", "b-tls2", {});
  ProxyState p;
  p.proxy_address = "10.0.0.5:5061";
  options_only.options = {p};
  Trunk deleted = MakeTrunk("t7", "EXTERNAL", "b-tls2", {"sip.deleted.example"});
  deleted.state = "deleted";
  state.ReplaceTrunks({MakeTrunk("t1", "EXTERNAL", "b-tls", {"sip.a.example:5061", "sip.b.example:5070"}),
                       MakeTrunk("t2", "EXTERNAL", "b-tls2", {"SIP.SHARED.example"}),
                       MakeTrunk("t3", "EXTERNAL", "b-udp", {"sip.udp.example:5060"}),
                       MakeTrunk("t4", "PHONE", "b-tls", {"sip.phone.example"}),
                       options_only,
                       MakeTrunk("t6", "EXTERNAL", "b-unknown", {"sip.unknown.example"}),
                       MakeTrunk("t8", "EXTERNAL", "b-missing", {"sip.missing.example"}),
                       deleted},
                      1);

  std::vector<TlsTarget> got = Discover(state);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].key(), "10.0.0.5:5061");
  EXPECT_EQ(got[0].trunk_ids, std::vector<std::string>{"t5"});
  EXPECT_EQ(got[1].key(), "sip.a.example:5061");
  EXPECT_EQ(got[1].trunk_ids, std::vector<std::string>{"t1"});
  EXPECT_EQ(got[2].key(), "sip.b.example:5070");
  EXPECT_EQ(got[3].key(), "sip.shared.example:5061");
  EXPECT_EQ(got[3].trunk_ids, (std::vector<std::string>{"t1", "t2"}));
  for (const auto& t : got) {
    EXPECT_EQ(t.source, "trunk");
    EXPECT_EQ(t.server_name, "");  // SNI defaults to the host at probe time
  }
}

TEST(DiscoverTlsTargetsTest, OptionsAddressesAreOnlyAFallback) {
  TelephonyState state;
  state.ReplaceTrunkBases({MakeBase("b", "tls")});
  Trunk t = MakeTrunk("t1", "EXTERNAL", "b", {"sip.carrier.example"});
  ProxyState p;
  p.proxy_address = "203.0.113.10:5061";  // the resolved address would fail hostname verification
  t.options = {p};
  state.ReplaceTrunks({t}, 1);
  std::vector<TlsTarget> got = Discover(state);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].key(), "sip.carrier.example:5061");
}

TEST(DiscoverTlsTargetsTest, NothingBeforeTheInventories) {
  TelephonyState state;
  EXPECT_TRUE(Discover(state).empty());
}

TEST(MergeTlsTargetsTest, ConfigWinsAndGainsTrunkIds) {
  TlsProbeConfig config;
  TlsTargetConfig a;
  a.address = "sip.shared.example";
  a.server_name = "sni.shared.example";
  TlsTargetConfig bad;
  bad.address = "host:notaport";
  TlsTargetConfig c;
  c.address = "[2001:db8::1]:5062";
  config.targets = {a, bad, c};
  std::vector<TlsTarget> configured = ConfigTlsTargets(config);
  ASSERT_EQ(configured.size(), 2u);

  TlsTarget d1;
  d1.host = "sip.shared.example";
  d1.source = "trunk";
  d1.trunk_ids = {"t9", "t2"};
  TlsTarget d2;
  d2.host = "sip.other.example";
  d2.source = "trunk";
  d2.trunk_ids = {"t3"};
  std::vector<TlsTarget> merged = MergeTlsTargets(configured, {d1, d2});
  ASSERT_EQ(merged.size(), 3u);
  EXPECT_EQ(merged[0].key(), "[2001:db8::1]:5062");
  EXPECT_EQ(merged[0].source, "config");
  EXPECT_EQ(merged[1].key(), "sip.other.example:5061");
  EXPECT_EQ(merged[1].source, "trunk");
  EXPECT_EQ(merged[2].key(), "sip.shared.example:5061");
  EXPECT_EQ(merged[2].source, "config");
  EXPECT_EQ(merged[2].server_name, "sni.shared.example");
  EXPECT_EQ(merged[2].trunk_ids, (std::vector<std::string>{"t2", "t9"}));
}

}  // namespace
}  // namespace gx::tls
