// The /metrics renderer: what it serves is what the collectors write, and the text it keeps
// between scrapes never outlives a change of the state or the options, plain or gzip.
#include "exporter/outputs/http/metrics_renderer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <locale>
#include <iterator>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include "exporter/state/self_metrics.h"
#include "exporter/util/time_math.h"
#include "tests/exporter/outputs/metrics/exposition_samples.h"
#include "tests/exporter/outputs/metrics/scenario.h"
#include "tests/exporter/outputs/http/gunzip.h"

namespace gx {
namespace {

using testing::Gunzip;

// A German-style numpunct that needs no installed system locale.
struct CommaPunct : std::numpunct<char> {
  char do_decimal_point() const override { return ','; }
  char do_thousands_sep() const override { return '.'; }
  std::string do_grouping() const override { return "\3"; }
};

// The collectors' part: the process collector's figures (it is last) and the framework's own
// families (timings) differ per scrape.
std::string CollectorsPart(const std::string& text) {
  return text.substr(
      0, std::min(text.find("# HELP process_cpu_seconds_total"), text.find("# HELP genesys_scrape_collector_duration_seconds")));
}

class MetricsRendererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::BuildScenario(state_);
    testing::BuildHealth(health_);
    options_.per_phone = true;
  }
  std::string Expected() {
    return state_.Read([&](const TelephonyData& t) {
      return health_.Read([&](const HealthData& h) { return WriteAllCollectors(CollectInput{t, h, options_}); });
    });
  }
  // A phone with a status, so with a series.
  std::string PhoneWithStatus(size_t skip = 0) {
    return state_.Read([&](const TelephonyData& t) {
      for (const auto& [id, e] : t.phones) {
        if (e.phone.status && skip-- == 0) return id;
      }
      return std::string();
    });
  }
  std::optional<double> Registered(const std::string& text, const std::string& phone_id) {
    return testing::Value(testing::ParseSamples(text), "genesys_phone_registered", {{"phone_id", phone_id}});
  }
  TelephonyState state_;
  HealthState health_;
  CollectorOptions options_;
};

TEST_F(MetricsRendererTest, ServesWhatTheCollectorsWriteThenTheFrameworksFamilies) {
  MetricsRenderer renderer(state_, health_, options_);
  const EncodedBody encoded = renderer.Render(false);
  EXPECT_FALSE(encoded.gzip);
  const std::string body = encoded.Joined();
  EXPECT_EQ(CollectorsPart(body), Expected());
  EXPECT_NE(body.find("genesys_scrape_collector_success{collector=\"phone_series\"} 1\n"), std::string::npos);
  EXPECT_NE(body.find("genesys_scrape_collector_success{collector=\"process\"} 1\n"), std::string::npos);
  EXPECT_NE(body.find("genesys_scrape_collector_duration_seconds{collector=\"trunks\"} "), std::string::npos);
  EXPECT_NE(body.find("\nprocess_resident_memory_bytes "), std::string::npos);
  EXPECT_EQ(CollectorsPart(renderer.Render(false).Joined()), Expected()) << "the kept text, unchanged state";
}

TEST_F(MetricsRendererTest, AStateChangeIsServedAtTheNextScrape) {
  MetricsRenderer renderer(state_, health_, options_);
  const std::string phone = PhoneWithStatus();
  const auto before = Registered(renderer.Render(false).Joined(), phone);
  ASSERT_TRUE(before.has_value());
  renderer.Render(true);  // the gzip copy is kept too

  // Flip the phone's registration the way a push does.
  PhoneStatusUpdate update;
  update.phone_id = phone;
  update.status = state_.Read([&](const TelephonyData& t) { return t.phones.at(phone).phone.status; });
  ASSERT_TRUE(update.status.has_value());
  update.status->lines = {LineStatus{"l", *before == 0}};
  update.status->event_creation_time = std::optional<UnixNanos>(kMaxNanos / 2);
  ASSERT_TRUE(state_.ApplyPhoneStatus(update, kMaxNanos / 2));

  const std::string plain = renderer.Render(false).Joined();
  EXPECT_EQ(Registered(plain, phone), *before == 0 ? 1 : 0);
  EXPECT_EQ(CollectorsPart(plain), Expected());
  const EncodedBody gz = renderer.Render(true);
  EXPECT_TRUE(gz.gzip);
  EXPECT_EQ(CollectorsPart(Gunzip(gz.Joined())), Expected());
}

