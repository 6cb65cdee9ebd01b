// libFuzzer target: every Genesys REST body the exporter reads (listing pages,
// metrics arrays, a user's station, notification channels and subscriptions,
// exporter/genesys/parse). Each input goes through every parser, and what parses
// is applied to a TelephonyState, as the pollers would; a channel's expiry goes
// through the listener's rollover planning (exporter/sources/notifications/
// channel_expiry). Oracle: a rollover is never planned sooner than min_interval
// after the channel was created, nor later than 48 h.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "exporter/sources/notifications/channel_expiry.h"
#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/state/telephony_state.h"

namespace {

constexpr gx::UnixNanos kObservedAt = 1'778'400'000'000'000'000;

template <typename T, typename Parse>
bool ParsePage(std::string_view body, Parse parse, std::vector<T>& out) {
  gx::Page<T> page;
  if (!parse(body, page).ok()) return false;
  (void)page.info.last();
  out = std::move(page.entities);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  std::vector<gx::Phone> phones;
  std::vector<gx::Station> stations;
  std::vector<gx::Trunk> trunks;
  std::vector<gx::TrunkBase> bases;
  std::vector<gx::Edge> edges;
  std::vector<gx::TrunkMetrics> trunk_metrics;
  std::vector<gx::EdgeMetrics> edge_metrics;
  gx::UserStation station;
  bool any = ParsePage(body, gx::ParsePhonesPage, phones);
  any |= ParsePage(body, gx::ParseStationsPage, stations);
  any |= ParsePage(body, gx::ParseTrunksPage, trunks);
  any |= ParsePage(body, gx::ParseTrunkBasesPage, bases);
  any |= ParsePage(body, gx::ParseEdgesPage, edges);
  any |= gx::ParseTrunkMetricsArray(body, trunk_metrics).ok();
  any |= gx::ParseEdgeMetricsArray(body, edge_metrics).ok();
  const bool has_station = gx::ParseUserStation(body, "user-1", station).ok();
  gx::Channel channel;
  if (gx::ParseChannel(body, channel).ok()) {
    const gx::RolloverPolicy policy{600 * gx::kNanosPerSecond, 60 * gx::kNanosPerSecond};
    const auto plan = gx::PlanRollover(channel.expires, kObservedAt, policy);
    if (plan.rollover_at < kObservedAt + policy.min_interval ||
        plan.rollover_at > kObservedAt + gx::kMaxBelievedChannelLifetime) {
      std::abort();
    }
  }
  std::vector<gx::TopicSubscription> subscriptions;
  (void)gx::ParseSubscriptions(body, subscriptions);
  if (!any && !has_station) return 0;  // nothing for the state (most mutations): skip building one

  gx::TelephonyState state;
  state.SetFollowedUsers({"user-1"});
  state.ReplacePhones(std::move(phones), kObservedAt);
  state.ReplaceStations(std::move(stations), kObservedAt);
  state.ReplaceTrunks(std::move(trunks), kObservedAt);
  state.ReplaceTrunkBases(std::move(bases));
  state.ReplaceEdges(std::move(edges), kObservedAt);
  for (const auto& m : trunk_metrics) state.ApplyTrunkMetrics(m, kObservedAt);
  for (const auto& m : edge_metrics) state.ApplyEdgeMetrics(m, kObservedAt);
  if (has_station) state.ApplyUserStation(station, kObservedAt);
  // What the outputs derive from the state: the phone of each followed user.
  state.Read([](const gx::TelephonyData& d) { return d.PhonesOfUsers().size(); });
  return 0;
}
