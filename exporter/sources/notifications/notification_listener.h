// The notification listener: plans topics from the inventory, creates channels
// and subscriptions through the REST API (ChannelApi), keeps one WebSocket per
// channel alive (heartbeat watch, ping, reconnect with backoff) and rolls
// channels over make-before-break (socket_closing, expiry, token refresh), as
// each slot's ChannelSupervisor decides; hands pushed
// events to the push applier (which applies them to TelephonyState in batches,
// off the I/O thread), and tells the poll scheduler (StreamReport) whether the
// stream is healthy, which sources it covers whole, and which ones to re-poll
// after a gap (a lost socket or an apply-queue overflow). Start()/Stop() from one
// thread; the status accessors are thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "exporter/genesys/api/api_client.h"
#include "exporter/config/config.h"
#include "exporter/sources/notifications/channel_api.h"
#include "exporter/sources/notifications/channel_supervisor.h"
#include "exporter/sources/notifications/topic_planner.h"
#include "exporter/sources/poll/stream_report.h"
#include "exporter/state/health_state.h"
#include "exporter/state/telephony_state.h"
#include "exporter/util/backoff.h"
#include "exporter/util/clock.h"
#include "exporter/util/result.h"

namespace gx {

class WsClient;
class PushApplier;

class NotificationListener {
 public:
  NotificationListener(const NotificationsConfig& config, ApiClient& api, TokenSource& tokens,
                       TelephonyState& state, HealthState& health, const Clock& clock, StreamFn stream);
  ~NotificationListener();
  NotificationListener(const NotificationListener&) = delete;
  NotificationListener& operator=(const NotificationListener&) = delete;

  // False (and a message) when the listener cannot start (e.g. an unreadable CA file).
  Status Start();
  // Returns promptly: sockets are dropped, a REST call in flight is waited for.
  void Stop();

  // Re-plan the subscriptions at the next step instead of after the debounce.
  void ReplanSoon();

  struct ChannelStatus {
    std::string id;
    std::size_t topics = 0;
    bool open = false;
  };
  std::vector<ChannelStatus> Channels() const;

 private:
  struct Live;
  struct Link;
  struct Slot;

  void Run();
  void Step();
  void MaybeRefreshToken(UnixNanos now);
  void MaybeReplan(UnixNanos now);
  std::unique_ptr<Slot> MakeSlot();
  // Observes the slot's links, asks its supervisor what to do, and does it.
  void Service(Slot& slot, std::size_t index, UnixNanos now);
  void Carry(Slot& slot, std::size_t index, const SupervisorCommand& command, UnixNanos now);
  static LinkView Observe(const Link& link, std::uint64_t planned_version);  // planned: the slot's topics_version
  static std::pair<std::string, std::string> EndOf(Live& live);  // the step and error the socket ended with
  static void Drop(std::unique_ptr<Link>& link);
  void BeginLink(Slot& slot, UnixNanos now);
  Result<std::unique_ptr<Link>> CreateLink(const std::vector<std::string>& topics);
  void PlanChannelRollover(Link& link);
  Status Subscribe(Link& link, const std::vector<std::string>& topics);
  void Connect(Link& link);
  void OnFrame(Live& live, std::string_view text);
  void CountReconnect(ReconnectReason reason);
  double NextUnitRandom();
  // True when the stream is healthy: every channel open, fresh and subscribed as planned.
  bool PublishStatus(UnixNanos now);
  // Tells the scheduler of a change in health or coverage, and of pending resyncs.
  void ReportStream(bool healthy);
  void Wake();

  NotificationsConfig config_;
  ChannelApi channels_;
  TokenSource& tokens_;
  TelephonyState& state_;
  HealthState& health_;
  const Clock& clock_;
  StreamFn stream_;
  std::unique_ptr<WsClient> ws_;
  std::unique_ptr<PushApplier> applier_;

  // Manager-thread state.
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<std::unique_ptr<Link>> retiring_;  // closed for a rollover; kept until the socket ends
  TopicPlanner planner_;  // re-plans only when the inventory changed, not on pushed statuses
  UnixNanos last_plan_ = 0;
  UnixNanos last_token_check_ = 0;
  UnixNanos last_health_ = 0;
  bool last_connected_ = false;
  std::vector<std::string> pushed_phones_, pushed_trunks_, pushed_edges_;
  std::size_t polled_phones_ = 0;
  std::vector<std::string> rejected_;
  std::set<int> unbelieved_logged_;  // ExpiryVerdicts already warned about
  // A gap: sources to re-poll, sent with the next StreamReport. Whatever loses events
  // (a lost socket, a queue overflow, a failed subscription) adds to it.
  std::vector<std::string> pending_resync_;
  std::vector<std::string> covered_by_plan_;  // FullyPushedSources of the last plan
  StreamReport reported_;                     // the last report's health and coverage
  UnitRandom jitter_;  // reconnect backoff

  std::atomic<bool> replan_soon_{true};
  std::atomic<bool> stop_{false};
  std::mutex wake_mu_;
  std::condition_variable wake_cv_;
  bool wake_ = false;
  std::thread thread_;

  mutable std::mutex status_mu_;
  std::vector<ChannelStatus> status_;
};

}  // namespace gx
