#include "exporter/util/html_escape.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

TEST(HtmlEscapeTest, MarkupQuotesAndAmpersandsBecomeReferences) {
  EXPECT_EQ(HtmlEscape("<script>alert(\"x\")</script>"), "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  EXPECT_EQ(HtmlEscape("Tom's & Jerry's"), "Tom&#39;s &amp; Jerry&#39;s");
  // Already-escaped text is escaped again: the value is shown as it is, never interpreted.
  EXPECT_EQ(HtmlEscape("&lt;"), "&amp;lt;");
}

TEST(HtmlEscapeTest, OtherBytesAreCopied) {
  EXPECT_EQ(HtmlEscape(""), "");
  EXPECT_EQ(HtmlEscape("Zürich HQ / site=1"), "Zürich HQ / site=1");
  const std::string with_nul("a\0b", 3);
  EXPECT_EQ(HtmlEscape(with_nul), with_nul);
}

TEST(HtmlEscapeTest, AppendsToWhatIsThere) {
  std::string out = "<td>";
  AppendHtmlEscaped(out, "a\"b");
  EXPECT_EQ(out, "<td>a&quot;b");
}

}  // namespace
}  // namespace gx
