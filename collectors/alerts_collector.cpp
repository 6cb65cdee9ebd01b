// The exporter's own alert evaluator and webhook delivery: alerts firing by name and
// severity, and per-receiver delivery counters and queue length. A pure view of
// HealthData, which the AlertEngine and the WebhookDispatcher keep current.
#include "collectors/collectors.h"
#include "collectors/family_builder.h"

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
  auto dropped = Counter("genesys_webhook_spool_dropped_total",
                         "Webhook notifications refused because the receiver's spool was full, by receiver.");
  for (const auto& [receiver, w] : h.webhooks) {
    const Labels l = {{"receiver", receiver}};
    delivered.Add(l, static_cast<double>(w.delivered));
    failures.Add(l, static_cast<double>(w.failures));
    dead.Add(l, static_cast<double>(w.dead_letters));
    queue.Add(l, static_cast<double>(w.queue_length));
    dropped.Add(l, static_cast<double>(w.spool_dropped));
  }
  delivered.MoveTo(out);
  failures.MoveTo(out);
  dead.MoveTo(out);
  queue.MoveTo(out);
  dropped.MoveTo(out);
}

}  // namespace gx
