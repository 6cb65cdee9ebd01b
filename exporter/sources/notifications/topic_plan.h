// Topic planning: which Notification Service topics to subscribe, packed into
// channels, within the per-channel and per-client limits and a topic budget.
// Trunks and edges come first, then the followed users' stations and phones,
// then the other phones; whatever does not fit stays with polling.
// Pure functions over a state snapshot; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/state/telephony_state.h"

namespace gx {

struct TopicBudget {
  int total = 20000;            // topics across all channels
  int per_channel = 1000;       // Genesys: 1,000 topics per channel
  int max_channels = 20;        // Genesys: 20 channels per user + OAuth client
  bool edge_metrics = true;     // also v2.telephony.providers.edges.{id}.metrics
  // Channels kept free so that a make-before-break rollover never pushes the
  // client over max_channels (the 21st channel would evict the oldest).
  int reserved_channels = 1;
  bool operator==(const TopicBudget&) const = default;
};

struct TopicPlan {
  std::vector<std::vector<std::string>> channels;  // topics per channel, in priority order
  std::vector<std::string> pushed_phones;
  std::vector<std::string> pushed_trunks;
  std::vector<std::string> pushed_edges;
  std::vector<std::string> station_users;  // followed users whose station topic is planned
  std::size_t polled_phones = 0;  // phones left to polling
  std::size_t dropped_topics = 0; // topics that did not fit (any kind)
  std::size_t topic_count() const;
};

// Topic names (genesys-api.md §5).
std::string PhoneTopic(std::string_view id);
std::string TrunkTopic(std::string_view id);
std::string TrunkMetricsTopic(std::string_view id);
std::string EdgeTopic(std::string_view id);
std::string EdgeMetricsTopic(std::string_view id);
std::string UserStationTopic(std::string_view id);

// Deterministic: entities are taken in id order within each priority band, so
// the same inventory always gives the same channels.
TopicPlan PlanTopics(const TelephonyData& data, const std::vector<std::string>& followed_users,
                     const TopicBudget& budget);

// The planned topics packed so that every topic `held` (the channels subscribed now) has
// stays in its channel: a change then re-subscribes only the channels it touches, where
// packing afresh would shift every later channel by the topics that moved ahead (a
// station pointing to another phone moves that phone's topic up a band). Topics gone
// leave free places, which new topics fill in channel order before new channels open;
// empty channels at the end are dropped. Never more channels than held or planned has.
std::vector<std::vector<std::string>> KeepChannels(const std::vector<std::vector<std::string>>& held,
                                                   const std::vector<std::vector<std::string>>& planned,
                                                   std::size_t per_channel);

// The poll sources whose data a topic carries (phones, trunks, trunk_metrics,
// edges, edge_metrics, stations), for the resync after a gap.
std::vector<std::string> SourcesForTopics(const std::vector<std::string>& topics);

}  // namespace gx
