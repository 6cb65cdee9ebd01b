// WebhookDispatcher: the AlertMessageSink that formats alert messages per receiver,
// spools them durably (in memory only, logged and counted, while the spool cannot be
// written), and delivers them with one request in flight per receiver endpoint, in
// order; retries with capped exponential backoff and jitter (lengthened by Retry-After
// up to max_backoff), dead-letters rejected or expired messages, signs with
// Standard Webhooks HMAC (webhook-ids derived from the message, message_id.h, so
// replicas and restarts agree), and keeps HealthState's webhook and spool health. Reconfigure()
// swaps the receivers of a running dispatcher (a configuration reload) and keeps every
// queue whose receiver stays, in memory and on disk. Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/outputs/alerts/alert_message.h"
#include "exporter/outputs/webhook/message_id.h"
#include "exporter/outputs/webhook/webhook_spool.h"
#include "exporter/state/health_state.h"
#include "exporter/util/backoff.h"
#include "exporter/util/clock.h"

namespace gx {

struct WebhookDispatcherOptions {
  std::vector<ReceiverConfig> receivers;
  std::string spool_dir;
  std::uint64_t spool_max_bytes = 64ull << 20;  // per receiver endpoint
  int group_max_ids = 20;
  MessageIdPolicy ids;  // how webhook-ids and PagerDuty dedup_keys are derived
  Seconds resend_interval{60};
  std::chrono::milliseconds max_sleep{1000};  // real-time cap between checks of the clock
  std::function<double()> jitter;  // the backoff's randomness in [0, 1) (tests); empty: util's UnitRandom
};

WebhookDispatcherOptions WebhookOptionsFrom(const AlertingConfig& cfg);

class WebhookDispatcher : public AlertMessageSink {
 public:
  // `health` may be null. `clock` and `health` must outlive the dispatcher.
  WebhookDispatcher(WebhookDispatcherOptions options, const Clock& clock, HealthState* health);
  ~WebhookDispatcher() override;

  // Starts one delivery thread per receiver endpoint. Start, Stop and Reconfigure may be
  // called from any thread.
  void Start();
  void Stop();
  // Wakes the delivery threads (after a clock change in tests, or new items).
  void Wake();

  void Enqueue(const AlertMessage& n) override;
  void EnqueueAlertStates(const std::vector<Alert>& alerts, bool full, UnixNanos now) override;
  void EnqueueWatchdog(const AlertMessage& heartbeat, UnixNanos ttl) override;

  // Takes the receivers of `options` (spool_dir and spool_max_bytes stay as they are: they
  // apply at a restart). An endpoint (receiver name and URL position) that stays keeps its
  // queue and retry state, and delivers to its new URL and settings from its next attempt; a
  // new one loads its spool folder and starts; a removed one stops after its delivery in
  // flight, and its queue stays on disk for a receiver of that name to take up later.
  void Reconfigure(WebhookDispatcherOptions options);

  // Attempts every endpoint's due head-of-queue delivery once, on the caller's thread.
  // Returns how many attempts were made. For tests and for draining.
  int DeliverDue();

  std::uint64_t QueueLength() const;
  std::vector<std::string> SpoolErrors() const;

 private:
  struct Endpoint {
    std::string folder;  // spool folder name: the endpoint's identity across reconfigurations
    int index = 0;  // position in the receiver's urls
    std::string name;    // the receiver's
    std::string writer;  // its name in SpoolHealth::errors
    std::string dead_letter_path;
    std::unique_ptr<WebhookSpool> spool;
    mutable std::mutex mu;      // guards spool, receiver, url and the fields below
    std::shared_ptr<const ReceiverConfig> receiver;
    std::string url;
    // The latest ids queued (at most kRecentIds): a group message re-states its firing
    // alerts, and a per-alert request (pagerduty, seed) already queued is not queued again.
    std::unordered_set<std::string> recent_ids;
    std::deque<std::string> recent_order;
    // Alertmanager pushes of firing alerts carry endsAt = their creation + this; one still
    // queued after that would resolve them there, so it is never sent: dropped when a newer
    // full set is queued behind it, dead-lettered otherwise. 0: pushes never expire.
    UnixNanos firing_ttl = 0;
    std::mutex delivery_mu;     // one delivery in flight
    int attempts = 0;           // of the head item
    UnixNanos next_attempt = 0;
    std::atomic<bool> retired{false};  // removed by Reconfigure: its worker ends
    std::thread worker;

    std::shared_ptr<const ReceiverConfig> Receiver() const {
      std::lock_guard l(mu);
      return receiver;
    }
  };
  // The endpoints of `options`' receivers, with their spools loaded, reusing those of
  // `reuse` (taken out of it) whose folder matches.
  std::vector<std::unique_ptr<Endpoint>> MakeEndpoints(const WebhookDispatcherOptions& options,
                                                       std::vector<std::unique_ptr<Endpoint>>* reuse);
  void StartWorkers();
  static constexpr size_t kRecentIds = 65536;
  // Queues `body` under `id` (a fresh random one when empty), unless that id was queued lately.
  void Add(Endpoint& e, const std::string& kind, std::string body, std::string id = "");
  // With e.mu held.
  void RemoveFromSpool(Endpoint& e, const SpoolItem& item);
  // Returns true when an attempt was made.
  bool DeliverOne(Endpoint& e);
  void DeadLetter(Endpoint& e, const SpoolItem& item, const std::string& reason, int status);
  void Run(Endpoint& e);
  // With endpoints_mu_ held (shared).
  void PublishQueue(const Endpoint& e);
  std::string NewId();

  const Clock& clock_;
  HealthState* health_;
  std::mutex control_mu_;  // one Start, Stop or Reconfigure at a time
  // endpoints_ changes only in Reconfigure, under the exclusive lock; everyone else reads
  // it under the shared one, never held across a delivery. An endpoint is freed only after
  // its worker has ended.
  mutable std::shared_mutex endpoints_mu_;
  WebhookDispatcherOptions opt_;
  std::vector<std::unique_ptr<Endpoint>> endpoints_;
  bool started_ = false;  // guarded by endpoints_mu_
  std::mutex rng_mu_;
  std::mt19937_64 rng_;  // message ids
  UnitRandom jitter_;    // retry backoff
  std::mutex wake_mu_;
  std::condition_variable wake_cv_;
  std::uint64_t wake_gen_ = 0;
  std::atomic<bool> stop_{false};
};

}  // namespace gx
