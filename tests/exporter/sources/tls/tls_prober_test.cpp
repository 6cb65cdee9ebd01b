// The scheduler: discovery from the live state, results into TelephonyState,
// source health into HealthState, TriggerNow and a prompt Stop.
#include "exporter/sources/tls/tls_prober.h"

#include <gtest/gtest.h>

#include "tests/exporter/sources/tls/test_pki.h"
#include "tests/exporter/util/finishes_within.h"

namespace gx {
namespace {

using namespace gx::testpki;

constexpr UnixNanos kNow = 1780272000LL * kNanosPerSecond;  // 2026-06-01T00:00:00Z

class TlsProberTest : public ::testing::Test {
 protected:
  void SetUp() override {
    KeyPtr root_key = NewKey();
    root_ = MakeCert({"Prober Root", "01", "2026-01-01T00:00:00Z", "2036-01-01T00:00:00Z", true, {}, {}},
                     root_key.get());
    leaf_key_ = NewKey();
    leaf_ = MakeCert({"loopback", "0C", "2026-05-01T00:00:00Z", "2027-05-01T00:00:00Z", false, {}, {"127.0.0.1"}},
                     leaf_key_.get(), root_.get(), root_key.get());
    ca_file_ = dir_.Write("root.pem", Pem(root_.get()));
  }

  std::unique_ptr<TestServer> TlsServer() {
    TestServer::Options o;
    o.leaf = leaf_;
    o.key = leaf_key_;
    return std::make_unique<TestServer>(o);
  }

  static std::string Addr(int port) { return "127.0.0.1:" + std::to_string(port); }

  // One SIP-TLS carrier trunk per address (trunk ids t0, t1, ...).
  void SetTrunks(const std::vector<std::string>& addresses) {
    TrunkBase base;
    base.id = "base-tls";
    base.trunk_type = "EXTERNAL";
    base.protocol_variant = "tls";
    state_.ReplaceTrunkBases({base});
    std::vector<Trunk> trunks;
    for (size_t i = 0; i < addresses.size(); ++i) {
      Trunk t;
      t.id = "t" + std::to_string(i);
      t.trunk_type = "EXTERNAL";
      t.state = "active";
      t.trunk_base.id = base.id;
      t.proxy_address_list = {addresses[i]};
      trunks.push_back(t);
    }
    state_.ReplaceTrunks(trunks, kNow);
  }

  std::optional<TlsProbeResult> ResultOf(const std::string& key) {
    return state_.Read([&](const TelephonyData& d) -> std::optional<TlsProbeResult> {
      auto it = d.tls.find(key);
      if (it == d.tls.end()) return std::nullopt;
      return it->second.result;
    });
  }

  SourceHealth Health() {
    return health_.Read([](const HealthData& h) {
      auto it = h.sources.find("tls");
      return it == h.sources.end() ? SourceHealth{} : it->second;
    });
  }

