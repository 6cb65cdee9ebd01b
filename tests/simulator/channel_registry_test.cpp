// The channel registry's clock arithmetic: an expiry saturates instead of wrapping into
// the past, and a reported `expires` text is kept per channel.
#include "simulator/channel_registry.h"

#include <gtest/gtest.h>

#include "exporter/util/time_math.h"

namespace gx::sim {
namespace {

TEST(ChannelRegistryTest, ExpirySaturatesInsteadOfWrapping) {
  ChannelRegistry registry(20, 1000);
  const UnixNanos late = kMaxNanos - 3600 * kNanosPerSecond;
  const ChannelInfo c = registry.Create("token", "client", late, 86400);
  EXPECT_EQ(c.expires, kMaxNanos);
  EXPECT_TRUE(registry.Get(c.id, late + kNanosPerSecond));  // alive, not expired in 1677
  registry.SetLifetimeForAll(late, 1e10);
  EXPECT_EQ(registry.All().at(0).expires, kMaxNanos);
}

TEST(ChannelRegistryTest, ReportedExpiresIsTakenAtCreation) {
  ChannelRegistry registry(20, 1000);
  registry.SetReportedExpires("9999-12-31T23:59:59Z");
  const ChannelInfo hostile = registry.Create("token", "client", 0, 60);
  registry.SetReportedExpires("");
  const ChannelInfo honest = registry.Create("token", "client", 0, 60);
  EXPECT_EQ(hostile.reported_expires, "9999-12-31T23:59:59Z");
  EXPECT_EQ(hostile.expires, 60 * kNanosPerSecond);
  EXPECT_EQ(honest.reported_expires, "");
}

TEST(ChannelRegistryTest, CheckChannelLifetime) {
  EXPECT_TRUE(CheckChannelLifetime(86400).ok());
  EXPECT_TRUE(CheckChannelLifetime(0.5).ok());
  EXPECT_TRUE(CheckChannelLifetime(kMaxChannelLifetimeS).ok());
  for (double bad : {0.0, -1.0, kMaxChannelLifetimeS + 1, 1e10, std::nan("")}) {
    const Status checked = CheckChannelLifetime(bad);
    EXPECT_FALSE(checked.ok()) << bad;
    EXPECT_EQ(checked.error(), "must be > 0 and at most 172800 s (48 h)") << bad;
  }
}

}  // namespace
}  // namespace gx::sim
