#include "exporter/outputs/http/basic_auth.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstring>
#include <deque>
#include <mutex>
#include <unordered_set>

#include "exporter/util/base64.h"

namespace gx {
namespace {

constexpr std::size_t kBcryptHashLength = 60;  // "$2b$10$" + 22 salt + 31 hash characters

bool IsBcryptChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '/';
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

}  // namespace

Status CheckBcryptHash(std::string_view h) {
  const bool shape = h.size() == kBcryptHashLength && h[0] == '$' && h[1] == '2' &&
                     (h[2] == 'a' || h[2] == 'b' || h[2] == 'y') && h[3] == '$' && std::isdigit(h[4]) &&
                     std::isdigit(h[5]) && h[6] == '$' &&
                     std::all_of(h.begin() + 7, h.end(), [](char c) { return IsBcryptChar(c); });
  if (!shape) {
    return Status::Error(
        "not a bcrypt hash (want $2y$, $2b$ or $2a$, the cost and 53 characters, as htpasswd -nB makes; "
        "the value is not shown)");
  }
  const int cost = (h[4] - '0') * 10 + (h[5] - '0');
  if (cost < kMinBcryptCost || cost > kMaxBcryptCost) {
    return Status::Error("bcrypt cost " + std::to_string(cost) + " is outside " + std::to_string(kMinBcryptCost) +
                         ".." + std::to_string(kMaxBcryptCost) +
                         " (each step doubles the time of a check; 10 takes about 70 ms)");
  }
  return Status::Ok();
}

std::optional<BasicCredentials> ParseBasicAuthorization(std::string_view header) {
  constexpr std::string_view kScheme = "Basic ";
  if (header.size() > kMaxAuthorizationBytes || header.size() < kScheme.size() ||
      !EqualsIgnoreCase(header.substr(0, kScheme.size()), kScheme)) {
    return std::nullopt;
  }
  std::optional<std::string> decoded = DecodeBase64Strict(header.substr(kScheme.size()));
  if (!decoded) return std::nullopt;
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) {
    OPENSSL_cleanse(decoded->data(), decoded->size());
    return std::nullopt;
  }
  BasicCredentials c{decoded->substr(0, colon), decoded->substr(colon + 1)};
  OPENSSL_cleanse(decoded->data(), decoded->size());
  return c;
}

struct BcryptChecker::Impl {
  Options options;
  unsigned char key[32];  // of the cache's keyed hashes; random per process
  mutable std::mutex cache_mu;
  std::unordered_set<std::string> cached;
  std::deque<std::string> order;  // oldest first, evicted first
  std::mutex bcrypt_mu;           // one bcrypt at a time: it takes a core for its whole run
  std::atomic<std::size_t> waiting{0};
  std::atomic<std::uint64_t> runs{0};
  crypt_data data;  // 32 KiB of crypt_rn's scratch space, used under bcrypt_mu

  std::string CacheKey(std::string_view user, std::string_view hash, std::string_view password) const {
    std::string message;
    message.reserve(3 * sizeof(std::uint32_t) + user.size() + hash.size() + password.size());  // never moves
    for (std::string_view part : {user, hash, password}) {
      const auto n = static_cast<std::uint32_t>(part.size());
      message.append(reinterpret_cast<const char*>(&n), sizeof n).append(part);
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key, sizeof key, reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac,
         &len);
    OPENSSL_cleanse(message.data(), message.size());
    return std::string(reinterpret_cast<const char*>(mac), len);
  }