  TempDir dir_;
  CertPtr root_, leaf_;
  KeyPtr leaf_key_;
  std::string ca_file_;
  TelephonyState state_;
  HealthState health_;
  ManualClock clock_{kNow};
};

TEST_F(TlsProberTest, CycleProbesDiscoveredAndConfiguredTargets) {
  auto server = TlsServer();
  const int refused = RefusedPort();
  SetTrunks({Addr(server->port()), Addr(refused)});
  TlsProbeConfig config;
  config.ca_file = ca_file_;
  config.timeout = Seconds(5);
  TlsTargetConfig configured;
  configured.address = Addr(server->port());  // also discovered: merged
  configured.timeout = Seconds(5);
  config.targets = {configured};

  TlsProber prober(config, state_, health_, clock_);
  prober.RunCycle();

  auto targets = state_.Read([](const TelephonyData& d) { return d.tls; });
  ASSERT_EQ(targets.size(), 2u);
  const TlsEntry& ok = targets.at(Addr(server->port()));
  EXPECT_EQ(ok.target.source, "config");
  EXPECT_EQ(ok.target.trunk_ids, std::vector<std::string>{"t0"});
  ASSERT_TRUE(ok.result.has_value());
  EXPECT_TRUE(ok.result->success) << ok.result->error << ok.result->verify_result;
  EXPECT_EQ(ok.result->probed_at, kNow);
  ASSERT_EQ(ok.result->chain.size(), 1u);
  EXPECT_EQ(ok.result->chain[0].serial, "0C");

  const TlsEntry& down = targets.at(Addr(refused));
  EXPECT_EQ(down.target.source, "trunk");
  EXPECT_EQ(down.target.trunk_ids, std::vector<std::string>{"t1"});
  ASSERT_TRUE(down.result.has_value());
  EXPECT_EQ(down.result->error, "connection refused");

  SourceHealth h = Health();
  EXPECT_TRUE(h.ran);
  EXPECT_TRUE(h.up);  // a target being down is the target's failure, not the source's
  EXPECT_EQ(h.last_success, kNow);
  EXPECT_EQ(h.last_cycle_requests, 2u);
  EXPECT_EQ(h.configured_interval_seconds, 300);
  EXPECT_EQ(prober.cycles(), 1u);
}

TEST_F(TlsProberTest, DiscoveryOffProbesOnlyConfiguredTargets) {
  auto server = TlsServer();
  SetTrunks({Addr(RefusedPort())});
  TlsProbeConfig config;
  config.discover = false;
  config.ca_file = ca_file_;
  TlsTargetConfig configured;
  configured.address = Addr(server->port());
  config.targets = {configured};
  TlsProber prober(config, state_, health_, clock_);
  prober.RunCycle();
  auto keys = state_.Read([](const TelephonyData& d) {
    std::vector<std::string> k;
    for (const auto& [key, e] : d.tls) k.push_back(key);
    return k;
  });
  EXPECT_EQ(keys, std::vector<std::string>{Addr(server->port())});
}

// Alerts may resolve a target missing from the list only once the list is whole.
TEST_F(TlsProberTest, TargetListIsCompleteOnlyOnceDiscoverySawTheTrunks) {
  TlsProbeConfig config;
  config.ca_file = ca_file_;
  TlsTargetConfig configured;
  configured.address = Addr(RefusedPort());
  config.targets = {configured};
  auto complete = [&] { return state_.Read([](const TelephonyData& d) { return d.tls_targets_complete; }); };
  TlsProber prober(config, state_, health_, clock_);
  prober.RunCycle();
  EXPECT_FALSE(complete()) << "no trunk inventory yet";
  SetTrunks({});  // loaded, and no SIP-TLS trunk: the same target list, now complete
  prober.RunCycle();
  EXPECT_TRUE(complete());

  TelephonyState other;
  config.discover = false;
  TlsProber configured_only(config, other, health_, clock_);
  configured_only.RunCycle();
  EXPECT_TRUE(other.Read([](const TelephonyData& d) { return d.tls_targets_complete; }));
}

TEST_F(TlsProberTest, UnreadableCaFileMarksTheSourceDown) {
  SetTrunks({Addr(RefusedPort())});
  TlsProbeConfig config;
  config.ca_file = (dir_.path() / "missing.pem").string();
  TlsProber prober(config, state_, health_, clock_);
  prober.RunCycle();
  SourceHealth h = Health();
  EXPECT_TRUE(h.ran);
  EXPECT_FALSE(h.up);
  EXPECT_EQ(h.last_error.rfind("1 of 1 targets could not be set up; first: ", 0), 0u) << h.last_error;
}

TEST_F(TlsProberTest, StartTriggerNowAndStop) {
  auto server = TlsServer();
  TlsProbeConfig config;
  config.ca_file = ca_file_;
  config.interval = Seconds(3600);
  TlsProber prober(config, state_, health_, clock_);
  prober.Start();
  ASSERT_TRUE(WaitFor([&] { return prober.cycles() >= 1; }));
  EXPECT_TRUE(state_.Read([](const TelephonyData& d) { return d.tls.empty(); }));

  // Trunks arrive after the first cycle: TriggerNow probes them without waiting for the interval.
  SetTrunks({Addr(server->port())});
  prober.TriggerNow();
  ASSERT_TRUE(WaitFor([&] { return ResultOf(Addr(server->port())).has_value(); }));
  EXPECT_TRUE(ResultOf(Addr(server->port()))->success);
  prober.Stop();
  prober.Stop();  // idempotent
}

TEST_F(TlsProberTest, StopCancelsHungProbes) {
  TestServer silent({TestServer::Mode::kSilent, nullptr, nullptr, {}, "", nullptr, nullptr});
  SetTrunks({Addr(silent.port())});
  TlsProbeConfig config;
  config.ca_file = ca_file_;
  config.timeout = Seconds(600);  // Stop must not wait for this
  TlsProber prober(config, state_, health_, clock_);
  prober.Start();
  ASSERT_TRUE(WaitFor([&] { return silent.accepted() >= 1; }));
  prober.Stop();
  // The cancelled probe leaves no fabricated result behind.
  EXPECT_FALSE(ResultOf(Addr(silent.port())).has_value());
}

// A SIP peer answering with a Content-Length that wrapped the old scanner's arithmetic to 0
// used to hang the prober for good: no more probing, and Stop (SIGTERM) never returned.
TEST_F(TlsProberTest, HostileSipPeerIsACountedFailureAndStopStillReturns) {
  TestServer::Options o;
  o.leaf = leaf_;
  o.key = leaf_key_;
  o.sip_response = "SIP/2.0 100 Trying\r\nContent-Length: 18446744073709551556\r\n\r\n";
  auto server = std::make_shared<TestServer>(o);
  TlsProbeConfig config;
  config.ca_file = ca_file_;
  config.sip_options = true;
  config.interval = Seconds(3600);
  TlsTargetConfig configured;
  configured.address = Addr(server->port());
  config.targets = {configured};
  auto prober = std::make_shared<TlsProber>(config, state_, health_, clock_);
  prober->Start();
  const bool probed = WaitFor([&] { return prober->cycles() >= 1; });
  const bool stopped = gx::testing::FinishesWithin([prober] { prober->Stop(); }, std::chrono::seconds(20));
  if (!stopped) (void)new std::shared_ptr<TlsProber>(prober);  // still running: never destroy it
  ASSERT_TRUE(stopped) << "TlsProber::Stop hung";
  ASSERT_TRUE(probed) << "the first cycle never finished";
  auto entry = state_.Read([&](const TelephonyData& d) { return d.tls.at(Addr(server->port())); });
  ASSERT_TRUE(entry.result.has_value());
  EXPECT_TRUE(entry.result->success);
  EXPECT_FALSE(entry.result->sip_options.status_code.has_value());
  EXPECT_EQ(entry.result->sip_options.failure, "limit");
  EXPECT_EQ(entry.sip_failures, (std::map<std::string, std::uint64_t>{{"limit", 1}}));
}

// A peer that trickles its answer keeps a probe in its SIP read; Stop must cancel it.
TEST_F(TlsProberTest, StopCancelsAProbeWaitingForSip) {
  TestServer::Options o;
  o.leaf = leaf_;
  o.key = leaf_key_;
  o.sip_peer = SipTrickle("SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", std::chrono::seconds(1));
  auto server = std::make_shared<TestServer>(o);
  TlsProbeConfig config;
  config.ca_file = ca_file_;
  config.sip_options = true;
  config.timeout = Seconds(600);  // Stop must not wait for this
  TlsTargetConfig configured;
  configured.address = Addr(server->port());
  configured.timeout = Seconds(600);
  config.targets = {configured};
  auto prober = std::make_shared<TlsProber>(config, state_, health_, clock_);
  prober->Start();
  ASSERT_TRUE(WaitFor([&] { return !server->sip_requests().empty(); }));
  const bool stopped = gx::testing::FinishesWithin([prober] { prober->Stop(); }, std::chrono::seconds(20));
  if (!stopped) (void)new std::shared_ptr<TlsProber>(prober);  // still running: never destroy it
  ASSERT_TRUE(stopped) << "TlsProber::Stop hung";
  // The cancelled probe leaves no fabricated result (or failure count) behind.
  auto entry = state_.Read([&](const TelephonyData& d) { return d.tls.at(Addr(server->port())); });
  EXPECT_FALSE(entry.result.has_value());
  EXPECT_TRUE(entry.sip_failures.empty());
}

TEST_F(TlsProberTest, BoundedConcurrencyStillProbesEveryTarget) {
  std::vector<std::unique_ptr<TestServer>> silent;
  std::vector<std::string> addresses;
  for (int i = 0; i < 6; ++i) {
    silent.push_back(std::make_unique<TestServer>(
        TestServer::Options{TestServer::Mode::kSilent, nullptr, nullptr, {}, "", nullptr, nullptr}));
    addresses.push_back(Addr(silent.back()->port()));
  }
  SetTrunks(addresses);
  TlsProbeConfig config;
  config.ca_file = ca_file_;
  config.timeout = Seconds(0.2);
  config.concurrency = 2;
  TlsProber prober(config, state_, health_, clock_);
  prober.RunCycle();
  for (const auto& a : addresses) {
    auto r = ResultOf(a);
    ASSERT_TRUE(r.has_value()) << a;
    EXPECT_EQ(r->error, "handshake timeout") << a;
  }
}

}  // namespace
}  // namespace gx
