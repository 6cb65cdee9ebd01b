#include "exporter/outputs/webhook/webhook_sender.h"

#include <httplib.h>

#include <ctime>

namespace gx {
namespace {

struct UrlParts {
  std::string origin;  // scheme://host:port
  std::string path;
};

UrlParts SplitUrl(const std::string& url) {
  const auto scheme_end = url.find("://");
  const auto path_start = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  if (path_start == std::string::npos) return {url, "/"};
  return {url.substr(0, path_start), url.substr(path_start)};
}

}  // namespace

std::optional<double> ParseRetryAfter(const std::string& value, UnixNanos now) {
  if (value.empty()) return std::nullopt;
  if (value.find_first_not_of("0123456789") == std::string::npos) {
    try {
      return std::stod(value);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  std::tm tm{};
  if (!strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S", &tm)) return std::nullopt;
  const double at = static_cast<double>(timegm(&tm));
  return std::max(0.0, at - ToSeconds(now));
}

SendResult PostWebhook(const std::string& url, const std::string& body, const HeaderList& headers,
                       Seconds timeout, const std::string& ca_file, UnixNanos now) {
  SendResult r;
  const UrlParts parts = SplitUrl(url);
  httplib::Client client(parts.origin);
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
  auto res = client.Post(parts.path, h, body, "application/json");
  if (!res) {
    r.error = httplib::to_string(res.error());
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
    if (res->has_header("Retry-After")) r.retry_after = ParseRetryAfter(res->get_header_value("Retry-After"), now);
  } else {
    r.outcome = SendResult::Outcome::kReject;
  }
  return r;
}

}  // namespace gx
