// Token lifetimes: the expiry saturates instead of wrapping into the past.
#include "simulator/token_store.h"

#include <gtest/gtest.h>

#include <limits>

#include "exporter/util/time_math.h"

namespace gx::sim {
namespace {

TEST(TokenStoreTest, LifetimeIsHonoured) {
  TokenStore store;
  const std::string t = store.Issue("client", 0, 60);
  EXPECT_EQ(store.Validate(t, 59 * kNanosPerSecond), TokenCheck::kOk);
  EXPECT_EQ(store.Validate(t, 60 * kNanosPerSecond), TokenCheck::kExpired);
}

TEST(TokenStoreTest, ExpirySaturatesInsteadOfWrapping) {
  TokenStore store;
  const UnixNanos late = kMaxNanos - 3600 * kNanosPerSecond;
  const std::string t = store.Issue("client", late, std::numeric_limits<int>::max());
  EXPECT_EQ(store.Validate(t, late + kNanosPerSecond), TokenCheck::kOk);
  EXPECT_EQ(store.live_count(late), 1u);
}

}  // namespace
}  // namespace gx::sim
