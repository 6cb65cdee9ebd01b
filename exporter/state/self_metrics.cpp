#include "exporter/state/self_metrics.h"

namespace gx {
namespace {

template <typename T>
prometheus::Family<T>& Register(prometheus::detail::Builder<T> builder, const char* name, const char* help,
                                prometheus::Registry& registry) {
  return builder.Name(name).Help(help).Register(registry);
}

std::uint64_t Count(const prometheus::Counter* c) { return static_cast<std::uint64_t>(c->Value()); }
std::uint64_t Count(const prometheus::Gauge* g) { return static_cast<std::uint64_t>(g->Value()); }

}  // namespace

SelfMetrics::SelfMetrics()
    : api_requests_(Register(prometheus::BuildCounter(), "genesys_api_requests_total",
                             "Genesys Cloud API requests by endpoint (path template) and HTTP status, or error for "
                             "a transport failure.",
                             registry_)),
      api_durations_(Register(prometheus::BuildHistogram(), "genesys_api_request_duration_seconds",
                              "Genesys Cloud API request duration.", registry_)),
      webhook_delivered_(Register(prometheus::BuildCounter(), "genesys_webhook_notifications_total",
                                  "Webhook notifications delivered (answered 2xx), by receiver.", registry_)),
      webhook_failures_(Register(prometheus::BuildCounter(), "genesys_webhook_notification_failures_total",
                                 "Failed webhook delivery attempts (network error, timeout or non-2xx answer), by "
                                 "receiver.",
                                 registry_)),
      webhook_dead_letters_(Register(prometheus::BuildCounter(), "genesys_webhook_dead_letters_total",
                                     "Webhook notifications given up (non-retryable answer or past the retry "
                                     "horizon) and written to the dead-letter file, by receiver.",
                                     registry_)),
      webhook_queue_(Register(prometheus::BuildGauge(), "genesys_webhook_queue_length",
                              "Webhook notifications waiting for delivery, the on-disk spool included, by receiver.",
                              registry_)),
      webhook_memory_only_(Register(prometheus::BuildGauge(), "genesys_webhook_queue_memory_only",
                                    "Webhook notifications waiting for delivery in memory only, because the spool "
                                    "folder could not be written; lost if the exporter stops first. By receiver.",
                                    registry_)),
      webhook_dropped_(Register(prometheus::BuildCounter(), "genesys_webhook_spool_dropped_total",
                                "Webhook notifications lost without delivery or dead letter, by receiver and "
                                "reason: spool_full (refused at spool_max_bytes), damaged (unreadable spool file at "
                                "start) or bad_name (spool file not named <seq>.msg); the files are moved aside.",
                                registry_)),
      webhook_durations_(Register(prometheus::BuildHistogram(), "genesys_webhook_delivery_duration_seconds",
                                  "Time a webhook delivery attempt took, from the request to its answer, a network "
                                  "error or the timeout; every attempt, failed ones included. By receiver.",
                                  registry_)),
      apply_delay_(Register(prometheus::BuildHistogram(), "genesys_notifications_apply_delay_seconds",
                            "Delay from a pushed data frame's arrival to its publication in a state snapshot.",
                            registry_)),
      apply_overflows_(Register(prometheus::BuildCounter(), "genesys_notifications_queue_overflows_total",
                                "Pushed data frames dropped because the apply queue was full; each triggers a REST "
                                "resync.",
                                registry_)),
      apply_length_(Register(prometheus::BuildGauge(), "genesys_notifications_queue_length",
                             "Pushed data frames waiting for the applier.", registry_)) {}

SelfMetrics::~SelfMetrics() = default;

void SelfMetrics::ObserveApiRequest(const std::string& endpoint, const std::string& code, double seconds) {
  // Family::Add returns the series already registered for these labels.
  api_requests_.Add({{"endpoint", endpoint}, {"code", code}}).Increment();
  api_durations_.Add({{"endpoint", endpoint}}, RequestDurationBuckets()).Observe(seconds);
}

std::uint64_t SelfMetrics::ApiRequests(const std::string& endpoint, const std::string& code) const {
  for (const auto& family : registry_.Collect()) {
    if (family.name != "genesys_api_requests_total") continue;
    for (const auto& m : family.metric) {
      std::string e, c;
      for (const auto& l : m.label) (l.name == "endpoint" ? e : l.name == "code" ? c : e) = l.value;
      if (e == endpoint && c == code) return static_cast<std::uint64_t>(m.counter.value);
    }
  }
  return 0;
}

SelfMetrics::Receiver& SelfMetrics::ReceiverLocked(const std::string& receiver) {
  auto it = receivers_.find(receiver);
  if (it != receivers_.end()) return it->second;
  const prometheus::Labels l = {{"receiver", receiver}};
  Receiver r{&webhook_delivered_.Add(l),   &webhook_failures_.Add(l), &webhook_dead_letters_.Add(l),
             &webhook_queue_.Add(l),       &webhook_memory_only_.Add(l),
             &webhook_durations_.Add(l, RequestDurationBuckets()), {}};
  // Every reason has a series from the start, so that rate() sees the first drop.
  for (const char* reason : kWebhookDropReasons) {
    r.dropped[reason] = &webhook_dropped_.Add({{"receiver", receiver}, {"reason", reason}});
  }
  return receivers_.emplace(receiver, std::move(r)).first->second;
}

void SelfMetrics::AddWebhookReceiver(const std::string& receiver) {
  std::lock_guard lock(mu_);
  ReceiverLocked(receiver);
}

void SelfMetrics::RemoveWebhookReceiver(const std::string& receiver) {
  std::lock_guard lock(mu_);
  auto it = receivers_.find(receiver);
  if (it == receivers_.end()) return;
  const Receiver& r = it->second;
  webhook_delivered_.Remove(r.delivered);
  webhook_failures_.Remove(r.failures);
  webhook_dead_letters_.Remove(r.dead_letters);
  webhook_queue_.Remove(r.queue);
  webhook_memory_only_.Remove(r.memory_only);
  webhook_durations_.Remove(r.durations);
  for (const auto& [reason, c] : r.dropped) webhook_dropped_.Remove(c);
  receivers_.erase(it);
}

void SelfMetrics::ObserveWebhookAttempt(const std::string& receiver, bool delivered, double seconds) {
  std::lock_guard lock(mu_);
  Receiver& r = ReceiverLocked(receiver);
  (delivered ? r.delivered : r.failures)->Increment();
  r.durations->Observe(seconds);
}

void SelfMetrics::CountWebhookDeadLetter(const std::string& receiver) {
  std::lock_guard lock(mu_);
  ReceiverLocked(receiver).dead_letters->Increment();
}

void SelfMetrics::CountWebhookDropped(const std::string& receiver, const std::string& reason, std::uint64_t n) {
  std::lock_guard lock(mu_);
  Receiver& r = ReceiverLocked(receiver);
  prometheus::Counter*& c = r.dropped[reason];
  if (!c) c = &webhook_dropped_.Add({{"receiver", receiver}, {"reason", reason}});
  c->Increment(static_cast<double>(n));
}

void SelfMetrics::SetWebhookQueue(const std::string& receiver, std::uint64_t length, std::uint64_t memory_only) {
  std::lock_guard lock(mu_);
  Receiver& r = ReceiverLocked(receiver);
  r.queue->Set(static_cast<double>(length));
  r.memory_only->Set(static_cast<double>(memory_only));
}

std::map<std::string, WebhookCounts> SelfMetrics::WebhookReceivers() const {
  std::lock_guard lock(mu_);
  std::map<std::string, WebhookCounts> out;
  for (const auto& [name, r] : receivers_) {
    WebhookCounts& c = out[name];
    c.delivered = Count(r.delivered);
    c.failures = Count(r.failures);
    c.dead_letters = Count(r.dead_letters);
    c.queue_length = Count(r.queue);
    c.queue_memory_only = Count(r.memory_only);
    for (const auto& [reason, counter] : r.dropped) c.dropped[reason] = Count(counter);
  }
  return out;
}

SelfMetrics::Queue& SelfMetrics::QueueLocked() {
  if (!queue_) {
    queue_ = Queue{&apply_delay_.Add({}, ApplyDelayBuckets()), &apply_overflows_.Add({}), &apply_length_.Add({})};
  }
  return *queue_;
}

void SelfMetrics::AddApplyQueue() {
  std::lock_guard lock(mu_);
  QueueLocked();
}

void SelfMetrics::ObserveApplyDelay(double seconds) {
  std::lock_guard lock(mu_);
  QueueLocked().apply_delay->Observe(seconds);
}

void SelfMetrics::CountApplyQueueOverflow() {
  std::lock_guard lock(mu_);
  QueueLocked().overflows->Increment();
}

void SelfMetrics::SetApplyQueueLength(std::uint64_t length) {
  std::lock_guard lock(mu_);
  QueueLocked().length->Set(static_cast<double>(length));
}

ApplyQueueCounts SelfMetrics::ApplyQueue() const {
  std::lock_guard lock(mu_);
  if (!queue_) return {};
  const prometheus::ClientMetric delay = queue_->apply_delay->Collect();
  return {delay.histogram.sample_count, delay.histogram.sample_sum, Count(queue_->overflows), Count(queue_->length)};
}

}  // namespace gx
