// The OAuth client-credentials token shared by every poller and the
// notification listener: fetched from <login>/oauth/token with Basic auth,
// cached, refreshed a margin before expires_in runs out, one refresh at a time.
// Failures are logged with Genesys's error/error_description (never the secret
// or the token), counted, and pause further attempts briefly. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "exporter/genesys/api/api_client.h"
#include "exporter/genesys/api/http_transport.h"
#include "exporter/state/health_state.h"
#include "exporter/util/clock.h"
#include "exporter/util/logging.h"

namespace gx {

struct OAuthOptions {
  std::string client_id;
  std::string client_secret;
  UnixNanos max_refresh_margin = 60 * kNanosPerSecond;  // as the Go SDK; shorter for short tokens
  UnixNanos min_failure_backoff = 1 * kNanosPerSecond;
  UnixNanos max_failure_backoff = 60 * kNanosPerSecond;
};

// The longest token lifetime Genesys issues (accessTokenValiditySeconds is 300..172800 s):
// a longer expires_in is taken as this, so that a hostile or broken answer can neither
// overflow the expiry nor keep a token forever.
constexpr std::int64_t kMaxTokenLifetimeSeconds = 172800;

// expires_in (seconds) as a lifetime in nanoseconds, limited to [0, kMaxTokenLifetimeSeconds].
UnixNanos TokenLifetime(std::int64_t expires_in_s);

// How long before expiry a token of `expires_in_s` is refreshed: at most
// max_margin, at most a quarter of the lifetime.
UnixNanos RefreshMargin(std::int64_t expires_in_s, UnixNanos max_margin);

class OAuthTokenSource final : public TokenSource {
 public:
  OAuthTokenSource(std::string login_base, OAuthOptions options, HttpOptions http, HealthState& health,
                   const Clock& clock);

  std::optional<std::string> Token() override;
  void Invalidate(const std::string& rejected_token) override;
  std::uint64_t Generation() const override;
  std::optional<UnixNanos> RefreshAt() const override;

  // The last failure as logged (the URL, and the reason or error and error_description),
  // empty after a success.
  std::string last_error() const override;

 private:
  bool FreshLocked(UnixNanos now) const;
  void Fetch(UnixNanos now);  // with refresh_mu_ held

  HttpTransport transport_;
  const std::string token_url_;  // redacted, for messages
  OAuthOptions options_;
  HealthState& health_;
  const Clock& clock_;
  RateLimitedLog log_;

  std::mutex refresh_mu_;  // one refresh at a time; held across the HTTP request
  mutable std::mutex mu_;  // guards the fields below; never held across I/O
  std::string token_;
  UnixNanos refresh_at_ = 0;
  std::uint64_t generation_ = 0;
  UnixNanos retry_not_before_ = 0;
  UnixNanos failure_backoff_ = 0;
  std::string last_error_;
};

}  // namespace gx
