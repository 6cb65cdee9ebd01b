// The exporter's own health: authentication, each source collector's last run,
// API requests, retries, rate limits and OAuth.
#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/family_builder.h"

namespace gx {

void CollectExporterHealth(const CollectInput& in, MetricFamilies& out) {
  const HealthData& h = in.health;

  auto up = Gauge("genesys_up",
                  "1 when the last attempt to authenticate and call the Genesys Cloud API succeeded; 0 also while "
                  "no API request has ended for 3 polling intervals (nothing is being polled).");
  if (h.genesys_up) up.Add({}, *h.genesys_up ? 1 : 0);
  up.MoveTo(out);

  auto c_up = Gauge("genesys_collector_up",
                    "1 when the source collector's last run succeeded and its last success is at most 3 "
                    "intervals old.");
  auto c_last = Gauge("genesys_collector_last_success_timestamp_seconds",
                      "End of the source collector's last successful run.");
  auto c_duration = Gauge("genesys_collector_duration_seconds", "Wall time of the source collector's last run.");
  auto c_requests = Gauge("genesys_collector_requests", "API requests made by the source collector's last run.");
  auto c_interval = Gauge("genesys_collector_interval_seconds",
                          "Effective interval of the source collector: the configured one, stretched when the "
                          "org is too large for the request budget.");
  auto c_configured = Gauge("genesys_collector_configured_interval_seconds",
                            "Configured interval of the source collector.");
  auto c_pages_done = Gauge("genesys_collector_pages_done",
                            "Listing pages the source collector's current (or last) run has read so far.");
  auto c_pages_expected = Gauge("genesys_collector_pages_expected",
                                "Listing pages the source collector's current (or last) run expects, from the API's "
                                "pageCount; with genesys_collector_pages_done, the progress of a long first poll.");
  for (const auto& [name, c] : h.sources) {  // std::map: ordered
    const Labels labels = {{"collector", name}};
    // A stale collector may be stuck in its first run: it has no run to report, but it is down.
    if (c.ran || c.stale) c_up.Add(labels, c.up && !c.stale ? 1 : 0);
    if (c.ran) {
      c_duration.Add(labels, c.last_duration_seconds);
      c_requests.Add(labels, static_cast<double>(c.last_cycle_requests));
    }
    if (c.last_success) c_last.Add(labels, ToSeconds(*c.last_success));
    if (c.interval_seconds > 0) c_interval.Add(labels, c.interval_seconds);
    if (c.configured_interval_seconds > 0) c_configured.Add(labels, c.configured_interval_seconds);
    if (c.pages_expected > 0) {
      c_pages_done.Add(labels, static_cast<double>(c.pages_done));
      c_pages_expected.Add(labels, static_cast<double>(c.pages_expected));
    }
  }
  for (auto* f : {&c_up, &c_last, &c_duration, &c_requests, &c_interval, &c_configured, &c_pages_done,
                  &c_pages_expected}) {
    f->MoveTo(out);
  }

  // genesys_api_requests_total and genesys_api_request_duration_seconds: SelfMetrics.

  auto retries = Counter("genesys_api_retries_total", "Retried Genesys Cloud API requests by endpoint and reason.");
  for (const auto& [key, n] : h.api_retries) {
    retries.Add({{"endpoint", key.first}, {"reason", key.second}}, static_cast<double>(n));
  }
  retries.MoveTo(out);

  auto remaining = Gauge("genesys_api_rate_limit_remaining",
                         "Requests left in the current rate-limit window, from the inin-ratelimit-* headers or else "
                         "the client-side budget.");
  if (h.rate_limit_remaining) remaining.Add({}, *h.rate_limit_remaining);
  remaining.MoveTo(out);

  Counter("genesys_oauth_token_requests_total", "OAuth client-credentials token requests.")
      .Add({}, static_cast<double>(h.oauth_requests))
      .MoveTo(out);
  Counter("genesys_oauth_token_failures_total", "Failed OAuth client-credentials token requests.")
      .Add({}, static_cast<double>(h.oauth_failures))
      .MoveTo(out);
  auto expiry = Gauge("genesys_oauth_token_expiry_timestamp_seconds", "Expiry of the current OAuth access token.");
  if (h.oauth_token_expiry) expiry.Add({}, ToSeconds(*h.oauth_token_expiry));
  expiry.MoveTo(out);
}

}  // namespace gx