  // bcrypt itself; nullopt when the wait is full (nothing was hashed).
  std::optional<bool> Bcrypt(std::string_view hash, std::string_view password) {
    // A password with a NUL byte would be cut short by crypt: it can never be the real one.
    const bool has_nul = password.find('\0') != std::string_view::npos;
    if (waiting.fetch_add(1) >= options.max_waiting) {
      waiting.fetch_sub(1);
      return std::nullopt;
    }
    const std::string phrase(has_nul ? std::string_view("\x01") : password);
    const std::string setting(hash);
    bool match = false;
    {
      std::lock_guard lock(bcrypt_mu);
      ++runs;
      std::memset(&data, 0, sizeof data);
      const char* out = crypt_rn(phrase.c_str(), setting.c_str(), &data, sizeof data);
      match = out != nullptr && std::strlen(out) == setting.size() &&
              CRYPTO_memcmp(out, setting.data(), setting.size()) == 0 && !has_nul;
      OPENSSL_cleanse(&data, sizeof data);
    }
    OPENSSL_cleanse(const_cast<char*>(phrase.data()), phrase.size());
    waiting.fetch_sub(1);
    return match;
  }
};

BcryptChecker::BcryptChecker() : BcryptChecker(Options{}) {}

BcryptChecker::BcryptChecker(Options options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  if (RAND_bytes(impl_->key, sizeof impl_->key) != 1) {
    // Without randomness the keys are still unique per (user, hash, password); only their
    // secrecy in a memory dump is lost.
    std::memset(impl_->key, 0, sizeof impl_->key);
  }
}

BcryptChecker::~BcryptChecker() { OPENSSL_cleanse(impl_->key, sizeof impl_->key); }

bool BcryptChecker::Known(std::string_view user, std::string_view hash, std::string_view password) const {
  const std::string key = impl_->CacheKey(user, hash, password);
  std::lock_guard lock(impl_->cache_mu);
  return impl_->cached.count(key) != 0;
}

bool BcryptChecker::Matches(std::string_view user, std::string_view hash, std::string_view password) {
  const std::string key = impl_->CacheKey(user, hash, password);
  {
    std::lock_guard lock(impl_->cache_mu);
    if (impl_->cached.count(key)) return true;
  }
  if (impl_->Bcrypt(hash, password) != true) return false;
  std::lock_guard lock(impl_->cache_mu);
  if (impl_->options.cache_entries == 0 || !impl_->cached.insert(key).second) return true;
  impl_->order.push_back(key);
  while (impl_->order.size() > impl_->options.cache_entries) {
    impl_->cached.erase(impl_->order.front());
    impl_->order.pop_front();
  }
  return true;
}

void BcryptChecker::Spend(std::string_view hash, std::string_view password) { (void)impl_->Bcrypt(hash, password); }

std::uint64_t BcryptChecker::bcrypt_runs() const { return impl_->runs.load(); }

BasicAuthorizer MakeBasicAuthorizer(std::map<std::string, std::string> users, std::shared_ptr<BcryptChecker> checker) {
  // An unknown user spends a bcrypt of a configured user's hash, at that user's cost.
  const std::string decoy = users.empty() ? std::string() : users.begin()->second;
  auto shared_users = std::make_shared<const std::map<std::string, std::string>>(std::move(users));
  BasicAuthorizer out;
  out.authorize = [users = shared_users, checker, decoy](std::string_view authorization) {
    std::optional<BasicCredentials> c = ParseBasicAuthorization(authorization);
    if (!c) return false;
    bool ok = false;
    if (auto it = users->find(c->user); it != users->end()) {
      ok = checker->Matches(c->user, it->second, c->password);
    } else if (!decoy.empty()) {
      checker->Spend(decoy, c->password);
    }
    OPENSSL_cleanse(c->password.data(), c->password.size());
    return ok;
  };
  // A cached password is let in, a header that is no credentials is refused; the rest
  // (unknown users included, for their decoy bcrypt) need `authorize`.
  out.quick_check = [users = shared_users, checker](std::string_view authorization) -> std::optional<bool> {
    std::optional<BasicCredentials> c = ParseBasicAuthorization(authorization);
    if (!c) return false;
    auto it = users->find(c->user);
    const bool cached = it != users->end() && checker->Known(c->user, it->second, c->password);
    OPENSSL_cleanse(c->password.data(), c->password.size());
    if (cached) return true;
    return std::nullopt;
  };
  return out;
}

}  // namespace gx