TEST_F(MetricsRendererTest, RenamedAddedAndRemovedPhonesReplaceTheKeptLabels) {
  MetricsRenderer renderer(state_, health_, options_);
  std::vector<Phone> phones = state_.Read([](const TelephonyData& t) {
    std::vector<Phone> out;
    for (const auto& [id, e] : t.phones) out.push_back(e.phone);
    return out;
  });
  const std::string removed = PhoneWithStatus(), renamed = PhoneWithStatus(1);
  ASSERT_FALSE(renamed.empty());
  const std::string before = renderer.Render(false).Joined();
  ASSERT_TRUE(Registered(before, removed).has_value());
  std::erase_if(phones, [&](const Phone& p) { return p.id == removed; });
  for (Phone& p : phones) {
    if (p.id != renamed) continue;
    p.name = "Renamed \"desk\"\\1";
    Phone added = p;
    added.id = "zz-new-phone";
    phones.push_back(added);
    break;
  }
  state_.ReplacePhones(phones, kMaxNanos / 2);

  const std::string text = renderer.Render(false).Joined();
  EXPECT_EQ(CollectorsPart(text), Expected());
  EXPECT_FALSE(Registered(text, removed).has_value());
  EXPECT_TRUE(Registered(text, "zz-new-phone").has_value());
  EXPECT_NE(text.find("phone_name=\"Renamed \\\"desk\\\"\\\\1\""), std::string::npos) << "escaped once, correctly";
}

TEST_F(MetricsRendererTest, NewOptionsApplyAtTheNextScrape) {
  MetricsRenderer renderer(state_, health_, options_);
  const std::string phone = PhoneWithStatus();
  ASSERT_TRUE(Registered(renderer.Render(false).Joined(), phone).has_value());
  options_.per_phone = false;
  renderer.SetOptions(options_);
  const std::string text = renderer.Render(false).Joined();
  EXPECT_EQ(CollectorsPart(text), Expected());
}

TEST_F(MetricsRendererTest, AResponseStillBeingSentKeepsItsText) {
  MetricsRenderer renderer(state_, health_, options_);
  const EncodedBody first = renderer.Render(false);
  const std::string sent = first.Joined();
  state_.ReplacePhones({}, kMaxNanos / 2);  // the phone collectors render again
  const std::string next = renderer.Render(false).Joined();
  EXPECT_NE(CollectorsPart(next), CollectorsPart(sent));
  EXPECT_EQ(first.Joined(), sent) << "the parts shared with the first response were not rendered over";
}

// An org of `n` phones over a few sites, enough for many chunks of the phones table.
std::vector<Phone> ManyPhones(int n, int salt = 0) {
  std::vector<Phone> phones;
  const std::vector<std::string> statuses = {"OPERATIONAL", "DEGRADED", "OFFLINE", "NEW_STATUS"};
  for (int i = 0; i < n; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "m%05d", i);
    const int v = (i * 7 + salt) % 13;
    const EntityRef site{"site-" + std::to_string(v % 4), v % 5 == 0 ? "" : "Site " + std::to_string(v % 4)};
    phones.push_back(testing::MakePhone(id, "Phone " + std::to_string(i), site, statuses[v % statuses.size()],
                                        {testing::Line(std::string(id) + "-a", v % 3 != 0)}, testing::kT0));
  }
  return phones;
}

// The pieces of a plain body that hold phone series.
std::set<const std::string*> PhonePieces(const EncodedBody& body) {
  std::set<const std::string*> out;
  for (const auto& p : body.parts) {
    if (p->find("\ngenesys_phone_registered{") != std::string::npos ||
        p->rfind("genesys_phone_registered{", 0) == 0) {
      out.insert(p.get());
    }
  }
  return out;
}

// A change renders again only the collectors that read the changed table, and of the phone
// series only the chunk that holds the changed phone; the rest is shared as it was.
TEST_F(MetricsRendererTest, AChangeRendersOnlyWhatReadsTheChangedChunk) {
  state_.ReplacePhones(ManyPhones(3000), testing::kT0 + 120 * kNanosPerSecond);
  MetricsRenderer renderer(state_, health_, options_);
  const EncodedBody first = renderer.Render(false);
  const auto before = PhonePieces(first);
  ASSERT_GT(before.size(), 10u);

  // A trunk change: no phone collector renders again.
  const std::string trunk = state_.Read([](const TelephonyData& t) { return t.trunks.begin()->first; });
  TrunkStatusUpdate down;
  down.trunk_id = trunk;
  down.connected = false;
  down.connected_state_time = testing::kT0 + 200 * kNanosPerSecond;
  ASSERT_TRUE(state_.ApplyTrunkStatus(down, testing::kT0 + 200 * kNanosPerSecond));
  const EncodedBody second = renderer.Render(false);
  EXPECT_EQ(PhonePieces(second), before);
  EXPECT_EQ(CollectorsPart(second.Joined()), Expected());

  // A pushed phone change: one chunk of phone series is new, the others are the same pieces.
  PhoneStatusUpdate update;
  update.phone_id = "m01500";
  update.status = state_.Read([&](const TelephonyData& t) { return t.phones.at("m01500").phone.status; });
  ASSERT_TRUE(update.status.has_value());
  update.status->lines[0].reachable = !update.status->lines[0].reachable;
  update.status->event_creation_time = testing::kT0 + 300 * kNanosPerSecond;
  ASSERT_TRUE(state_.ApplyPhoneStatus(update, testing::kT0 + 300 * kNanosPerSecond));
  const EncodedBody third = renderer.Render(false);
  const auto after = PhonePieces(third);
  std::vector<const std::string*> fresh;
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(fresh));
  EXPECT_EQ(fresh.size(), 1u);
  EXPECT_EQ(after.size(), before.size());
  EXPECT_EQ(CollectorsPart(third.Joined()), Expected());
  EXPECT_EQ(CollectorsPart(Gunzip(renderer.Render(true).Joined())), Expected());
}

