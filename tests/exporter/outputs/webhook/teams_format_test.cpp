// The `teams` format: golden bodies, and the Adaptive Card message shape a Teams Workflows
// webhook takes (type message, one attachment of the Adaptive Card content type, an
// AdaptiveCard of version 1.4 with a body), under the 28 KB message limit.
#include "exporter/outputs/webhook/teams_format.h"

#include <gtest/gtest.h>

#include "exporter/util/text_truncate.h"
#include "tests/exporter/outputs/webhook/receiver_test_util.h"

namespace gx {
namespace {

using namespace gx::testing;

RenderOptions Options(int max_alerts = 10000) {
  RenderOptions o;
  o.max_alerts = max_alerts;
  return o;
}

// Checks the envelope and the card; returns the card's body.
YAML::Node CheckCard(const std::string& message) {
  EXPECT_LE(message.size(), kTeamsMaxBodyBytes);
  const YAML::Node m = ParseJson(message);
  EXPECT_EQ(m["type"].Scalar(), "message");
  EXPECT_TRUE(m["attachments"].IsSequence());
  EXPECT_EQ(m["attachments"].size(), 1u);
  const YAML::Node a = m["attachments"][0];
  EXPECT_EQ(a["contentType"].Scalar(), "application/vnd.microsoft.card.adaptive");
  const YAML::Node card = a["content"];
  EXPECT_EQ(card["type"].Scalar(), "AdaptiveCard");
  EXPECT_TRUE(IsJsonString(card["version"]));
  EXPECT_EQ(card["version"].Scalar(), "1.4");
  EXPECT_EQ(card["$schema"].Scalar(), "http://adaptivecards.io/schemas/adaptive-card.json");
  const YAML::Node body = card["body"];
  EXPECT_TRUE(body.IsSequence());
  EXPECT_GE(body.size(), 1u);
  for (const auto& element : body) {
    const std::string type = element["type"].Scalar();
    EXPECT_TRUE(type == "TextBlock" || type == "Container") << type;
    if (type == "Container") {
      EXPECT_TRUE(element["items"].IsSequence());
      for (const auto& item : element["items"]) {
        const std::string t = item["type"].Scalar();
        EXPECT_TRUE(t == "TextBlock" || t == "FactSet") << t;
        if (t == "FactSet") {
          for (const auto& f : item["facts"]) {
            EXPECT_TRUE(IsJsonString(f["title"]));
            EXPECT_TRUE(IsJsonString(f["value"]));
          }
        }
      }
    }
  }
  return body;
}

TEST(TeamsFormatTest, MatchesGolden) {
  const auto requests = RenderTeams(SampleMessage(), Options(20));
  ASSERT_EQ(requests.size(), 2u);
  ExpectGolden(requests[0].body, "teams_firing.json");
  ExpectGolden(requests[1].body, "teams_resolved.json");
}

TEST(TeamsFormatTest, TitleThenOneContainerPerAlert) {
  const auto requests = RenderTeams(SampleMessage(), Options());
  const YAML::Node body = CheckCard(requests[0].body);
  ASSERT_EQ(body.size(), 3u);
  EXPECT_EQ(body[0]["text"].Scalar(), "critical: 2 registration_failure alerts firing, 1 resolved (site HQ)");
  EXPECT_EQ(body[0]["weight"].Scalar(), "Bolder");
  EXPECT_EQ(body[1]["items"][1]["facts"][2]["title"].Scalar(), "Since");
  EXPECT_EQ(body[1]["items"][1]["facts"][2]["value"].Scalar(), "2026-09-21T14:13:20Z");
  const YAML::Node resolved = CheckCard(requests[1].body);
  ASSERT_EQ(resolved.size(), 2u);
  EXPECT_EQ(resolved[1]["items"][1]["facts"][3]["title"].Scalar(), "Resolved");
}

TEST(TeamsFormatTest, StaysUnderTheSizeLimitAndSaysHowManyWereLeftOut) {
  for (int count : {1, 20, 100, 5000}) {
    const auto requests = RenderTeams(ManyFiring(count), Options());
    ASSERT_EQ(requests.size(), 1u);
    const YAML::Node body = CheckCard(requests[0].body);
    size_t shown = 0;
    for (const auto& element : body) shown += element["type"].Scalar() == "Container";
    EXPECT_GE(shown, std::min<size_t>(static_cast<size_t>(count), 20u)) << count;
    if (shown < static_cast<size_t>(count)) {
      ASSERT_EQ(body.size(), shown + 2);
      EXPECT_EQ(body[body.size() - 1]["text"].Scalar(),
                std::string(kEllipsis) + "and " + std::to_string(count - static_cast<int>(shown)) +
                    " more alerts not shown (" + std::to_string(count) + " in all)");
    } else {
      EXPECT_EQ(body.size(), shown + 1);
    }
  }
}

TEST(TeamsFormatTest, HugeValuesAreCut) {
  AlertMessage n = ManyFiring(2);
  for (auto& a : n.firing) a.summary = std::string(100000, 'x');
  const YAML::Node body = CheckCard(RenderTeams(n, Options()).front().body);
  EXPECT_EQ(body.size(), 3u);
  EXPECT_EQ(CountChars(body[1]["items"][0]["text"].Scalar()), kTeamsMaxTextChars);
}

}  // namespace
}  // namespace gx
