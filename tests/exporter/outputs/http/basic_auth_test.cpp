#include "exporter/outputs/http/basic_auth.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "exporter/util/base64.h"
#include "tests/exporter/outputs/http/bcrypt_hashes.h"
#include "tests/exporter/util/freed_memory_probe.h"

namespace gx {
namespace {

std::string Basic(const std::string& user_password) { return "Basic " + Base64Encode(user_password); }

// The hash exporter-toolkit uses for unknown users: bcrypt("fakepassword") made by Go's bcrypt.
constexpr const char* kGoHash = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";

TEST(CheckBcryptHash, AcceptsTheThreePrefixesAndBoundsTheCost) {
  EXPECT_TRUE(CheckBcryptHash(kGoHash).ok());
  EXPECT_TRUE(CheckBcryptHash(testing::LibcryptBcrypt("pw", 4, "$2b$")).ok());
  EXPECT_TRUE(CheckBcryptHash(testing::LibcryptBcrypt("pw", 4, "$2a$")).ok());
  EXPECT_TRUE(CheckBcryptHash(testing::LibcryptBcrypt("pw", 4, "$2y$")).ok());
  const std::string shape =
      "not a bcrypt hash (want $2y$, $2b$ or $2a$, the cost and 53 characters, as htpasswd -nB makes; the value "
      "is not shown)";
  EXPECT_EQ(CheckBcryptHash("doe").error(), shape);
  EXPECT_EQ(CheckBcryptHash("").error(), shape);
  EXPECT_EQ(CheckBcryptHash(std::string(kGoHash).substr(0, 59)).error(), shape);
  EXPECT_EQ(CheckBcryptHash(std::string(kGoHash) + "x").error(), shape);
  EXPECT_EQ(CheckBcryptHash("$2x$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi").error(), shape);
  EXPECT_EQ(CheckBcryptHash("$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeS!").error(), shape);
  EXPECT_EQ(CheckBcryptHash("$1$abcdefgh$abcdefghijklmnopqrstuv").error(), shape);  // MD5-crypt
  EXPECT_EQ(CheckBcryptHash("$2y$17$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi").error(),
            "bcrypt cost 17 is outside 4..16 (each step doubles the time of a check; 10 takes about 70 ms)");
  EXPECT_EQ(CheckBcryptHash("$2y$03$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi").error(),
            "bcrypt cost 3 is outside 4..16 (each step doubles the time of a check; 10 takes about 70 ms)");
}

TEST(ParseBasicAuthorization, ReadsUserAndPassword) {
  auto c = ParseBasicAuthorization(Basic("alice:s3cr:et"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->user, "alice");
  EXPECT_EQ(c->password, "s3cr:et");  // split at the first colon
  ASSERT_TRUE(ParseBasicAuthorization("basic " + Base64Encode("a:b")));  // the scheme in any case
  ASSERT_TRUE(ParseBasicAuthorization("BASIC " + Base64Encode("a:b")));
  c = ParseBasicAuthorization(Basic(":"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->user, "");
  EXPECT_EQ(c->password, "");
}

TEST(ParseBasicAuthorization, RefusesWhatIsNotStrictBasic) {
  for (const std::string& bad : {
           std::string(""),
           std::string("Basic"),
           std::string("Basic "),
           "Bearer " + Base64Encode("a:b"),
           "Basic  " + Base64Encode("a:b"),  // two spaces
           "Basic " + Base64Encode("a:b") + " ",
           "Basic " + Base64Encode("no colon"),
           std::string("Basic YTpiYw"),    // unpadded "a:bc"
           std::string("Basic YTpiYx=="),  // unused bits set
       }) {
    EXPECT_FALSE(ParseBasicAuthorization(bad)) << bad;
  }
}

TEST(ParseBasicAuthorization, AHeaderLongerThanTheBoundIsRefusedUnread) {
  const std::string user_password = "u:" + std::string(3100, 'p');
  const std::string header = Basic(user_password);
  ASSERT_GT(header.size(), kMaxAuthorizationBytes);
  EXPECT_FALSE(ParseBasicAuthorization(header));
  const std::string fits = Basic("u:" + std::string(3000 - 1000, 'p'));
  ASSERT_LE(fits.size(), kMaxAuthorizationBytes);
  EXPECT_TRUE(ParseBasicAuthorization(fits));
}

TEST(BcryptChecker, VerifiesHashesOfThreeImplementations) {
  BcryptChecker checker;
  EXPECT_TRUE(checker.Matches("u", kGoHash, "fakepassword"));
  EXPECT_FALSE(checker.Matches("u", kGoHash, "fakepassworD"));
  const std::string htpasswd = testing::HtpasswdBcrypt("correct horse", 5);
  ASSERT_EQ(htpasswd.substr(0, 7), "$2y$05$");
  EXPECT_TRUE(checker.Matches("u", htpasswd, "correct horse"));
  EXPECT_FALSE(checker.Matches("u", htpasswd, "correct horsf"));
  const std::string libcrypt = testing::LibcryptBcrypt("tr0ub4dor&3", 4);
  EXPECT_TRUE(checker.Matches("u", libcrypt, "tr0ub4dor&3"));
  EXPECT_FALSE(checker.Matches("u", libcrypt, ""));
}

TEST(BcryptChecker, CachesMatchesOnly) {
  BcryptChecker checker;
  const std::string hash = testing::LibcryptBcrypt("right", 4);
  EXPECT_TRUE(checker.Matches("u", hash, "right"));
  EXPECT_EQ(checker.bcrypt_runs(), 1u);
  EXPECT_TRUE(checker.Matches("u", hash, "right"));
  EXPECT_TRUE(checker.Matches("u", hash, "right"));
  EXPECT_EQ(checker.bcrypt_runs(), 1u);  // scrapes after the first are cheap
  EXPECT_FALSE(checker.Matches("u", hash, "wrong"));
  EXPECT_FALSE(checker.Matches("u", hash, "wrong"));
  EXPECT_EQ(checker.bcrypt_runs(), 3u);  // a wrong password pays bcrypt every time
  // The key covers the user and the stored hash: neither a cached password of another user
  // nor one of a replaced hash matches for free.
  EXPECT_TRUE(checker.Matches("v", hash, "right"));
  EXPECT_EQ(checker.bcrypt_runs(), 4u);
  const std::string replaced = testing::LibcryptBcrypt("other", 4);
  EXPECT_FALSE(checker.Matches("u", replaced, "right"));
  EXPECT_EQ(checker.bcrypt_runs(), 5u);
}

TEST(BcryptChecker, TheCacheIsBounded) {
  BcryptChecker checker(BcryptChecker::Options{.cache_entries = 2, .max_waiting = 4});
  const std::string hash = testing::LibcryptBcrypt("pw", 4);
  for (const char* user : {"a", "b", "c"}) EXPECT_TRUE(checker.Matches(user, hash, "pw"));
  EXPECT_EQ(checker.bcrypt_runs(), 3u);
  EXPECT_TRUE(checker.Matches("c", hash, "pw"));
  EXPECT_TRUE(checker.Matches("b", hash, "pw"));
  EXPECT_EQ(checker.bcrypt_runs(), 3u);
  EXPECT_TRUE(checker.Matches("a", hash, "pw"));  // the oldest was evicted
  EXPECT_EQ(checker.bcrypt_runs(), 4u);
}

TEST(BcryptChecker, APasswordWithANulByteNeverMatches) {
  BcryptChecker checker;
  const std::string hash = testing::LibcryptBcrypt("abc", 4);
  EXPECT_FALSE(checker.Matches("u", hash, std::string("abc\0def", 7)));  // crypt would see "abc"
  EXPECT_EQ(checker.bcrypt_runs(), 1u);  // and it still costs a hash
}

TEST(BcryptChecker, ChecksBeyondTheWaitingBoundAreRefusedWithoutHashing) {
  BcryptChecker none(BcryptChecker::Options{.cache_entries = 100, .max_waiting = 0});
  EXPECT_FALSE(none.Matches("u", testing::LibcryptBcrypt("pw", 4), "pw"));
  EXPECT_EQ(none.bcrypt_runs(), 0u);

  BcryptChecker checker(BcryptChecker::Options{.cache_entries = 100, .max_waiting = 1});
  const std::string slow = testing::LibcryptBcrypt("pw", 12);  // a few hundred ms
  // The second check must come while the first one's bcrypt runs; if the scheduler lets the
  // first one end before, the round says nothing and is tried again.
  bool overlapped = false;
  for (int round = 0; round < 5 && !overlapped; ++round) {
    const std::string user = "u" + std::to_string(round);
    const std::uint64_t runs = checker.bcrypt_runs();
    std::atomic<bool> first_done{false};
    std::thread first([&] {
      EXPECT_TRUE(checker.Matches(user, slow, "pw"));
      first_done = true;
    });
    while (checker.bcrypt_runs() == runs) std::this_thread::yield();
    const bool second = checker.Matches("other" + user, slow, "pw");
    overlapped = !first_done;
    first.join();
    if (overlapped) {
      EXPECT_FALSE(second);
      EXPECT_EQ(checker.bcrypt_runs(), runs + 1);  // refused without hashing
    }
  }
  EXPECT_TRUE(overlapped);
  EXPECT_TRUE(checker.Matches("v", slow, "pw"));  // once free, checks run again
}

TEST(BasicAuthorizer, AllowsTheRightPasswordOnly) {
  auto checker = std::make_shared<BcryptChecker>();
  auto authorize = MakeBasicAuthorizer({{"alice", testing::LibcryptBcrypt("a-pw", 4)},
                                        {"bob", testing::HtpasswdBcrypt("b-pw", 4)}},
                                       checker)
                       .authorize;
  EXPECT_TRUE(authorize(Basic("alice:a-pw")));
  EXPECT_TRUE(authorize(Basic("bob:b-pw")));
  EXPECT_FALSE(authorize(Basic("alice:b-pw")));
  EXPECT_FALSE(authorize(Basic("bob:a-pw")));
  EXPECT_FALSE(authorize(""));
  EXPECT_FALSE(authorize("Basic !!!!"));
  EXPECT_FALSE(authorize(Basic("ALICE:a-pw")));  // user names are exact
}

TEST(BasicAuthorizer, AnUnknownUserSpendsABcrypt) {
  auto checker = std::make_shared<BcryptChecker>();
  auto authorize = MakeBasicAuthorizer({{"alice", testing::LibcryptBcrypt("a-pw", 4)}}, checker).authorize;
  EXPECT_FALSE(authorize(Basic("mallory:a-pw")));  // alice's password, another name
  EXPECT_EQ(checker->bcrypt_runs(), 1u);
  EXPECT_FALSE(authorize(Basic("mallory:a-pw")));
  EXPECT_EQ(checker->bcrypt_runs(), 2u);  // never cached
  // A malformed header is refused before any user is looked up: nothing to time.
  EXPECT_FALSE(authorize("Basic x"));
  EXPECT_EQ(checker->bcrypt_runs(), 2u);
}

TEST(BasicAuthorizer, TheQuickCheckNeverHashes) {
  auto checker = std::make_shared<BcryptChecker>();
  const BasicAuthorizer auth = MakeBasicAuthorizer({{"alice", testing::LibcryptBcrypt("a-pw", 4)}}, checker);
  EXPECT_EQ(auth.quick_check(Basic("alice:a-pw")), std::nullopt);  // not checked yet
  EXPECT_TRUE(auth.authorize(Basic("alice:a-pw")));
  EXPECT_EQ(auth.quick_check(Basic("alice:a-pw")), true);  // cached
  EXPECT_EQ(auth.quick_check(Basic("alice:wrong")), std::nullopt);
  EXPECT_EQ(auth.quick_check(Basic("mallory:a-pw")), std::nullopt);  // an unknown user spends a bcrypt too
  EXPECT_EQ(auth.quick_check(""), false);                              // no credentials
  EXPECT_EQ(auth.quick_check("Basic !!!!"), false);
  EXPECT_EQ(checker->bcrypt_runs(), 1u);
}

// Every buffer of ours that held the password (decoded header, cache key, bcrypt's input) is
// wiped before it is freed: right, wrong and unknown-user checks alike.
TEST(BasicAuthorizer, ThePasswordIsWipedFromEveryBufferThatHeldIt) {
  const std::string password = "a-password-longer-than-a-small-string-0123456789";
  auto checker = std::make_shared<BcryptChecker>();
  const BasicAuthorizer auth = MakeBasicAuthorizer({{"alice", testing::LibcryptBcrypt(password, 4)}}, checker);
  const std::string right = Basic("alice:" + password);
  const std::string wrong = Basic("alice:" + password + "x");
  const std::string unknown = Basic("mallory:" + password);
  const std::string malformed = right.substr(0, right.size() - 4) + "!!!!";
  testing::FreedMemoryProbe probe(password);
  EXPECT_EQ(auth.quick_check(right), std::nullopt);
  EXPECT_TRUE(auth.authorize(right));
  EXPECT_EQ(auth.quick_check(right), true);
  EXPECT_FALSE(auth.authorize(wrong));
  EXPECT_FALSE(auth.authorize(unknown));
  EXPECT_FALSE(auth.authorize(malformed));
  EXPECT_EQ(probe.hits(), 0u) << "freed memory still held the password";
}

}  // namespace
}  // namespace gx
