// The `slack` format: golden bodies, and Slack's Block Kit limits (50 blocks, 150
// characters in a header, 3,000 in a section) kept with a note on what was left out.
#include "exporter/outputs/webhook/slack_format.h"

#include <gtest/gtest.h>

#include "exporter/util/text_truncate.h"
#include "tests/exporter/outputs/webhook/receiver_test_util.h"

namespace gx {
namespace {

using namespace gx::testing;

RenderOptions Options(int max_alerts = 10000, bool send_resolved = true) {
  RenderOptions o;
  o.max_alerts = max_alerts;
  o.send_resolved = send_resolved;
  return o;
}

// Checks one message against Block Kit's limits; returns its section count and the
// context note ("" when none).
std::pair<size_t, std::string> CheckMessage(const std::string& body) {
  const YAML::Node m = ParseJson(body);
  EXPECT_TRUE(IsJsonString(m["text"])) << body;
  EXPECT_LE(CountChars(m["text"].Scalar()), kSlackMaxTextChars);
  const YAML::Node blocks = m["blocks"];
  EXPECT_TRUE(blocks.IsSequence());
  EXPECT_GE(blocks.size(), 1u);
  EXPECT_LE(blocks.size(), kSlackMaxBlocks);
  EXPECT_EQ(blocks[0]["type"].Scalar(), "header");
  EXPECT_EQ(blocks[0]["text"]["type"].Scalar(), "plain_text");
  EXPECT_LE(CountChars(blocks[0]["text"]["text"].Scalar()), kSlackMaxHeaderChars);
  size_t sections = 0;
  std::string note;
  for (size_t i = 1; i < blocks.size(); ++i) {
    const std::string type = blocks[i]["type"].Scalar();
    if (type == "section") {
      ++sections;
      EXPECT_EQ(blocks[i]["text"]["type"].Scalar(), "mrkdwn");
      EXPECT_LE(CountChars(blocks[i]["text"]["text"].Scalar()), kSlackMaxTextChars);
    } else {
      EXPECT_EQ(type, "context");
      EXPECT_EQ(i + 1, blocks.size()) << "the note is the last block";
      note = blocks[i]["elements"][0]["text"].Scalar();
    }
  }
  return {sections, note};
}

TEST(SlackFormatTest, MatchesGolden) {
  const auto requests = RenderSlack(SampleMessage(), Options(20));
  ASSERT_EQ(requests.size(), 2u);
  ExpectGolden(requests[0].body, "slack_firing.json");
  ExpectGolden(requests[1].body, "slack_resolved.json");
}

TEST(SlackFormatTest, FiringMessageThenResolvedFollowUp) {
  const auto requests = RenderSlack(SampleMessage(), Options());
  ASSERT_EQ(requests.size(), 2u);
  const YAML::Node firing = ParseJson(requests[0].body);
  EXPECT_NE(firing["blocks"][0]["text"]["text"].Scalar().find("2 registration_failure alerts firing"),
            std::string::npos);
  EXPECT_NE(firing["blocks"][1]["text"]["text"].Scalar().find("*Since:* 2026-09-21"), std::string::npos);
  const YAML::Node resolved = ParseJson(requests[1].body);
  EXPECT_NE(resolved["text"].Scalar().find("resolved: 1 registration_failure alert (site HQ)"), std::string::npos);
  EXPECT_NE(resolved["blocks"][1]["text"]["text"].Scalar().find("*Resolved:*"), std::string::npos);
  EXPECT_NE(requests[0].id, requests[1].id);
  // Without send_resolved, only the firing message.
  const auto quiet = RenderSlack(SampleMessage(), Options(10000, false));
  ASSERT_EQ(quiet.size(), 1u);
  EXPECT_EQ(quiet[0].id, requests[0].id);
}

TEST(SlackFormatTest, BlockLimitLeavesAlertsOutAndSaysHowMany) {
  for (int count : {1, 48, 49, 50, 51, 200, 5000}) {
    const auto requests = RenderSlack(ManyFiring(count), Options());
    ASSERT_EQ(requests.size(), 1u);
    const auto [sections, note] = CheckMessage(requests[0].body);
    if (count <= 49) {
      EXPECT_EQ(sections, static_cast<size_t>(count));
      EXPECT_EQ(note, "");
    } else {
      EXPECT_EQ(sections, 48u) << count;
      EXPECT_EQ(note, std::string(kEllipsis) + "and " + std::to_string(count - 48) + " more alerts not shown (" +
                          std::to_string(count) + " in all)");
    }
  }
}

TEST(SlackFormatTest, GroupMaxIdsCapsTheSections) {
  const auto [sections, note] = CheckMessage(RenderSlack(ManyFiring(20), Options(5)).front().body);
  EXPECT_EQ(sections, 5u);
  EXPECT_NE(note.find("and 15 more alerts not shown (20 in all)"), std::string::npos) << note;
}

TEST(SlackFormatTest, LongTextIsCutWithinTheLimitsOnCharacterBoundaries) {
  std::string site;
  for (int i = 0; i < 400; ++i) site += "\xC3\xA9";  // é: two bytes, one character
  AlertMessage n = ManyFiring(3, site);
  for (auto& a : n.firing) {
    a.summary.clear();
    for (int i = 0; i < 4000; ++i) a.summary += "\xE2\x82\xAC";  // €
  }
  const std::string body = RenderSlack(n, Options()).front().body;
  const auto [sections, note] = CheckMessage(body);
  EXPECT_EQ(sections, 3u);
  const YAML::Node m = ParseJson(body);
  const std::string header = m["blocks"][0]["text"]["text"].Scalar();
  EXPECT_EQ(CountChars(header), kSlackMaxHeaderChars);
  EXPECT_EQ(header.substr(header.size() - kEllipsis.size()), kEllipsis);
  EXPECT_EQ(CountChars(m["blocks"][1]["text"]["text"].Scalar()), kSlackMaxTextChars);
}

TEST(SlackFormatTest, ApiValuesCannotMentionOrLink) {
  AlertMessage n = ManyFiring(1);
  n.firing[0].summary = "<!channel> & <https://evil.example|click>";
  const YAML::Node m = ParseJson(RenderSlack(n, Options()).front().body);
  const std::string text = m["blocks"][1]["text"]["text"].Scalar();
  EXPECT_NE(text.find("&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;"), std::string::npos) << text;
  EXPECT_EQ(text.find("<!channel>"), std::string::npos);
}

}  // namespace
}  // namespace gx
