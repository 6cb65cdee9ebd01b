#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/family_builder.h"
#include "exporter/state/chunk_memo.h"

namespace gx {
namespace {

constexpr const char* kTopicKinds[] = {"phone",   "trunk",   "trunk_metrics", "edge",  "edge_metrics",
                                       "station", "system", "heartbeat",     "other"};
constexpr const char* kReasons[] = {"heartbeat_timeout", "socket_closing", "channel_expiry", "token_refresh",
                                    "error"};

// Pushed entities of one table, counted chunk by chunk: a change recounts its chunk only.
template <typename V>
struct PushedCount {
  ChunkMemo<V, int> memo;
  int pushed = 0;
  // {pushed, polled} of `table`.
  std::pair<int, int> Of(const CowTable<V>& table) {
    memo.Update(
        table,
        [](typename ChunkMemo<V, int>::Nodes nodes) {
          int n = 0;
          for (const auto& node : nodes) n += node->second.pushed ? 1 : 0;
          return n;
        },
        [&](int n) { pushed += n; }, [&](int n) { pushed -= n; });
    return {pushed, static_cast<int>(table.size()) - pushed};
  }
};

struct PushCoverageCache {
  PushedCount<PhoneEntry> phones;
  PushedCount<TrunkEntry> trunks;
  PushedCount<EdgeEntry> edges;
};

}  // namespace

// Nothing is exported until the listener has run once (it is off, or not started yet).
bool NotificationsRan(const HealthData& health) { return health.sources.contains("notifications"); }

// The notification stream's health.
void CollectNotifications(const CollectInput& in, MetricFamilies& out) {
  const NotificationHealth& n = in.health.notifications;

  Gauge("genesys_notifications_connected",
        "1 when every notification channel's WebSocket is open and its heartbeats are fresh.")
      .Add({}, n.connected ? 1 : 0)
      .MoveTo(out);
  Gauge("genesys_notifications_channels", "Notification channels with an open WebSocket.")
      .Add({}, n.channels)
      .MoveTo(out);
  Gauge("genesys_notifications_subscribed_topics", "Topics subscribed (and permitted) on open channels.")
      .Add({}, n.subscribed_topics)
      .MoveTo(out);

  auto events = Counter("genesys_notifications_events_total",
                        "Notification frames received, by topic kind (heartbeats and pongs count as heartbeat).");
  for (const char* kind : kTopicKinds) {
    auto it = n.events_by_kind.find(kind);
    events.Add({{"topic_kind", kind}}, it == n.events_by_kind.end() ? 0 : static_cast<double>(it->second));
  }
  for (const auto& [kind, count] : n.events_by_kind) {
    bool known = false;
    for (const char* k : kTopicKinds) known = known || kind == k;
    if (!known) events.Add({{"topic_kind", kind}}, static_cast<double>(count));
  }
  events.MoveTo(out);

  Counter("genesys_notifications_malformed_messages_total",
          "Frames that could not be parsed, or exceeded the frame size limit, and were skipped.")
      .Add({}, static_cast<double>(n.malformed))
      .MoveTo(out);
  if (n.last_message) {
    Gauge("genesys_notifications_last_message_timestamp_seconds",
          "When the last frame (a heartbeat included) arrived.")
        .Add({}, ToSeconds(*n.last_message))
        .MoveTo(out);
  }
  auto reconnects = Counter("genesys_notifications_reconnects_total",
                            "Channel reconnects and make-before-break rollovers, by reason.");
  for (const char* reason : kReasons) {
    auto it = n.reconnects_by_reason.find(reason);
    reconnects.Add({{"reason", reason}},
                   it == n.reconnects_by_reason.end() ? 0 : static_cast<double>(it->second));
  }
  reconnects.MoveTo(out);

  // Extras: what the listener skipped.
  Gauge("genesys_notifications_rejected_topics",
        "Topics the service rejected (missing permissions); their entities are polled.")
      .Add({}, static_cast<double>(n.rejected_topics.size()))
      .MoveTo(out);
  Counter("genesys_notifications_unknown_topic_messages_total", "Frames for topics the listener does not route.")
      .Add({}, static_cast<double>(n.unknown_topics))
      .MoveTo(out);
  Counter("genesys_notifications_stale_events_total",
          "Pushed events dropped because the state held newer data or did not know the entity.")
      .Add({}, static_cast<double>(n.stale_events))
      .MoveTo(out);
  Counter("genesys_notifications_resyncs_total", "REST resyncs requested after a gap in the stream.")
      .Add({}, static_cast<double>(n.resyncs))
      .MoveTo(out);
  // The push applier's queue and apply delay are counted as they happen, in SelfMetrics.
}

// What push covers: counts over every entity, so it reads the telephony data only; its text is
// kept while those tables are unchanged, and the counts are kept per table chunk.
void CollectPushCoverage(const CollectInput& in, std::shared_ptr<void>& cache_ptr, MetricFamilies& out) {
  if (!cache_ptr) cache_ptr = std::make_shared<PushCoverageCache>();
  auto& cache = *static_cast<PushCoverageCache*>(cache_ptr.get());
  const auto [phones_pushed, phones_polled] = cache.phones.Of(in.telephony.phones);
  const auto [trunks_pushed, trunks_polled] = cache.trunks.Of(in.telephony.trunks);
  const auto [edges_pushed, edges_polled] = cache.edges.Of(in.telephony.edges);
  Gauge("genesys_notifications_pushed_entities",
        "Entities whose changes are pushed over a notification channel, by kind.")
      .Add({{"kind", "phone"}}, phones_pushed)
      .Add({{"kind", "trunk"}}, trunks_pushed)
      .Add({{"kind", "edge"}}, edges_pushed)
      .MoveTo(out);
  Gauge("genesys_notifications_polled_entities",
        "Entities left to REST polling only (outside the topic budget or rejected), by kind.")
      .Add({{"kind", "phone"}}, phones_polled)
      .Add({{"kind", "trunk"}}, trunks_polled)
      .Add({{"kind", "edge"}}, edges_polled)
      .MoveTo(out);
}

}  // namespace gx
