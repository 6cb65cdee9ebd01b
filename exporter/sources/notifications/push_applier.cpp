#include "exporter/sources/notifications/push_applier.h"

#include "exporter/sources/notifications/event_router.h"
#include "exporter/sources/notifications/topic_plan.h"
#include "exporter/state/self_metrics.h"
#include "exporter/util/logging.h"
#include "exporter/util/thread_name.h"
#include "exporter/util/thread_slice.h"

namespace gx {
namespace {

RateLimitedLog& Log() {
  static RateLimitedLog log(std::chrono::seconds(30));
  return log;
}

}  // namespace

PushApplier::PushApplier(TelephonyState& state, HealthState& health, std::size_t capacity)
    : state_(state), health_(health), capacity_(capacity == 0 ? 1 : capacity) {
  health_.self_metrics().AddApplyQueue();
}

PushApplier::~PushApplier() { Stop(); }

void PushApplier::Start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] {
    NameThisThread("gx-push-apply");
    RequestShortSliceOrLog();
    Run();
  });
}

void PushApplier::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
  DrainOnce();  // anything queued after the loop's last batch
}

bool PushApplier::Enqueue(NotificationFrame frame, UnixNanos observed_at) {
  std::size_t length = 0;
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= capacity_) {
      for (auto& c : SourcesForTopics({frame.topic_name})) resync_.insert(std::move(c));
    } else {
      queue_.push_back({std::move(frame), observed_at, std::chrono::steady_clock::now()});
      length = queue_.size();
    }
  }
  if (length == 0) {
    health_.self_metrics().CountApplyQueueOverflow();
    Log().Warn("notify-overflow",
               "notifications: the apply queue is full; frames dropped, their sources are resynced by REST",
               {{"capacity", capacity_}});
    return false;
  }
  if (length == 1) cv_.notify_one();  // the applier sleeps only on an empty queue
  return true;
}

std::vector<std::string> PushApplier::TakeResync() {
  std::lock_guard lock(mu_);
  std::vector<std::string> out(resync_.begin(), resync_.end());
  resync_.clear();
  return out;
}

std::size_t PushApplier::DrainOnce() {
  std::lock_guard drain(drain_mu_);
  std::vector<Item>& batch = batch_;
  batch.clear();  // the last batch's frames go; its capacity stays, and goes to the queue below
  {
    std::lock_guard lock(mu_);
    batch.swap(queue_);
  }
  if (batch.empty()) return 0;
  std::uint64_t stale = 0, unknown = 0;
  state_.Write([&](TelephonyWriter& w) {
    for (const Item& item : batch) {
      const RouteOutcome outcome = RouteNotification(item.frame, w, item.observed_at);
      stale += outcome == RouteOutcome::kStale;
      unknown += outcome == RouteOutcome::kUnknownTopic;
    }
  });
  // Published (or found to change nothing): the delay each frame waited to be visible.
  const auto published = std::chrono::steady_clock::now();
  std::size_t waiting = 0;
  {
    std::lock_guard lock(mu_);
    waiting = queue_.size();
  }
  health_.Update([&](HealthData& h) {
    auto& n = h.notifications;
    n.stale_events += stale;
    n.unknown_topics += unknown;
  });
  SelfMetrics& self = health_.self_metrics();
  self.SetApplyQueueLength(waiting);
  for (const Item& item : batch) {
    self.ObserveApplyDelay(std::chrono::duration<double>(published - item.arrived).count());
  }
  return batch.size();
}

void PushApplier::Run() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
    }
    DrainOnce();
  }
}

}  // namespace gx
