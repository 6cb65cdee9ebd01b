// Cutting text to a receiver's limit: counted in characters or bytes, never inside a
// UTF-8 sequence, the ellipsis inside the limit.
#include "exporter/util/text_truncate.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

TEST(TextTruncateTest, CountsCodePoints) {
  EXPECT_EQ(CountChars(""), 0u);
  EXPECT_EQ(CountChars("abc"), 3u);
  EXPECT_EQ(CountChars("\xC3\xA9t\xC3\xA9"), 3u);          // été
  EXPECT_EQ(CountChars("\xF0\x9F\x94\xA5"), 1u);            // one emoji
}

TEST(TextTruncateTest, ShortTextIsKept) {
  EXPECT_EQ(TruncateChars("abc", 3), "abc");
  EXPECT_EQ(TruncateBytes("abc", 3), "abc");
}

TEST(TextTruncateTest, CutsToTheLimitWithTheEllipsisInside) {
  EXPECT_EQ(TruncateChars("abcdef", 4), "abc" + std::string(kEllipsis));
  EXPECT_EQ(CountChars(TruncateChars("abcdef", 4)), 4u);
  std::string euros;
  for (int i = 0; i < 10; ++i) euros += "\xE2\x82\xAC";
  const std::string cut = TruncateChars(euros, 5);
  EXPECT_EQ(CountChars(cut), 5u);
  EXPECT_EQ(cut, euros.substr(0, 12) + std::string(kEllipsis));
  // Bytes: 10 bytes hold two euros (6) plus the ellipsis (3), not a third euro's first byte.
  EXPECT_EQ(TruncateBytes(euros, 10), euros.substr(0, 6) + std::string(kEllipsis));
}

TEST(TextTruncateTest, TinyLimitsHoldNoEllipsis) {
  EXPECT_EQ(TruncateChars("abcdef", 1), "a");
  EXPECT_EQ(TruncateChars("abcdef", 0), "");
  EXPECT_EQ(TruncateBytes("\xE2\x82\xAC\xE2\x82\xAC", 2), "");
  EXPECT_EQ(TruncateBytes("abcdef", 2), "ab");
}

}  // namespace
}  // namespace gx
