// OAuth client-credentials tokens and the per-token rate-limit window. Thread-safe (one mutex).
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "exporter/util/clock.h"

namespace gx::sim {

// Genesys allows OAuth token lifetimes up to 48 h (docs/genesys-api.md).
constexpr int kMaxTokenLifetimeS = 172800;

enum class TokenCheck { kOk, kMissing, kUnknown, kExpired, kRevoked };

struct RateDecision {
  bool allowed = true;
  int count = 0;     // requests counted in the current window, this one included
  int reset_s = 60;  // seconds until the window resets
};

class TokenStore {
 public:
  std::string Issue(const std::string& client_id, UnixNanos now, int lifetime_s);
  TokenCheck Validate(const std::string& token, UnixNanos now) const;
  // Counts one request in the token's 60 s fixed window; rejected requests count too.
  RateDecision Consume(const std::string& token, UnixNanos now, int limit_per_minute);
  // Revokes every live token; returns them.
  std::vector<std::string> RevokeAll();
  bool Revoke(const std::string& token);
  size_t live_count(UnixNanos now) const;

 private:
  struct Token {
    std::string client_id;
    UnixNanos expires = 0;
    bool revoked = false;
    UnixNanos window_start = 0;
    int window_count = 0;
  };
  mutable std::mutex mu_;
  std::unordered_map<std::string, Token> tokens_;
  unsigned long long counter_ = 0;
};

}  // namespace gx::sim
