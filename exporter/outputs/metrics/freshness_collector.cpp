// Freshness per entity kind: when the oldest datum the state holds was last reported. With a
// healthy push stream, pushed entities that do not change get no event, so their data ages
// until the next resync (collection.intervals.resync); polled entities age at most about one
// polling interval. The age is `time() - genesys_state_oldest_data_timestamp_seconds`.
#include <optional>

#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/family_builder.h"

namespace gx {
namespace {

// The smallest positive time `at(entry)` over `table` (entries never reported are skipped).
template <typename Table, typename At>
std::optional<UnixNanos> Oldest(const Table& table, At at) {
  std::optional<UnixNanos> oldest;
  for (const auto& [id, entry] : table) {
    const std::optional<UnixNanos> t = at(entry);
    if (t && *t > 0 && (!oldest || *t < *oldest)) oldest = t;
  }
  return oldest;
}

}  // namespace

void CollectFreshness(const CollectInput& in, MetricFamilies& out) {
  const TelephonyData& t = in.telephony;
  auto oldest = Gauge("genesys_state_oldest_data_timestamp_seconds",
                      "When the least recently reported entity of this kind was last reported (polled or pushed); "
                      "for trunk and edge metrics, the eventTime of the oldest metrics held. Absent while the state "
                      "holds none.");
  auto seen = [](const auto& entry) -> std::optional<UnixNanos> { return entry.fresh.last_seen; };
  auto add = [&](const char* kind, std::optional<UnixNanos> at) {
    if (at) oldest.Add({{"kind", kind}}, ToSeconds(*at));
  };
  add("phones", Oldest(t.phones, seen));
  add("stations", Oldest(t.stations, seen));
  add("trunks", Oldest(t.trunks, seen));
  add("trunk_metrics", Oldest(t.trunk_metrics, [](const TrunkMetrics& m) { return m.event_time; }));
  add("edges", Oldest(t.edges, seen));
  add("edge_metrics", Oldest(t.edge_metrics, [](const EdgeMetrics& m) { return m.event_time; }));
  oldest.MoveTo(out);
}

}  // namespace gx
