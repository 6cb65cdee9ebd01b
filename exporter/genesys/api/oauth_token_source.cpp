#include "exporter/genesys/api/oauth_token_source.h"

#include <algorithm>

#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/util/url_redact.h"
#include "exporter/util/base64.h"
#include "exporter/util/time_math.h"

namespace gx {

UnixNanos TokenLifetime(std::int64_t expires_in_s) {
  return SecondsToNanos(std::clamp<std::int64_t>(expires_in_s, 0, kMaxTokenLifetimeSeconds));
}

UnixNanos RefreshMargin(std::int64_t expires_in_s, UnixNanos max_margin) {
  return std::min(max_margin, TokenLifetime(expires_in_s) / 4);
}

OAuthTokenSource::OAuthTokenSource(std::string login_base, OAuthOptions options, HttpOptions http,
                                   HealthState& health, const Clock& clock)
    : transport_(login_base, std::move(http)),
      token_url_(RedactUrl(login_base + "/oauth/token")),
      options_(std::move(options)),
      health_(health),
      clock_(clock) {}

bool OAuthTokenSource::FreshLocked(UnixNanos now) const { return !token_.empty() && now < refresh_at_; }

std::optional<std::string> OAuthTokenSource::Token() {
  UnixNanos now = clock_.Now();
  {
    std::lock_guard lock(mu_);
    if (FreshLocked(now)) return token_;
  }
  std::lock_guard refresh(refresh_mu_);
  now = clock_.Now();
  {
    std::lock_guard lock(mu_);
    if (FreshLocked(now)) return token_;  // another caller refreshed while we waited
    if (now < retry_not_before_) return std::nullopt;
  }
  Fetch(now);
  std::lock_guard lock(mu_);
  if (!token_.empty()) return token_;
  return std::nullopt;
}

void OAuthTokenSource::Fetch(UnixNanos now) {
  HttpRequest req;
  req.method = "POST";
  req.path = "/oauth/token";
  req.headers.emplace_back("Authorization", "Basic " + Base64Encode(options_.client_id + ":" + options_.client_secret));
  req.content_type = "application/x-www-form-urlencoded";
  req.body = "grant_type=client_credentials";

  health_.Update([](HealthData& d) { ++d.oauth_requests; });
  HttpResult res = transport_.Send(req);

  std::string failure;
  OAuthToken tok;
  if (res.status == 200) {
    Status st = ParseOAuthToken(res.body, tok);
    if (!st.ok()) {
      failure = "unreadable token response from " + token_url_ + ": " + st.error();
    } else if (tok.access_token.empty()) {
      failure = "token response from " + token_url_ + " without access_token";
    }
  } else if (res.status == 0) {
    failure = "token request to " + token_url_ + " failed: " + res.error_text;
  } else {
    ApiErrorBody err;
    (void)ParseApiErrorBody(res.body, err);  // best effort; fields may stay empty
    failure = "token request to " + token_url_ + " answered HTTP " + std::to_string(res.status);
    if (!err.error.empty()) failure += " error=" + err.error;
    if (!err.error_description.empty()) failure += " error_description=\"" + err.error_description + "\"";
    if (err.error.empty() && !err.message.empty()) failure += " message=\"" + err.message + "\"";
  }

  if (!failure.empty()) {
    UnixNanos backoff;
    {
      std::lock_guard lock(mu_);
      token_.clear();
      refresh_at_ = 0;
      failure_backoff_ = failure_backoff_ == 0 ? options_.min_failure_backoff
                                               : std::min(options_.max_failure_backoff, failure_backoff_ * 2);
      backoff = failure_backoff_;
      retry_not_before_ = SaturatingAdd(now, backoff);
      last_error_ = failure;
    }
    health_.Update([&](HealthData& d) {
      ++d.oauth_failures;
      d.genesys_up = false;
      d.oauth_token_expiry.reset();
      d.oauth_last_failure = {failure, now};
    });
    std::string cid = res.Header("inin-correlation-id");
    log_.Error("oauth:" + failure, "OAuth client-credentials authentication failed",
               {{"client_id", options_.client_id}, {"err", failure}, {"correlation_id", cid}});
    return;
  }

  if (tok.expires_in > kMaxTokenLifetimeSeconds) {
    log_.Warn("oauth:expires_in", "OAuth token lifetime is longer than Genesys issues; refreshing earlier",
              {{"expires_in", tok.expires_in}, {"refresh_after", std::to_string(kMaxTokenLifetimeSeconds) + "s"}});
  }
  UnixNanos expiry = SaturatingAdd(now, TokenLifetime(tok.expires_in));
  UnixNanos refresh_at = SaturatingSub(expiry, RefreshMargin(tok.expires_in, options_.max_refresh_margin));
  bool recovered;
  {
    std::lock_guard lock(mu_);
    recovered = !last_error_.empty();
    token_ = std::move(tok.access_token);
    refresh_at_ = refresh_at;
    ++generation_;
    failure_backoff_ = 0;
    retry_not_before_ = 0;
    last_error_.clear();
  }
  health_.Update([&](HealthData& d) { d.oauth_token_expiry = expiry; });
  if (recovered) LogInfo("OAuth authentication succeeded again");
  LogDebug("OAuth token obtained", {{"expires_in", tok.expires_in}});
}

void OAuthTokenSource::Invalidate(const std::string& rejected_token) {
  std::lock_guard lock(mu_);
  if (!token_.empty() && token_ == rejected_token) {
    token_.clear();
    refresh_at_ = 0;
  }
}

std::uint64_t OAuthTokenSource::Generation() const {
  std::lock_guard lock(mu_);
  return generation_;
}

std::optional<UnixNanos> OAuthTokenSource::RefreshAt() const {
  std::lock_guard lock(mu_);
  if (token_.empty()) return std::nullopt;
  return refresh_at_;
}

std::string OAuthTokenSource::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

}  // namespace gx
