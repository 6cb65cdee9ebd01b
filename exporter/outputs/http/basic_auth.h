// HTTP basic authentication against bcrypt hashes ($2a$, $2b$, $2y$), verified by the system's
// libcrypt (crypt_rn); bcrypt is not written here. The Authorization header is hostile input:
// bounded and decoded strictly. bcrypt is slow on purpose (about 70 ms at cost 10), so a
// successful check is cached (bounded, keyed by a keyed hash of user, stored hash and password:
// the password is never kept), one bcrypt runs at a time, and an unknown user spends one as a
// known user does, so that timing does not tell which users exist. The cache can be asked on
// its own (`Known`, never blocking), so that the server answers a cached scrape at once and
// runs the uncached checks on a bounded thread of their own. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "exporter/util/result.h"

namespace gx {

// Costs outside these are refused: each step doubles a check's time (cost 16 takes seconds,
// exporter-toolkit's 31 would take days), and below 4 is not bcrypt.
inline constexpr int kMinBcryptCost = 4;
inline constexpr int kMaxBcryptCost = 16;
// The longest Authorization header read; a longer one is refused unread.
inline constexpr std::size_t kMaxAuthorizationBytes = 4096;

// Ok when `hash` is a bcrypt hash this can verify, else why not (never showing the hash).
Status CheckBcryptHash(std::string_view hash);

struct BasicCredentials {
  std::string user;
  std::string password;
};

// "Basic <base64 of user:password>" (the scheme in any case, as Go's Request.BasicAuth). Nullopt
// when absent, longer than kMaxAuthorizationBytes, not canonical base64, or without a colon.
std::optional<BasicCredentials> ParseBasicAuthorization(std::string_view header);

// The bcrypt checks of every policy built from the web config, reloads included: one cache
// (whose keys include the stored hash, so a changed password is a miss) and one bcrypt at a time.
class BcryptChecker {
 public:
  struct Options {
    std::size_t cache_entries = 100;  // as exporter-toolkit's cache
    // Checks that may wait for bcrypt at once; more are refused without hashing, so that a
    // flood of wrong passwords holds at most this many server threads.
    std::size_t max_waiting = 4;
  };
  BcryptChecker();
  explicit BcryptChecker(Options options);
  ~BcryptChecker();
  BcryptChecker(const BcryptChecker&) = delete;
  BcryptChecker& operator=(const BcryptChecker&) = delete;

  // Whether `password` matches `hash`, from the cache or with bcrypt (a match is cached). A
  // cache miss takes a bcrypt's time: call it where a thread may block that long.
  bool Matches(std::string_view user, std::string_view hash, std::string_view password);
  // Whether Matches would answer true from the cache, without bcrypt: cheap, never blocks.
  bool Known(std::string_view user, std::string_view hash, std::string_view password) const;
  // Runs bcrypt of `password` against `hash` and forgets the result: the time of a check.
  void Spend(std::string_view hash, std::string_view password);

  std::uint64_t bcrypt_runs() const;  // how many times bcrypt ran (tests, benchmarks)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A WebPolicy's `authorize` and `quick_check` for `users` (user -> bcrypt hash, at least one).
struct BasicAuthorizer {
  std::function<bool(std::string_view authorization)> authorize;  // may take a bcrypt's time
  std::function<std::optional<bool>(std::string_view authorization)> quick_check;  // no bcrypt
};
BasicAuthorizer MakeBasicAuthorizer(std::map<std::string, std::string> users, std::shared_ptr<BcryptChecker> checker);

}  // namespace gx
