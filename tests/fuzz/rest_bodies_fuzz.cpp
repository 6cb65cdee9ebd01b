// libFuzzer target: every Genesys REST body the exporter reads (listing pages,
// metrics arrays, a user's station, notification channels and subscriptions,
// exporter/sources/parse). Each input goes through every parser, and what parses
// is applied to a TelephonyState, as the pollers would.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "exporter/sources/parse/api_parsers.h"
#include "exporter/state/telephony_state.h"

namespace {

constexpr gx::UnixNanos kObservedAt = 1'778'400'000'000'000'000;

template <typename T, typename Parse>
std::vector<T> PageOrEmpty(std::string_view body, Parse parse) {
  gx::Page<T> page;
  if (!parse(body, page).ok()) return {};
  (void)page.info.last();
  return std::move(page.entities);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  gx::TelephonyState state;
  state.SetFollowedUsers({"user-1"});
  state.ReplacePhones(PageOrEmpty<gx::Phone>(body, gx::ParsePhonesPage), kObservedAt);
  state.ReplaceStations(PageOrEmpty<gx::Station>(body, gx::ParseStationsPage), kObservedAt);
  state.ReplaceTrunks(PageOrEmpty<gx::Trunk>(body, gx::ParseTrunksPage), kObservedAt);
  state.ReplaceTrunkBases(PageOrEmpty<gx::TrunkBase>(body, gx::ParseTrunkBasesPage));
  state.ReplaceEdges(PageOrEmpty<gx::Edge>(body, gx::ParseEdgesPage), kObservedAt);

  std::vector<gx::TrunkMetrics> trunk_metrics;
  if (gx::ParseTrunkMetricsArray(body, trunk_metrics).ok()) {
    for (const auto& m : trunk_metrics) state.ApplyTrunkMetrics(m, kObservedAt);
  }
  std::vector<gx::EdgeMetrics> edge_metrics;
  if (gx::ParseEdgeMetricsArray(body, edge_metrics).ok()) {
    for (const auto& m : edge_metrics) state.ApplyEdgeMetrics(m, kObservedAt);
  }
  gx::UserStation station;
  if (gx::ParseUserStation(body, "user-1", station).ok()) state.ApplyUserStation(station, kObservedAt);

  gx::Channel channel;
  (void)gx::ParseChannel(body, channel);
  std::vector<gx::TopicSubscription> subscriptions;
  (void)gx::ParseSubscriptions(body, subscriptions);

  // What the outputs derive from the state: the phone of each followed user.
  state.Read([](const gx::TelephonyData& d) { return d.PhonesOfUsers().size(); });
  return 0;
}
