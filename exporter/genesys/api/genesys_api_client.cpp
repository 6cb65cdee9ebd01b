#include "exporter/genesys/api/genesys_api_client.h"

#include <algorithm>

#include "exporter/config/duration.h"
#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/util/retry_after.h"
#include "exporter/util/time_math.h"

namespace gx {
namespace {

// A short description of a non-2xx answer: status plus Genesys's error code/message.
std::string DescribeStatus(const HttpResult& res) {
  std::string out = "HTTP " + std::to_string(res.status);
  ApiErrorBody err;
  if (!res.body.empty() && ParseApiErrorBody(res.body, err).ok()) {
    if (!err.code.empty()) out += " code=" + err.code;
    if (!err.message.empty()) out += " message=\"" + err.message.substr(0, 200) + "\"";
  }
  return out;
}

}  // namespace

GenesysApiClient::GenesysApiClient(std::string api_base, HttpOptions http, RetryPolicy retry,
                                   TokenSource& tokens, RequestBudget& budget, HealthState& health,
                                   const Clock& clock, Sleeper& sleeper, std::function<double()> random01)
    : transport_(std::move(api_base), std::move(http)),
      retry_(retry),
      tokens_(tokens),
      budget_(budget),
      health_(health),
      clock_(clock),
      sleeper_(sleeper),
      jitter_(std::move(random01)) {}

ApiResponse GenesysApiClient::Get(const std::string& path, const std::string& endpoint) {
  return Send("GET", path, std::string(), endpoint);
}

void GenesysApiClient::WarnServerWaitCapped(const HttpResult& res, const std::string& header) {
  const std::string value = res.Header(header).substr(0, 40);
  log_.Warn("api:server-wait:" + header,
            "Genesys asked to hold every request back longer than the ceiling of a server-supplied wait "
            "(docs/api-budget.md); waiting the ceiling",
            {{"header", header}, {"value", value}, {"delay", FormatDuration(retry_.max_server_wait)}});
}

void GenesysApiClient::ReadRateLimitHeaders(const HttpResult& res, UnixNanos now) {
  const std::string allowed = res.Header("inin-ratelimit-allowed");
  const std::string count = res.Header("inin-ratelimit-count");
  const std::string reset = res.Header("inin-ratelimit-reset");
  const RateLimitReading reading = ReadRateLimit({allowed, count, reset});
  // The server-side window is used up: hold everything back until it resets rather
  // than collect a 429.
  if (reading.window_wait) {
    const ServerWait wait = ClampServerWait(*reading.window_wait, retry_.max_server_wait);
    if (wait.clamped) WarnServerWaitCapped(res, "inin-ratelimit-reset");
    budget_.BlockUntil(SaturatingAdd(now, wait.wait));
  }
  const std::optional<double> remaining = reading.remaining ? reading.remaining : budget_.available();
  health_.Update([&](HealthData& d) { d.rate_limit_remaining = remaining; });
}

ApiResponse GenesysApiClient::Send(const std::string& method, const std::string& path, const std::string& body,
                                   const std::string& endpoint) {
  ApiResponse out;
  bool reauthenticated = false;
  int retries = 0;
  for (int attempt = 0;; ++attempt) {
    auto token = tokens_.Token();
    if (!token) {
      health_.Update([](HealthData& d) { d.genesys_up = false; });
      out = ApiResponse{};
      const std::string why = tokens_.last_error();
      out.error = why.empty() ? "no OAuth token (authentication failed)" : "no OAuth token: " + why;
      return out;
    }
    if (!budget_.Acquire()) {
      out = ApiResponse{};
      out.error = "stopped";
      return out;
    }
    HttpRequest req;
    req.method = method;
    req.path = path;
    req.body = body;
    req.headers.emplace_back("Authorization", "Bearer " + *token);

    UnixNanos started = clock_.Now();
    HttpResult res = transport_.Send(req);
    UnixNanos finished = clock_.Now();
    double seconds = ToSeconds(std::max<UnixNanos>(0, finished - started));
    health_.RecordApiRequest(endpoint, res.status == 0 ? "error" : std::to_string(res.status), seconds, finished);
    if (res.status != 0) ReadRateLimitHeaders(res, finished);

    out = ApiResponse{};
    out.status = res.status;
    out.correlation_id = res.Header("inin-correlation-id");
    if (res.status >= 200 && res.status < 300) {
      out.body = std::move(res.body);
      health_.Update([](HealthData& d) { d.genesys_up = true; });
      return out;
    }
    out.error = res.status == 0 ? res.error_text : DescribeStatus(res);
    out.body = std::move(res.body);

    RetryReason reason = ClassifyAttempt(res.status, res.error);
    UnixNanos wait = 0;
    bool give_up = reason == RetryReason::kNone;
    if (reason == RetryReason::kUnauthorized) {
      // One re-authentication and one retry; a second 401 ends this call.
      tokens_.Invalidate(*token);
      give_up = reauthenticated;
      reauthenticated = true;
    } else if (!give_up) {
      give_up = retries + 1 >= retry_.max_attempts;
      if (reason == RetryReason::kRateLimited) {
        // A longer Retry-After than the ceiling ends the call (as the Go SDK does).
        const ServerWait asked = ParseRetryAfter(res.Header("retry-after"), finished, retry_.max_server_wait)
                                     .value_or(ClampServerWait(retry_.default_retry_after, retry_.max_server_wait));
        if (asked.clamped) {
          give_up = true;
          WarnServerWaitCapped(res, "retry-after");
        }
        // Block the whole budget, not just this caller: nobody sends before it passes.
        budget_.BlockUntil(SaturatingAdd(finished, asked.wait));
      } else {
        wait = BackoffDelay(retry_.backoff, retries, jitter_.Next());
      }
    }

    if (give_up) {
      bool auth_or_transport = res.status == 0 || res.status == 401 || res.status == 403 ||
                               (res.status >= 500 && res.status != 501);
      if (auth_or_transport) health_.Update([](HealthData& d) { d.genesys_up = false; });
      // 404 and 400 are answers the pollers handle (deleted entity, page size); keep them quiet.
      if (res.status != 404 && res.status != 400) {
        log_.Warn("api:" + endpoint + ":" + (res.status ? std::to_string(res.status) : res.error_text),
                  "Genesys API request failed",
                  {{"method", method},
                   {"endpoint", endpoint},
                   {"attempt", attempt + 1},
                   {"err", out.error},
                   {"correlation_id", out.correlation_id}});
      }
      return out;
    }
    if (reason != RetryReason::kUnauthorized) ++retries;
    health_.RecordApiRetry(endpoint, std::string(RetryReasonLabel(reason)));
    LogDebug("retrying a Genesys API request", {{"method", method},
                                                {"endpoint", endpoint},
                                                {"reason", RetryReasonLabel(reason)},
                                                {"attempt", attempt + 1},
                                                {"delay", FormatDuration(wait)},
                                                {"err", out.error},
                                                {"correlation_id", out.correlation_id}});
    if (wait > 0 && !sleeper_.SleepFor(wait)) {
      out.error = "stopped";
      return out;
    }
  }
}

}  // namespace gx
