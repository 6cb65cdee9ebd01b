// What the notification listener tells the poll scheduler about the push stream: whether it
// is healthy, which poll sources it fully covers, and which ones lost events in a gap.
// The one signal between push and polling (the app wires NotificationListener to
// PollScheduler::OnStream). Plain values; the callback runs on the listener's thread.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace gx {

struct StreamReport {
  // Every channel is open, subscribed as planned and its heartbeats are fresh.
  bool healthy = false;
  // While healthy: the sources every one of whose entities has a live topic (trunks,
  // trunk_metrics, edges, edge_metrics; stations when every followed user's station topic
  // is live). They are polled only by the periodic resync.
  std::vector<std::string> covered;
  // Sources whose events may have been lost (a reconnect, a queue overflow, a lost or
  // expired channel, a failed subscription): re-poll them now.
  std::vector<std::string> resync;

  bool operator==(const StreamReport&) const = default;
};

using StreamFn = std::function<void(const StreamReport&)>;

}  // namespace gx
