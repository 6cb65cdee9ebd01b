#include "exporter/outputs/http/status_html.h"

#include <gtest/gtest.h>

namespace gx::status {
namespace {

constexpr UnixNanos kSec = kNanosPerSecond;

TEST(StatusHtmlTest, SpansForPeople) {
  EXPECT_EQ(Span(0), "0 s");
  EXPECT_EQ(Span(-5 * kSec), "0 s") << "a clock step backwards is not a negative age";
  EXPECT_EQ(Span(119 * kSec), "119 s");
  EXPECT_EQ(Span(120 * kSec), "2 min");
  EXPECT_EQ(Span(3 * 3600 * kSec), "3 h");
  EXPECT_EQ(Span(3 * 86400 * kSec), "3 d");
}

TEST(StatusHtmlTest, AgoIsATimeElementOrADash) {
  EXPECT_EQ(Ago(std::nullopt, 10 * kSec), "-");
  EXPECT_EQ(Ago(0, 10 * kSec), "-");
  EXPECT_EQ(Ago(1'800'000'000 * kSec, 1'800'000'030 * kSec),
            "<time datetime=\"2027-01-15T08:00:00.000Z\" title=\"2027-01-15T08:00:00.000Z\">30 s ago</time>");
}

TEST(StatusHtmlTest, BadgesEscapeAndColour) {
  EXPECT_EQ(Badge(StatusLevel::kOk, "up"), "<span class=\"badge ok\">up</span>");
  EXPECT_EQ(Badge(StatusLevel::kDegraded, "<x>"), "<span class=\"badge warn\">&lt;x&gt;</span>");
  EXPECT_EQ(Badge(StatusLevel::kBlind, "down"), "<span class=\"badge bad\">down</span>");
  EXPECT_EQ(Badge(StatusLevel::kOk, "pending", true), "<span class=\"badge\">pending</span>");
}

TEST(StatusHtmlTest, TablesWriteAtMostSoManyRowsAndSaySo) {
  Table t({"a", "b"});
  EXPECT_TRUE(t.empty());
  t.Add(StatusLevel::kOutage, {"1", "x"});
  t.Add(StatusLevel::kDegraded, {"2", "y"});
  t.Add(StatusLevel::kOk, {"3", "z"});
  const std::string all = t.Render(10);
  EXPECT_NE(all.find("<tr class=\"bad\"><td>1</td><td>x</td></tr>\n<tr class=\"warn\"><td>2</td><td>y</td></tr>\n"
                     "<tr><td>3</td><td>z</td></tr>"),
            std::string::npos)
      << all;
  EXPECT_EQ(all.find("more not shown"), std::string::npos);
  const std::string cut = t.Render(2);
  EXPECT_EQ(cut.find("<td>3</td>"), std::string::npos);
  EXPECT_NE(cut.find("1 more not shown"), std::string::npos) << cut;
}

}  // namespace
}  // namespace gx::status