// Whatever the changes, the text kept and updated chunk by chunk is the text a fresh render
// writes: site totals moved by difference, statuses and sites that empty out, phones that come
// and go, plain and gzip.
TEST_F(MetricsRendererTest, KeptTextEqualsAFreshRenderThroughChanges) {
  for (bool per_phone : {true, false}) {
    options_.per_phone = per_phone;
    MetricsRenderer renderer(state_, health_, options_);
    std::vector<Phone> phones = ManyPhones(2500);
    state_.ReplacePhones(phones, testing::kT0 + 120 * kNanosPerSecond);
    std::mt19937 rng(5);
    for (int step = 0; step < 40; ++step) {
      const UnixNanos at = testing::kT0 + (200 + step) * kNanosPerSecond;
      if (step % 10 == 9) {
        phones = ManyPhones(2000 + static_cast<int>(rng() % 1000), step);  // a poll: sites and statuses move
        state_.ReplacePhones(phones, at);
      } else {
        PhoneStatusUpdate u;
        u.phone_id = phones[rng() % phones.size()].id;
        u.status = state_.Read([&](const TelephonyData& t) { return t.phones.at(u.phone_id).phone.status; });
        u.status->lines[0].reachable = !u.status->lines[0].reachable;
        u.status->operational_status = step % 2 ? "OFFLINE" : "RARE_STATUS";
        u.status->event_creation_time = at;
        ASSERT_TRUE(state_.ApplyPhoneStatus(u, at));
      }
      const bool gzip = step % 3 == 0;
      const EncodedBody body = renderer.Render(gzip);
      ASSERT_EQ(CollectorsPart(gzip ? Gunzip(body.Joined()) : body.Joined()), Expected())
          << "step " << step << (per_phone ? " per phone" : " aggregated");
    }
  }
}

