#include "exporter/sources/notifications/notification_listener.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "exporter/sources/notifications/channel_expiry.h"
#include "exporter/sources/notifications/channel_supervisor.h"
#include "exporter/sources/notifications/event_router.h"
#include "exporter/sources/notifications/push_coverage.h"
#include "exporter/sources/notifications/push_applier.h"
#include "exporter/sources/notifications/ws_client.h"
#include "exporter/genesys/parse/notification_parser.h"
#include "exporter/util/iso_time.h"
#include "exporter/util/logging.h"
#include "exporter/util/thread_name.h"
#include "exporter/util/time_math.h"

namespace gx {
namespace {

constexpr const char* kPing = R"({"message":"ping"})";
constexpr UnixNanos kStepNanos = 100 * kNanosPerMilli;

RateLimitedLog& Log() {
  static RateLimitedLog log(std::chrono::seconds(30));
  return log;
}

}  // namespace

// What the I/O thread tells the manager about one socket. Atomics, because the
// handlers write while the manager reads.
struct NotificationListener::Live {
  std::atomic<bool> open{false};
  std::atomic<bool> ended{false};
  std::atomic<UnixNanos> opened_at{0};
  std::atomic<UnixNanos> last_message{0};
  std::atomic<bool> socket_closing{false};
  std::atomic<RebuildCause> rebuild{RebuildCause::kNone};
  std::mutex mu;
  std::string end_step, end_error;  // guarded by mu
};

struct NotificationListener::Link {
  Channel channel;
  UnixNanos created = 0;
  UnixNanos rollover_at = 0;  // from the channel's expiry, as far as it is believed
  std::uint64_t generation = 0;
  std::vector<std::string> topics;
  std::uint64_t topics_version = 0;  // the slot's topics_version these topics are
  std::size_t permitted = 0;
  std::shared_ptr<WsSession> session;
  std::shared_ptr<Live> live = std::make_shared<Live>();
  UnixNanos retire_deadline = 0;
};

struct NotificationListener::Slot {
  Slot(SupervisorPolicy policy, std::function<double()> unit_random) : supervisor(policy, std::move(unit_random)) {}
  std::vector<std::string> topics;  // what the plan wants on this channel
  // Moves when `topics` changes, so that each step compares a number, not 1,000 topic names.
  std::uint64_t topics_version = 0;
  std::unique_ptr<Link> active;
  std::unique_ptr<Link> next;  // being built: a first connect, a reconnect or a rollover
  ChannelSupervisor supervisor;
};

LinkView NotificationListener::Observe(const Link& link, std::uint64_t planned_version) {
  const Live& live = *link.live;
  LinkView v;
  v.socket.open = live.open;
  v.socket.ended = live.ended;
  v.socket.socket_closing = live.socket_closing;
  v.socket.rebuild = live.rebuild;
  v.socket.opened_at = live.opened_at;
  v.socket.last_message = live.last_message;
  v.created = link.created;
  v.rollover_at = link.rollover_at;
  v.token_generation = link.generation;
  v.subscribed_as_planned = link.topics_version == planned_version;
  return v;
}

std::pair<std::string, std::string> NotificationListener::EndOf(Live& live) {
  std::lock_guard lock(live.mu);
  return {live.end_step, live.end_error};
}

void NotificationListener::Drop(std::unique_ptr<Link>& link) {
  link->session->Abort();
  link.reset();
}

NotificationListener::NotificationListener(const NotificationsConfig& config, ApiClient& api, TokenSource& tokens,
                                           TelephonyState& state, HealthState& health, const Clock& clock,
                                           StreamFn stream)
    : config_(config),
      channels_(api),
      tokens_(tokens),
      state_(state),
      health_(health),
      clock_(clock),
      stream_(std::move(stream)) {
  WsOptions opts;
  opts.ca_file = config_.ca_file;
  opts.handshake_timeout_seconds = config_.connect_timeout.count();
  // The manager's ping watch acts first; this only catches a wedged session.
  opts.idle_timeout_seconds = 2 * (config_.heartbeat_timeout.count() + config_.ping_timeout.count()) + 5;
  opts.max_message_bytes = config_.max_frame_bytes;
  ws_ = std::make_unique<WsClient>(opts);
  applier_ = std::make_unique<PushApplier>(state_, health_);
}

NotificationListener::~NotificationListener() { Stop(); }

Status NotificationListener::Start() {
  if (thread_.joinable()) return Status::Ok();
  if (Status started = ws_->Start(); !started) return started;
  stop_ = false;
  health_.Update([](HealthData& h) {
    auto& n = h.notifications;
    for (std::string_view r : AllReasonLabels()) n.reconnects_by_reason.try_emplace(std::string(r), 0);
  });
  applier_->Start();
  thread_ = std::thread([this] {
    NameThisThread("gx-notify");
    Run();
  });
  return Status::Ok();
}

void NotificationListener::Stop() {
  if (!thread_.joinable()) return;
  stop_ = true;
  Wake();
  thread_.join();
  for (auto& s : slots_) {
    if (s->active) s->active->session->Abort();
    if (s->next && s->next->session) s->next->session->Abort();
  }
  for (auto& l : retiring_) l->session->Abort();
  ws_->Stop();
  applier_->Stop();  // after the sockets: no handler enqueues any more
  slots_.clear();
  retiring_.clear();
  ReportStream(false);  // polling takes over everything again
  health_.Update([](HealthData& h) {
    h.notifications.connected = false;
    h.notifications.channels = 0;
  });
  std::lock_guard lock(status_mu_);
  status_.clear();
}

void NotificationListener::ReplanSoon() {
  replan_soon_ = true;
  Wake();
}

std::vector<NotificationListener::ChannelStatus> NotificationListener::Channels() const {
  std::lock_guard lock(status_mu_);
  return status_;
}

void NotificationListener::Wake() {
  {
    std::lock_guard lock(wake_mu_);
    wake_ = true;
  }
  wake_cv_.notify_one();
}

void NotificationListener::Run() {
  while (!stop_) {
    Step();
    std::unique_lock lock(wake_mu_);
    wake_cv_.wait_for(lock, std::chrono::nanoseconds(kStepNanos), [this] { return wake_ || stop_.load(); });
    wake_ = false;
  }
}

void NotificationListener::Step() {
  const UnixNanos now = clock_.Now();
  MaybeRefreshToken(now);
  MaybeReplan(now);
  for (std::size_t i = 0; i < slots_.size() && !stop_; ++i) Service(*slots_[i], i, clock_.Now());
  // Links closed for a rollover: forget them once their socket ended (or after a grace period).
  std::erase_if(retiring_, [&](const std::unique_ptr<Link>& l) {
    if (l->live->ended || now >= l->retire_deadline) {
      l->session->Abort();
      return true;
    }
    return false;
  });
  // Pushed frames lost to a full apply queue are a gap like a dropped socket:
  // they reach the poll scheduler as this report's resync.
  for (auto& c : applier_->TakeResync()) pending_resync_.push_back(std::move(c));
  const bool healthy = PublishStatus(clock_.Now());
  if (!stop_) ReportStream(healthy);
}

void NotificationListener::ReportStream(bool healthy) {
  StreamReport report;
  report.healthy = healthy;
  if (healthy) {
    const auto rejected = health_.Read([](const HealthData& h) {
      std::vector<std::string> topics;
      for (const auto& r : h.notifications.rejected_topics) topics.push_back(r.substr(0, r.find(' ')));
      return topics;
    });
    report.covered = WithoutRejected(covered_by_plan_, rejected);
  }
  if (!pending_resync_.empty()) {
    report.resync.swap(pending_resync_);
    std::sort(report.resync.begin(), report.resync.end());
    report.resync.erase(std::unique(report.resync.begin(), report.resync.end()), report.resync.end());
    health_.Update([](HealthData& h) { ++h.notifications.resyncs; });
    LogInfo("notifications: resync after a gap in the stream", {{"collectors", report.resync.size()}});
  }
  if (report.resync.empty() && report.healthy == reported_.healthy && report.covered == reported_.covered) return;
  reported_.healthy = report.healthy;
  reported_.covered = report.covered;
  if (stream_) stream_(report);
}

void NotificationListener::MaybeRefreshToken(UnixNanos now) {
  // A channel dies with the token that created it. Fetch the new token as soon
  // as it is due (rather than waiting for a poller to need one), so that the
  // channels roll over while the old token still works.
  if (now - last_token_check_ < kNanosPerSecond) return;
  last_token_check_ = now;
  if (auto at = tokens_.RefreshAt(); at && now >= *at) tokens_.Token();
}

void NotificationListener::MaybeReplan(UnixNanos now) {
  const bool due = now - last_plan_ >= SecondsToNanos(config_.replan_interval.count());
  if (!replan_soon_ && !due) return;
  TopicBudget budget;
  budget.total = config_.topic_budget;
  budget.per_channel = config_.max_topics_per_channel;
  budget.max_channels = config_.max_channels;
  budget.edge_metrics = config_.edge_metrics_topics;
  const TelephonySnapshot snapshot = state_.Snapshot();
  // O(1) unless the inventory changed: pushed statuses do not re-plan.
  const TopicPlan& plan = planner_.Plan(*snapshot, budget);
  if (!planner_.replanned() && !replan_soon_) return;
  replan_soon_ = false;
  last_plan_ = now;
  covered_by_plan_ = FullyPushedSources(plan, *snapshot);

  // Topics stay in the channel they are subscribed on: a change re-subscribes only the channels it touches.
  std::vector<std::vector<std::string>> held;
  held.reserve(slots_.size());
  for (const auto& s : slots_) held.push_back(s->topics);
  const auto channels = KeepChannels(held, plan.channels, static_cast<std::size_t>(std::max(1, budget.per_channel)));

  // Shrink: channels no longer needed are closed (their entities left the inventory).
  while (slots_.size() > channels.size()) {
    auto& s = slots_.back();
    if (s->active) s->active->session->Close();
    if (s->next && s->next->session) s->next->session->Abort();
    slots_.pop_back();
  }
  for (std::size_t i = 0; i < channels.size(); ++i) {
    if (i == slots_.size()) slots_.push_back(MakeSlot());
    Slot& slot = *slots_[i];
    if (slot.topics != channels[i]) {  // Service() re-subscribes when this differs
      slot.topics = channels[i];
      ++slot.topics_version;
    }
  }

  polled_phones_ = plan.polled_phones;
  std::vector<std::string> phones = plan.pushed_phones;
  std::sort(phones.begin(), phones.end());
  if (phones != pushed_phones_ || plan.pushed_trunks != pushed_trunks_ || plan.pushed_edges != pushed_edges_) {
    pushed_phones_ = std::move(phones);
    pushed_trunks_ = plan.pushed_trunks;
    pushed_edges_ = plan.pushed_edges;
    // Changes the entries' pushed flags only, not the plan's inputs.
    state_.SetPushed(pushed_phones_, pushed_trunks_, pushed_edges_);
  }
  if (plan.dropped_topics > 0) {
    Log().Warn("notify-budget", "notifications: topics exceed the topic budget; those entities are polled",
               {{"dropped_topics", plan.dropped_topics}});
  }
}

double NotificationListener::NextUnitRandom() { return jitter_.Next(); }

std::unique_ptr<NotificationListener::Slot> NotificationListener::MakeSlot() {
  SupervisorPolicy policy;
  policy.heartbeat_timeout = SecondsToNanos(config_.heartbeat_timeout.count());
  policy.ping_timeout = SecondsToNanos(config_.ping_timeout.count());
  policy.connect_timeout = SecondsToNanos(config_.connect_timeout.count());
  policy.min_rollover_interval = SecondsToNanos(config_.min_rollover_interval.count());
  policy.backoff = {SecondsToNanos(config_.reconnect_initial.count()), SecondsToNanos(config_.reconnect_max.count())};
  return std::make_unique<Slot>(policy, [this] { return NextUnitRandom(); });
}

void NotificationListener::CountReconnect(ReconnectReason reason) {
  if (reason == ReconnectReason::kNone) return;
  health_.Update([&](HealthData& h) { ++h.notifications.reconnects_by_reason[std::string(ReasonLabel(reason))]; });
}

void NotificationListener::Service(Slot& slot, std::size_t index, UnixNanos now) {
  SlotView view;
  if (slot.active) view.active = Observe(*slot.active, slot.topics_version);
  if (slot.next) view.next = Observe(*slot.next, slot.topics_version);
  view.wanted = !slot.topics.empty();
  view.token_generation = tokens_.Generation();
  for (const SupervisorCommand& c : slot.supervisor.Step(view, now)) Carry(slot, index, c, now);
}

void NotificationListener::Carry(Slot& slot, std::size_t index, const SupervisorCommand& c, UnixNanos now) {
  using Kind = SupervisorCommand::Kind;
  switch (c.kind) {
    case Kind::kDropEnded: {
      const auto [step, error] = EndOf(*slot.active->live);
      Log().Warn("notify-lost-" + std::to_string(index), "notifications: channel socket ended",
                 {{"channel", slot.active->channel.id}, {"step", step}, {"err", error}});
      Drop(slot.active);
      break;
    }
    case Kind::kDropRebuild:
      Log().Warn("notify-rebuild", "notifications: rebuilding the channel",
                 {{"channel", slot.active->channel.id},
                  {"reason", c.rebuild == RebuildCause::kTokenRevoked ? "token revoked" : "no longer subscribed"}});
      Drop(slot.active);
      break;
    case Kind::kDropSilent:
      Log().Warn("notify-heartbeat", "notifications: no heartbeat and no pong; reconnecting",
                 {{"channel", slot.active->channel.id}});
      Drop(slot.active);
      break;
    case Kind::kPing:
      slot.active->session->Send(kPing);
      break;
    case Kind::kPromote:
      if (c.retire_active) {
        slot.active->session->Close();
        slot.active->retire_deadline = c.retire_deadline;
        retiring_.push_back(std::move(slot.active));
      }
      slot.active = std::move(slot.next);
      CountReconnect(c.reason);
      if (c.resync) {
        auto sources = SourcesForTopics(slot.active->topics);
        pending_resync_.insert(pending_resync_.end(), sources.begin(), sources.end());
      }
      break;
    case Kind::kAbandonNext: {
      const auto [step, error] = EndOf(*slot.next->live);
      Log().Warn("notify-connect", "notifications: connecting a channel failed",
                 {{"channel", slot.next->channel.id}, {"err", step + ": " + error}});
      Drop(slot.next);
      break;
    }
    case Kind::kRolloverDeferred:
      Log().Warn("notify-rollover-deferred",
                 "notifications: channel is due a rollover within min_rollover_interval of the last one; deferred",
                 {{"channel", slot.active->channel.id}, {"reason", ReasonLabel(c.reason)}});
      break;
    case Kind::kRollover:
      LogInfo("notifications: rolling the channel over",
              {{"channel", slot.active->channel.id}, {"reason", ReasonLabel(c.reason)}});
      BeginLink(slot, now);
      break;
    case Kind::kBuild:
      BeginLink(slot, now);
      break;
    case Kind::kResubscribe: {
      if (Status subscribed = Subscribe(*slot.active, slot.topics); subscribed) {
        slot.active->topics_version = slot.topics_version;
      } else {
        Log().Warn("notify-resubscribe", "notifications: updating subscriptions failed",
                   {{"channel", slot.active->channel.id}, {"err", subscribed.error()}});
        slot.supervisor.ResubscribeFailed(now);
      }
      break;
    }
  }
}

void NotificationListener::BeginLink(Slot& slot, UnixNanos now) {
  auto created = CreateLink(slot.topics);
  if (!created) {
    Log().Warn("notify-create", "notifications: creating a channel failed", {{"err", created.error()}});
    slot.supervisor.BuildFailed(now);
    return;
  }
  std::unique_ptr<Link> link = std::move(created).value();
  link->topics_version = slot.topics_version;
  Connect(*link);
  slot.next = std::move(link);
}

Result<std::unique_ptr<NotificationListener::Link>> NotificationListener::CreateLink(
    const std::vector<std::string>& topics) {
  auto link = std::make_unique<Link>();
  // Read before the POST: if the token changes in between, we roll over once too often, never too late.
  link->generation = tokens_.Generation();
  link->created = clock_.Now();
  Result<Channel> channel = channels_.Create();
  if (!channel) return channel.status();
  link->channel = std::move(channel).value();
  PlanChannelRollover(*link);
  if (Status subscribed = Subscribe(*link, topics); !subscribed) return subscribed;
  return link;
}

void NotificationListener::PlanChannelRollover(Link& link) {
  const RolloverPolicy policy{SecondsToNanos(config_.rollover_before_expiry.count()),
                              SecondsToNanos(config_.min_rollover_interval.count())};
  const RolloverPlan plan = PlanRollover(link.channel.expires, link.created, policy);
  link.rollover_at = plan.rollover_at;
  if (plan.verdict == ExpiryVerdict::kBelieved) return;
  const std::string said = link.channel.expires ? FormatIsoTime(*link.channel.expires, 0) : "none";
  const LogFields fields{{"channel", link.channel.id}, {"expires", said}, {"verdict", DescribeVerdict(plan.verdict)}};
  constexpr std::string_view kMsg = "notifications: channel expiry not believed; assuming the documented 24 h lifetime";
  // Once per kind: a service that always says the same would otherwise log every rollover.
  if (unbelieved_logged_.insert(static_cast<int>(plan.verdict)).second) {
    LogWarn(kMsg, fields);
  } else {
    LogDebug(kMsg, fields);
  }
}

Status NotificationListener::Subscribe(Link& link, const std::vector<std::string>& topics) {
  Result<SubscriptionOutcome> subscribed = channels_.Subscribe(link.channel.id, topics);
  if (!subscribed) return subscribed.status();
  const SubscriptionOutcome& outcome = *subscribed;
  const auto& rejected = outcome.rejected;
  if (!rejected.empty()) {
    Log().Warn("notify-rejected",
               "notifications: topics rejected; grant the OAuth client's role the missing permission; those entities "
               "are polled",
               {{"rejected", rejected.size()}, {"topic", rejected.front()}});
  }
  link.topics = topics;
  link.permitted = outcome.permitted;
  // Rejections are per topic; keep the latest list across channels for the dashboard.
  health_.Update([&](HealthData& h) {
    auto& list = h.notifications.rejected_topics;
    for (const auto& t : topics) {
      std::erase_if(list, [&](const std::string& e) { return e.rfind(t + " ", 0) == 0; });
    }
    list.insert(list.end(), rejected.begin(), rejected.end());
  });
  return Status::Ok();
}

void NotificationListener::Connect(Link& link) {
  std::shared_ptr<Live> live = link.live;
  WsHandlers h;
  h.on_open = [this, live] {
    live->opened_at = clock_.Now();
    live->open = true;
    Wake();
  };
  h.on_message = [this, live](std::string_view text) { OnFrame(*live, text); };
  h.on_close = [this, live](const std::string& step, const std::string& error) {
    {
      std::lock_guard lock(live->mu);
      live->end_step = step;
      live->end_error = error;
    }
    if (step == "oversized") {
      health_.Update([](HealthData& hd) { ++hd.notifications.malformed; });
    }
    live->open = false;
    live->ended = true;
    Wake();
  };
  link.session = ws_->Connect(link.channel.connect_uri, std::move(h));
}

void NotificationListener::OnFrame(Live& live, std::string_view text) {
  const UnixNanos now = clock_.Now();
  live.last_message = now;
  NotificationFrame n;
  if (auto st = ParseNotification(text, n); !st.ok()) {
    health_.Update([&](HealthData& h) {
      ++h.notifications.malformed;
      h.notifications.last_message = now;
    });
    Log().Warn("notify-malformed", "notifications: malformed frame skipped", {{"err", st.error()}});
    return;
  }
  // Control events act on this socket here; data events go to the applier, so
  // that this I/O thread never waits for the state (or anyone reading it).
  const std::optional<RouteOutcome> control = ControlOutcome(n);
  const RouteOutcome outcome = control ? *control : RouteOutcome::kApplied;
  std::string kind = n.topic_kind.empty() ? std::string("other") : n.topic_kind;
  if (!control && !applier_->Enqueue(std::move(n), now)) Wake();  // overflow: the manager resyncs
  switch (outcome) {
    case RouteOutcome::kSocketClosing:
      live.socket_closing = true;
      Wake();
      break;
    case RouteOutcome::kRebuild: {
      const auto* sys = std::get_if<SystemEvent>(&n.event);
      live.rebuild = sys && sys->system_topic_type == "token_revoked" ? RebuildCause::kTokenRevoked
                                                                      : RebuildCause::kNoLongerSubscribed;
      Wake();
      break;
    }
    default:
      break;
  }
  health_.Update([&](HealthData& h) {
    auto& nh = h.notifications;
    ++nh.events_by_kind[kind];
    nh.last_message = now;
    if (outcome == RouteOutcome::kUnknownTopic) ++nh.unknown_topics;
  });
}

bool NotificationListener::PublishStatus(UnixNanos now) {
  const UnixNanos fresh_within = SecondsToNanos(config_.heartbeat_timeout.count() + config_.ping_timeout.count());
  bool connected = !slots_.empty();
  bool in_step = true;
  int channels = 0;
  int topics = 0;
  std::string problem;
  std::vector<ChannelStatus> status;
  for (const auto& s : slots_) {
    ChannelStatus cs;
    const Link* l = s->active.get();
    if (l) {
      const bool open = l->live->open;
      const UnixNanos last = std::max(l->live->last_message.load(), l->live->opened_at.load());
      cs.id = l->channel.id;
      cs.topics = l->permitted;
      cs.open = open;
      if (open) {
        ++channels;
        topics += static_cast<int>(l->permitted);
      }
      if (!open || now - last > fresh_within) {
        connected = false;
        if (problem.empty()) problem = "channel " + l->channel.id + (open ? " has stale heartbeats" : " is closed");
      }
      if (l->topics_version != s->topics_version) in_step = false;  // a (re)subscription is due or failed
    } else {
      connected = false;
      if (problem.empty()) problem = "a channel is reconnecting";
    }
    status.push_back(std::move(cs));
  }
  if (slots_.empty()) problem = "no topics to subscribe yet (inventory not loaded)";
  health_.Update([&](HealthData& h) {
    auto& n = h.notifications;
    n.connected = connected;
    n.channels = channels;
    n.subscribed_topics = topics;
    n.pushed_phones = static_cast<int>(pushed_phones_.size());
    n.polled_phones = static_cast<int>(polled_phones_);
  });
  if (now - last_health_ >= kNanosPerSecond || connected != last_connected_) {
    last_health_ = now;
    last_connected_ = connected;
    health_.RecordSourceRun("notifications", connected ? Status::Ok() : Status::Error(problem), now, 0, 0);
  }
  std::lock_guard lock(status_mu_);
  status_ = std::move(status);
  return connected && in_step;
}

}  // namespace gx
