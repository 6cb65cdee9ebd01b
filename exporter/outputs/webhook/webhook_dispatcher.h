// WebhookDispatcher: the NotificationSink that formats notifications per receiver,
// spools them durably (in memory only, logged and counted, while the spool cannot be
// written), and delivers them with one request in flight per receiver endpoint, in
// order; retries with capped exponential backoff and jitter (lengthened by Retry-After
// up to max_backoff), dead-letters rejected or expired notifications, signs with
// Standard Webhooks HMAC, and keeps HealthState's webhook and spool health. Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/outputs/alerts/notification.h"
#include "exporter/outputs/webhook/webhook_spool.h"
#include "exporter/state/health_state.h"
#include "exporter/util/clock.h"

namespace gx {

struct WebhookDispatcherOptions {
  std::vector<ReceiverConfig> receivers;
  std::string spool_dir;
  std::uint64_t spool_max_bytes = 64ull << 20;  // per receiver endpoint
  int group_max_ids = 20;
  Seconds resend_interval{60};
  std::chrono::milliseconds max_sleep{1000};  // real-time cap between checks of the clock
};

WebhookDispatcherOptions WebhookOptionsFrom(const AlertingConfig& cfg);

class WebhookDispatcher : public NotificationSink {
 public:
  // `health` may be null. `clock` and `health` must outlive the dispatcher.
  WebhookDispatcher(WebhookDispatcherOptions options, const Clock& clock, HealthState* health);
  ~WebhookDispatcher() override;

  // Starts one delivery thread per receiver endpoint.
  void Start();
  void Stop();
  // Wakes the delivery threads (after a clock change in tests, or new items).
  void Wake();

  void Enqueue(const Notification& n) override;
  void EnqueueAlertStates(const std::vector<Alert>& alerts, bool full, UnixNanos now) override;
  void EnqueueWatchdog(const Notification& heartbeat, UnixNanos ttl) override;

  // Attempts every endpoint's due head-of-queue delivery once, on the caller's thread.
  // Returns how many attempts were made. For tests and for draining.
  int DeliverDue();

  std::uint64_t QueueLength() const;
  std::vector<std::string> SpoolErrors() const;

 private:
  struct Endpoint {
    const ReceiverConfig* receiver = nullptr;
    std::string url;
    int index = 0;  // position in the receiver's urls
    std::string writer;  // its name in SpoolHealth::errors
    std::string dead_letter_path;
    std::unique_ptr<WebhookSpool> spool;
    mutable std::mutex mu;      // guards spool and the fields below
    std::mutex delivery_mu;     // one delivery in flight
    int attempts = 0;           // of the head item
    UnixNanos next_attempt = 0;
    std::thread worker;
  };
  void Add(Endpoint& e, const std::string& kind, std::string body);
  // With e.mu held.
  void RemoveFromSpool(Endpoint& e, const SpoolItem& item);
  // Returns true when an attempt was made.
  bool DeliverOne(Endpoint& e);
  void DeadLetter(Endpoint& e, const SpoolItem& item, const std::string& reason, int status);
  void Run(Endpoint& e);
  void PublishQueue(const Endpoint& e);
  std::string NewId();
  double Jitter();

  WebhookDispatcherOptions opt_;
  const Clock& clock_;
  HealthState* health_;
  std::vector<std::unique_ptr<Endpoint>> endpoints_;
  std::mutex rng_mu_;
  std::mt19937_64 rng_;
  std::mutex wake_mu_;
  std::condition_variable wake_cv_;
  std::uint64_t wake_gen_ = 0;
  std::atomic<bool> stop_{false};
};

}  // namespace gx
