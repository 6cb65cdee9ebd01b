// SelfMetrics: the exporter's own instrumentation that is counted as it happens, as
// prometheus-cpp Counter, Gauge and Histogram types in one prometheus::Registry: the Genesys
// API requests (count by endpoint and code, duration by endpoint), webhook delivery (by
// receiver) and the push applier's queue. /metrics serializes it with prometheus-cpp's
// TextSerializer after the collectors' text; the pages read the same series through the
// accessors. Thread-safe: the prometheus-cpp types are, the families are registered once, at
// construction, and the series tables are guarded by one mutex.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <mutex>
#include <string>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include "exporter/state/health_state.h"

namespace gx {

// Duration buckets in seconds of an outgoing request (the Genesys API, a webhook delivery):
// Prometheus' defaults, trimmed.
inline const prometheus::Histogram::BucketBoundaries& RequestDurationBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {0.025, 0.05, 0.1, 0.25, 0.5,
                                                                   1,     2.5,  5,   10,  30};
  return kBuckets;
}

// Push apply delay buckets in seconds: from 100 µs, where a healthy applier sits, up to 1 s.
inline const prometheus::Histogram::BucketBoundaries& ApplyDelayBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                                   0.01,   0.025,   0.05,   0.1,   0.25,   1};
  return kBuckets;
}

// The push applier's queue, as its series hold it.
struct ApplyQueueCounts {
  std::uint64_t applied = 0;  // frames whose apply delay was observed
  double apply_delay_sum = 0;  // seconds
  std::uint64_t overflows = 0;
  std::uint64_t length = 0;
};

class SelfMetrics {
 public:
  SelfMetrics();
  ~SelfMetrics();
  SelfMetrics(const SelfMetrics&) = delete;
  SelfMetrics& operator=(const SelfMetrics&) = delete;

  // One Genesys API request that ended: `code` is the HTTP status or "error".
  void ObserveApiRequest(const std::string& endpoint, const std::string& code, double seconds);
  // Requests counted for (endpoint, code) so far (tests, pages); 0 when none.
  std::uint64_t ApiRequests(const std::string& endpoint, const std::string& code) const;

  // Webhook delivery, by receiver. A receiver's series exist, at 0 and with every drop reason,
  // from its AddWebhookReceiver (or its first count) until RemoveWebhookReceiver.
  void AddWebhookReceiver(const std::string& receiver);
  void RemoveWebhookReceiver(const std::string& receiver);
  // One delivery attempt that ended after `seconds`: delivered (2xx), or failed.
  void ObserveWebhookAttempt(const std::string& receiver, bool delivered, double seconds);
  void CountWebhookDeadLetter(const std::string& receiver);
  void CountWebhookDropped(const std::string& receiver, const std::string& reason, std::uint64_t n = 1);
  void SetWebhookQueue(const std::string& receiver, std::uint64_t length, std::uint64_t memory_only);
  // Every receiver's counts, by name.
  std::map<std::string, WebhookCounts> WebhookReceivers() const;

  // The push applier's queue; its series exist from AddApplyQueue (or its first count) on.
  void AddApplyQueue();
  // A pushed data frame published in a snapshot `seconds` after its arrival.
  void ObserveApplyDelay(double seconds);
  // A data frame refused by the full queue.
  void CountApplyQueueOverflow();
  void SetApplyQueueLength(std::uint64_t length);
  // All zero until AddApplyQueue.
  ApplyQueueCounts ApplyQueue() const;

  std::vector<prometheus::MetricFamily> Collect() const { return registry_.Collect(); }

 private:
  // One receiver's series, in the families below.
  struct Receiver {
    prometheus::Counter* delivered;
    prometheus::Counter* failures;
    prometheus::Counter* dead_letters;
    prometheus::Gauge* queue;
    prometheus::Gauge* memory_only;
    prometheus::Histogram* durations;
    std::map<std::string, prometheus::Counter*> dropped;  // by reason
  };
  struct Queue {
    prometheus::Histogram* apply_delay;
    prometheus::Counter* overflows;
    prometheus::Gauge* length;
  };
  Receiver& ReceiverLocked(const std::string& receiver);  // added when new; with mu_ held
  Queue& QueueLocked();

  prometheus::Registry registry_;
  prometheus::Family<prometheus::Counter>& api_requests_;
  prometheus::Family<prometheus::Histogram>& api_durations_;
  prometheus::Family<prometheus::Counter>& webhook_delivered_;
  prometheus::Family<prometheus::Counter>& webhook_failures_;
  prometheus::Family<prometheus::Counter>& webhook_dead_letters_;
  prometheus::Family<prometheus::Gauge>& webhook_queue_;
  prometheus::Family<prometheus::Gauge>& webhook_memory_only_;
  prometheus::Family<prometheus::Counter>& webhook_dropped_;
  prometheus::Family<prometheus::Histogram>& webhook_durations_;
  prometheus::Family<prometheus::Histogram>& apply_delay_;
  prometheus::Family<prometheus::Counter>& apply_overflows_;
  prometheus::Family<prometheus::Gauge>& apply_length_;

  mutable std::mutex mu_;  // guards the tables below (the series themselves are atomic)
  std::map<std::string, Receiver> receivers_;
  std::optional<Queue> queue_;
};

}  // namespace gx
