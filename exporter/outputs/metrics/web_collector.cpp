// The exporter's own web server: open connections against the cap, and why connections were
// refused or closed. A pure view of HealthData, which the web server keeps current.
#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/family_builder.h"

namespace gx {

void CollectWeb(const CollectInput& in, MetricFamilies& out) {
  const WebHealth& w = in.health.web;
  if (!w.serving) return;
  Gauge("genesys_web_connections", "Open connections to the exporter's web endpoints.")
      .Add({}, static_cast<double>(w.open))
      .MoveTo(out);
  Gauge("genesys_web_max_connections",
        "The connection cap (--web.max-connections, at most half the open-file limit).")
      .Add({}, static_cast<double>(w.max_connections))
      .MoveTo(out);
  Counter("genesys_web_connections_accepted_total", "Connections accepted by the exporter's web server.")
      .Add({}, static_cast<double>(w.accepted))
      .MoveTo(out);
  auto count = [](const std::map<std::string, std::uint64_t>& by_reason, const char* reason) {
    auto it = by_reason.find(reason);
    return it == by_reason.end() ? 0.0 : static_cast<double>(it->second);
  };
  auto rejected = Counter("genesys_web_connections_rejected_total",
                          "Connections refused at once: max_connections (at the cap with every connection "
                          "answering a request) or accept_error.");
  for (const char* reason : kWebRejectReasons) rejected.Add({{"reason", reason}}, count(w.rejected, reason));
  rejected.MoveTo(out);
  auto closed = Counter("genesys_web_connections_closed_total",
                        "Connections closed, by reason: client, done, evicted (oldest idle, at the cap), "
                        "timeouts, tls_handshake, malformed, header_limit, body_limit, shutdown.");
  for (const char* reason : kWebCloseReasons) closed.Add({{"reason", reason}}, count(w.closed, reason));
  closed.MoveTo(out);
}

}  // namespace gx
