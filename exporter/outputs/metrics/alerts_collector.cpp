// The exporter's own alert evaluator and webhook delivery: alerts firing by name and
// severity, and per-receiver delivery counters and queue length. A pure view of
// HealthData, which the AlertEngine and the WebhookDispatcher keep current.
#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/family_builder.h"

namespace gx {

void CollectAlerts(const CollectInput& in, MetricFamilies& out) {
  const HealthData& h = in.health;
  auto firing = Gauge("genesys_alerts_firing",
                      "Alerts now firing in the exporter's own evaluator, by alert name and severity.");
  for (const auto& [key, n] : h.alerts_firing) {
    firing.Add({{"alertname", key.first}, {"severity", key.second}}, n);
  }
  firing.MoveTo(out);

  auto delivered = Counter("genesys_webhook_notifications_total",
                           "Webhook notifications delivered (answered 2xx), by receiver.");
  auto failures = Counter("genesys_webhook_notification_failures_total",
                          "Failed webhook delivery attempts (network error, timeout or non-2xx answer), by receiver.");
  auto dead = Counter("genesys_webhook_dead_letters_total",
                      "Webhook notifications given up (non-retryable answer or past the retry horizon) and "
                      "written to the dead-letter file, by receiver.");
  auto queue = Gauge("genesys_webhook_queue_length",
                     "Webhook notifications waiting for delivery, the on-disk spool included, by receiver.");
  auto memory_only = Gauge("genesys_webhook_queue_memory_only",
                           "Webhook notifications waiting for delivery in memory only, because the spool folder "
                           "could not be written; lost if the exporter stops first. By receiver.");
  auto dropped = Counter("genesys_webhook_spool_dropped_total",
                         "Webhook notifications lost without delivery or dead letter, by receiver and reason: "
                         "spool_full (refused at spool_max_bytes), damaged (unreadable spool file at start) or "
                         "bad_name (spool file not named <seq>.msg); the files are moved aside.");
  for (const auto& [receiver, w] : h.webhooks) {
    const Labels l = {{"receiver", receiver}};
    delivered.Add(l, static_cast<double>(w.delivered));
    failures.Add(l, static_cast<double>(w.failures));
    dead.Add(l, static_cast<double>(w.dead_letters));
    queue.Add(l, static_cast<double>(w.queue_length));
    memory_only.Add(l, static_cast<double>(w.queue_memory_only));
    for (const char* reason : kWebhookDropReasons) {
      const auto it = w.dropped.find(reason);
      const double n = it == w.dropped.end() ? 0 : static_cast<double>(it->second);
      dropped.Add({{"receiver", receiver}, {"reason", reason}}, n);
    }
  }
  delivered.MoveTo(out);
  failures.MoveTo(out);
  dead.MoveTo(out);
  queue.MoveTo(out);
  memory_only.MoveTo(out);
  dropped.MoveTo(out);
}

}  // namespace gx
