// Freshness per entity kind: when the oldest datum the state holds was last reported. With a
// healthy push stream, pushed entities that do not change get no event, so their data ages
// until the next resync (collection.intervals.resync); polled entities age at most about one
// polling interval. The age is `time() - genesys_state_oldest_data_timestamp_seconds`.
#include <optional>

#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/family_builder.h"
#include "exporter/state/chunk_memo.h"

namespace gx {
namespace {

// The smallest positive time `at(entry)` over one table (entries never reported are skipped),
// kept per chunk: a change looks at its chunk again, then at one minimum per chunk.
template <typename V>
struct OldestOf {
  ChunkMemo<V, std::optional<UnixNanos>> memo;
  template <typename At>
  std::optional<UnixNanos> Of(const CowTable<V>& table, At at) {
    memo.Update(table, [&](typename ChunkMemo<V, std::optional<UnixNanos>>::Nodes nodes) {
      std::optional<UnixNanos> oldest;
      for (const auto& node : nodes) {
        const std::optional<UnixNanos> t = at(node->second);
        if (t && *t > 0 && (!oldest || *t < *oldest)) oldest = t;
      }
      return oldest;
    });
    std::optional<UnixNanos> oldest;
    for (const auto& e : memo.entries()) {
      if (e.summary && (!oldest || *e.summary < *oldest)) oldest = e.summary;
    }
    return oldest;
  }
};

struct FreshnessCache {
  OldestOf<PhoneEntry> phones;
  OldestOf<StationEntry> stations;
  OldestOf<TrunkEntry> trunks;
  OldestOf<TrunkMetricsEntry> trunk_metrics;
  OldestOf<EdgeEntry> edges;
  OldestOf<EdgeMetricsEntry> edge_metrics;
};

}  // namespace

void CollectFreshness(const CollectInput& in, std::shared_ptr<void>& cache_ptr, MetricFamilies& out) {
  const TelephonyData& t = in.telephony;
  if (!cache_ptr) cache_ptr = std::make_shared<FreshnessCache>();
  auto& cache = *static_cast<FreshnessCache*>(cache_ptr.get());
  auto oldest = Gauge("genesys_state_oldest_data_timestamp_seconds",
                      "When the least recently reported entity of this kind was last reported (polled or pushed); "
                      "for trunk and edge metrics, the eventTime of the oldest metrics held. Absent while the state "
                      "holds none.");
  auto seen = [](const auto& entry) -> std::optional<UnixNanos> { return entry.fresh.last_seen; };
  auto add = [&](const char* kind, std::optional<UnixNanos> at) {
    if (at) oldest.Add({{"kind", kind}}, ToSeconds(*at));
  };
  add("phones", cache.phones.Of(t.phones, seen));
  add("stations", cache.stations.Of(t.stations, seen));
  add("trunks", cache.trunks.Of(t.trunks, seen));
  add("trunk_metrics", cache.trunk_metrics.Of(t.trunk_metrics, [](const TrunkMetrics& m) { return m.event_time; }));
  add("edges", cache.edges.Of(t.edges, seen));
  add("edge_metrics", cache.edge_metrics.Of(t.edge_metrics, [](const EdgeMetrics& m) { return m.event_time; }));
  oldest.MoveTo(out);
}

}  // namespace gx
