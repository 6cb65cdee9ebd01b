#include "exporter/outputs/webhook/webhook_sender.h"

#include <httplib.h>

#include "exporter/util/http/http_failure.h"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <string_view>

#include "exporter/util/time_math.h"

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

std::optional<UnixNanos> ParseRetryAfter(const std::string& raw, UnixNanos now) {
  std::string_view value(raw);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    std::uint64_t seconds = 0;
    const auto r = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (r.ec == std::errc::result_out_of_range) return kMaxNanos;  // all digits: just very long
    if (r.ec != std::errc()) return std::nullopt;
    return SecondsToNanos(seconds);
  }
  std::tm tm{};
  const std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &tm);
  if (!end || std::string_view(end) != " GMT") return std::nullopt;
  const time_t at = timegm(&tm);
  if (at == static_cast<time_t>(-1)) return std::nullopt;
  return std::max<UnixNanos>(0, SaturatingSub(SecondsToNanos(static_cast<std::int64_t>(at)), now));
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
  const auto started = std::chrono::steady_clock::now();
  auto res = client.Post(parts.path, h, body, "application/json");
  if (!res) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    r.error = DescribeHttpFailure(res.error(), parts.origin, elapsed, timeout.count());
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
