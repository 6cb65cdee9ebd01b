#include "simulator/token_store.h"

#include <openssl/rand.h>

#include <cstdio>

#include "exporter/util/time_math.h"

namespace gx::sim {

std::string TokenStore::Issue(const std::string& client_id, UnixNanos now, int lifetime_s) {
  unsigned char raw[24];
  if (RAND_bytes(raw, sizeof raw) != 1) {
    for (auto& b : raw) b = static_cast<unsigned char>(++counter_ * 131);
  }
  std::string token;
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (unsigned char b : raw) token.push_back(kAlphabet[b & 63]);
  std::lock_guard lock(mu_);
  Token t;
  t.client_id = client_id;
  t.expires = SaturatingAdd(now, SecondsToNanos(lifetime_s));
  tokens_[token] = t;
  return token;
}

TokenCheck TokenStore::Validate(const std::string& token, UnixNanos now) const {
  if (token.empty()) return TokenCheck::kMissing;
  std::lock_guard lock(mu_);
  auto it = tokens_.find(token);
  if (it == tokens_.end()) return TokenCheck::kUnknown;
  if (it->second.revoked) return TokenCheck::kRevoked;
  if (now >= it->second.expires) return TokenCheck::kExpired;
  return TokenCheck::kOk;
}

RateDecision TokenStore::Consume(const std::string& token, UnixNanos now, int limit) {
  std::lock_guard lock(mu_);
  RateDecision d;
  auto it = tokens_.find(token);
  if (it == tokens_.end()) return d;
  Token& t = it->second;
  if (t.window_count == 0 || now - t.window_start >= 60 * kNanosPerSecond) {
    t.window_start = now;
    t.window_count = 0;
  }
  ++t.window_count;
  d.count = t.window_count;
  d.allowed = t.window_count <= limit;
  UnixNanos left = t.window_start + 60 * kNanosPerSecond - now;
  d.reset_s = static_cast<int>((left + kNanosPerSecond - 1) / kNanosPerSecond);
  if (d.reset_s < 1) d.reset_s = 1;
  return d;
}

std::vector<std::string> TokenStore::RevokeAll() {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (auto& [k, t] : tokens_) {
    if (!t.revoked) {
      t.revoked = true;
      out.push_back(k);
    }
  }
  return out;
}

bool TokenStore::Revoke(const std::string& token) {
  std::lock_guard lock(mu_);
  auto it = tokens_.find(token);
  if (it == tokens_.end() || it->second.revoked) return false;
  it->second.revoked = true;
  return true;
}

size_t TokenStore::live_count(UnixNanos now) const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [k, t] : tokens_) n += (!t.revoked && now < t.expires);
  return n;
}

}  // namespace gx::sim