// The self-instrumentation is a prometheus-cpp registry appended to the text; its numbers
// ignore the process locale like the rest.
TEST_F(MetricsRendererTest, ScrapeDurationHistogramFromTheRegistry) {
  MetricsRenderer renderer(state_, health_, options_);
  renderer.Render(false);
  renderer.Render(true);
  std::locale::global(std::locale(std::locale::classic(), new CommaPunct));
  const std::string text = renderer.Render(false).Joined();
  std::locale::global(std::locale::classic());
  EXPECT_NE(text.find("# TYPE genesys_scrape_duration_seconds histogram\n"), std::string::npos) << text;
  EXPECT_NE(text.find("genesys_scrape_duration_seconds_count{encoding=\"identity\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("genesys_scrape_duration_seconds_count{encoding=\"gzip\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("genesys_scrape_duration_seconds_bucket{encoding=\"gzip\",le=\"0.0005\"}"), std::string::npos);
  EXPECT_EQ(text.find("le=\"0,0005\""), std::string::npos);
}

TEST_F(MetricsRendererTest, GzipIsThePlainTextCompressed) {
  MetricsRenderer renderer(state_, health_, options_);
  for (int i = 0; i < 2; ++i) {  // first compressed, then kept
    const EncodedBody body = renderer.Render(true);
    EXPECT_TRUE(body.gzip);
    const std::string text = Gunzip(body.Joined());
    EXPECT_EQ(CollectorsPart(text), Expected());
    EXPECT_NE(text.find("\nprocess_resident_memory_bytes "), std::string::npos);
  }
}

// An unchanged gzip scrape sends the deflated pieces it kept, the same objects, not a copy:
// one per kept text piece (after the gzip header); the health collectors' are new each scrape.
TEST_F(MetricsRendererTest, AnUnchangedGzipScrapeSendsTheKeptDeflatedPieces) {
  state_.ReplacePhones(ManyPhones(3000), testing::kT0 + 120 * kNanosPerSecond);
  MetricsRenderer renderer(state_, health_, options_);
  const EncodedBody plain = renderer.Render(false), plain_again = renderer.Render(false);
  const EncodedBody first = renderer.Render(true), second = renderer.Render(true);
  EXPECT_TRUE(second.gzip);
  EXPECT_TRUE(second.text.empty());
  // gzip: the header, a piece per text piece but the plain tail, the deflated tail, the trailer.
  ASSERT_EQ(first.parts.size(), plain.parts.size() + 2);
  ASSERT_EQ(second.parts.size(), first.parts.size());
  std::size_t kept = 0;
  for (std::size_t i = 0; i + 1 < plain.parts.size(); ++i) {
    if (plain.parts[i] != plain_again.parts[i]) continue;  // rendered again
    ++kept;
    EXPECT_EQ(second.parts[i + 1].get(), first.parts[i + 1].get()) << "piece " << i;
  }
  EXPECT_GT(kept, 10u);
  EXPECT_EQ(CollectorsPart(Gunzip(second.Joined())), Expected());
}

// "name type" for every family on /metrics (its # TYPE lines).
std::map<std::string, std::string> FamiliesOf(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# TYPE ", 0) != 0) continue;
    std::istringstream fields(line.substr(7));
    std::string name, type;
    fields >> name >> type;
    out[name] = type;
  }
  return out;
}

std::string ReadSource(const std::string& path) {
  std::ifstream in(std::string(GX_SOURCE_DIR) + "/" + path);
  EXPECT_TRUE(in) << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The family set on /metrics is the contract's (dashboards/contract-metrics.txt, vendored from
// the metric contract) plus the extras docs/metrics.md documents, no more and no less: every
// contract family is served with its type, and nothing is served that neither names.
TEST_F(MetricsRendererTest, FamilySetIsTheContractPlusTheDocumentedExtras) {
  // Every source on: a TLS target probed, the notification listener run, alerts and a receiver.
  TlsTarget target;
  target.host = "sip.example";
  target.port = 5061;
  target.source = "config";
  state_.ReplaceTlsTargets({target}, true);
  TlsProbeResult probe;
  probe.target = "sip.example:5061";
  probe.success = probe.connected = probe.handshake_ok = probe.chain_verified = probe.hostname_verified = true;
  probe.probed_at = 1780272000 * kNanosPerSecond;
  CertificateFacts cert;
  cert.serial = "0A";
  cert.not_before = 1777593600 * kNanosPerSecond;
  cert.not_after = 1809129600 * kNanosPerSecond;
  probe.chain = {cert};
  probe.verified_chain_earliest_expiry = cert.not_after;
  state_.ApplyTlsResult(probe);
  health_.RecordSourceRun("notifications", Status::Ok(), 1780272000 * kNanosPerSecond, 0.1, 0);
  health_.Update([](HealthData& h) {
    h.notifications.last_message = 1780272000 * kNanosPerSecond;
    h.alerts_firing[{"edge_offline", "critical"}] = 1;
  });
  health_.self_metrics().AddWebhookReceiver("ops");
  health_.self_metrics().AddApplyQueue();  // the push applier's
  MetricsRenderer renderer(state_, health_, options_);
  const std::string text = renderer.Render(false).Joined();
  testing::ExpectPromtoolClean(text);
  const auto served = FamiliesOf(text);

  std::map<std::string, std::string> contract;
  std::istringstream list(ReadSource("dashboards/contract-metrics.txt"));
  for (std::string line; std::getline(list, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string name, type;
    fields >> name >> type;
    contract[name] = type;
  }
  ASSERT_GT(contract.size(), 40u);
  for (const auto& [name, type] : contract) {
    auto it = served.find(name);
    if (it == served.end()) {
      ADD_FAILURE() << "contract family " << name << " is not on /metrics";
    } else {
      EXPECT_EQ(it->second, type) << name;
    }
  }

  // Names in the first column of docs/metrics.md's tables.
  std::set<std::string> documented;
  const std::string doc = ReadSource("docs/metrics.md");
  const std::regex row(R"(^\|([^|]*)\|)");
  const std::regex name(R"(`((?:genesys|process)_[a-z0-9_]*)`)");
  std::istringstream lines(doc);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, row)) continue;
    const std::string first = m[1];
    for (auto it = std::sregex_iterator(first.begin(), first.end(), name); it != std::sregex_iterator(); ++it) {
      documented.insert((*it)[1]);
    }
  }
  for (const auto& [family, type] : served) {
    EXPECT_TRUE(contract.contains(family) || documented.contains(family))
        << family << " is on /metrics but neither in the contract nor in docs/metrics.md";
  }
}

}  // namespace
}  // namespace gx
