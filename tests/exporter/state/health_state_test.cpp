// The staleness rule of HealthState: how old a source's last success may get, and when
// nothing counts as polled any more.
#include "exporter/state/health_state.h"

#include <gtest/gtest.h>

#include "exporter/util/time_math.h"

namespace gx {
namespace {

constexpr UnixNanos kT0 = 1'800'000'000 * kNanosPerSecond;
constexpr UnixNanos kSec = kNanosPerSecond;

SourceHealth Every(double interval_s, std::optional<UnixNanos> last_success) {
  SourceHealth c;
  c.configured_interval_seconds = interval_s;
  c.last_success = last_success;
  return c;
}

TEST(HealthStaleness, ThreeIntervalsOfTheEffectiveInterval) {
  SourceHealth c = Every(30, kT0);
  EXPECT_EQ(StalenessBound(c), 90 * kSec);
  EXPECT_TRUE(SucceededWithinBound(c, kT0 + 90 * kSec));
  EXPECT_FALSE(SucceededWithinBound(c, kT0 + 91 * kSec));
  c.interval_seconds = 45;  // stretched
  EXPECT_EQ(StalenessBound(c), 135 * kSec);
  EXPECT_EQ(StalenessBound(c, 2), 90 * kSec);
  EXPECT_FALSE(SucceededWithinBound(Every(30, std::nullopt), kT0));  // never succeeded
  EXPECT_TRUE(SucceededWithinBound(Every(0, kT0), kMaxNanos));       // no interval known
  EXPECT_TRUE(SucceededWithinBound(Every(30, kMinNanos), kMinNanos));
  EXPECT_FALSE(SucceededWithinBound(Every(30, kMinNanos), kMaxNanos));  // saturates, no overflow
}

TEST(HealthStaleness, MarkedStaleUntilTheNextSuccess) {
  HealthState health;
  health.Update([](HealthData& d) { d.sources["edges"].configured_interval_seconds = 60; });
  health.RecordSourceRun("edges", Status::Ok(), kT0, 1, 1);
  health.RecordApiRequest("/api/v2/telephony/providers/edges", "200", 1, kT0 + 100 * kSec);
  StaleMarks marks = health.MarkStaleSources({"edges"}, kT0, kT0 + 181 * kSec);
  EXPECT_EQ(marks.newly_stale, std::vector<std::string>{"edges"});
  EXPECT_FALSE(marks.nothing_polled);
  EXPECT_TRUE(health.MarkStaleSources({"edges"}, kT0, kT0 + 182 * kSec).newly_stale.empty());  // once
  auto edges = [&] { return health.Read([](const HealthData& d) { return d.sources.at("edges"); }); };
  EXPECT_FALSE(edges().up);
  EXPECT_TRUE(edges().stale);
  // A failed run keeps it stale; a successful one clears it.
  health.RecordSourceRun("edges", Status::Error("HTTP 503"), kT0 + 190 * kSec, 1, 1);
  EXPECT_TRUE(edges().stale);
  EXPECT_EQ(edges().last_error, "HTTP 503");
  health.RecordSourceRun("edges", Status::Ok(), kT0 + 200 * kSec, 1, 1);
  EXPECT_TRUE(edges().up);
  EXPECT_FALSE(edges().stale);
}

TEST(HealthStaleness, NothingPolledSetsGenesysDown) {
  HealthState health;
  health.Update([](HealthData& d) {
    d.genesys_up = true;
    d.sources["trunks"].configured_interval_seconds = 30;
    d.sources["stations"].configured_interval_seconds = 300;
  });
  health.RecordApiRequest("/api/v2/stations", "429", 1, kT0);
  health.RecordApiRequest("/api/v2/stations", "200", 1, kT0 - 50 * kSec);  // finished out of order
  EXPECT_EQ(health.Read([](const HealthData& d) { return d.last_api_request; }), kT0);
  // The shortest bound (trunks: 90 s) counts, from the last request whatever its answer.
  EXPECT_FALSE(health.MarkStaleSources({"trunks", "stations"}, kT0 - kSec, kT0 + 90 * kSec).nothing_polled);
  EXPECT_EQ(health.Read([](const HealthData& d) { return d.genesys_up; }), true);
  EXPECT_TRUE(health.MarkStaleSources({"trunks", "stations"}, kT0 - kSec, kT0 + 91 * kSec).nothing_polled);
  EXPECT_EQ(health.Read([](const HealthData& d) { return d.genesys_up; }), false);
}

}  // namespace
}  // namespace gx
