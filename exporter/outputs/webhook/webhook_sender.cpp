#include "exporter/outputs/webhook/webhook_sender.h"

#include <httplib.h>

#include "exporter/util/http/http_failure.h"

#include <chrono>

#include "exporter/util/retry_after.h"
#include "exporter/util/time_math.h"
#include "exporter/util/url.h"

namespace gx {
SendResult PostWebhook(const std::string& url, const std::string& body, const HeaderList& headers,
                       Seconds timeout, const std::string& ca_file, UnixNanos now) {
  SendResult r;
  const Result<Url> parts = ParseUrl(url);  // checked at load (url_check); this is a backstop
  if (!parts) {
    r.outcome = SendResult::Outcome::kReject;
    r.error = "invalid URL";
    return r;
  }
  const std::string origin = parts->origin();
  httplib::Client client(origin);
  if (!client.is_valid()) {
    r.outcome = SendResult::Outcome::kReject;
    r.error = "invalid URL";
    return r;
  }
  const auto secs = static_cast<time_t>(timeout.count());
  const auto usecs = static_cast<time_t>((timeout.count() - static_cast<double>(secs)) * 1e6);
  client.set_connection_timeout(secs, usecs);
  client.set_read_timeout(secs, usecs);
  client.set_write_timeout(secs, usecs);
  client.enable_server_certificate_verification(true);
  if (!ca_file.empty()) client.set_ca_cert_path(ca_file.c_str());
  client.set_keep_alive(false);
  httplib::Headers h;
  for (const auto& [k, v] : headers) h.emplace(k, v);
  const auto started = std::chrono::steady_clock::now();
  auto res = client.Post(parts->target(), h, body, "application/json");
  if (!res) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    r.error = DescribeHttpFailure(res.error(), origin, elapsed, timeout.count());
    return r;
  }
  r.status = res->status;
  if (r.status >= 200 && r.status < 300) {
    r.outcome = SendResult::Outcome::kDelivered;
    return r;
  }
  r.error = "HTTP " + std::to_string(r.status);
  if (r.status == 408 || r.status == 429 || r.status >= 500) {
    r.outcome = SendResult::Outcome::kRetry;
    // Saturated here; ComputeRetryDelay clamps it to the receiver's max_backoff.
    if (res->has_header("Retry-After")) {
      if (const auto asked = ParseRetryAfter(res->get_header_value("Retry-After"), now, kMaxNanos)) {
        r.retry_after = asked->wait;
      }
    }
  } else {
    r.outcome = SendResult::Outcome::kReject;
  }
  return r;
}

}  // namespace gx
