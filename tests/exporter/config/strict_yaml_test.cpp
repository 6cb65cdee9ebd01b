#include "exporter/config/strict_yaml.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

std::vector<std::string> Check(const std::string& text) {
  ConfigErrors errors;
  const bool ok = CheckStrictYaml(text, "c.yml", errors);
  EXPECT_EQ(ok, errors.ok());
  return errors.messages;
}

TEST(StrictYaml, WellFormedDocumentsPass) {
  EXPECT_TRUE(Check("").empty());
  EXPECT_TRUE(Check("# only a comment\n").empty());
  EXPECT_TRUE(Check("---\na: 1\n...\n").empty());
  EXPECT_TRUE(Check("a: \"x\\\\\"\nb: 'it''s'\nc: \"\\\"\"\n").empty());  // escapes next to the closing quote
  EXPECT_TRUE(Check("a: &x 'v'\nb: *x\nc: !!str \"w\"\n").empty());
  EXPECT_TRUE(Check("a: {k: 1}\nb: {k: 1}\nl: [{k: 1}, {k: 2}]\n").empty());
}

TEST(StrictYaml, EveryDuplicateIsReported) {
  EXPECT_EQ(Check("a: 1\nb: {x: 1, x: 2}\na: 3\n"),
            (std::vector<std::string>{"c.yml:2: b.x: duplicate key (first on line 2)",
                                      "c.yml:3: a: duplicate key (first on line 1)"}));
}

TEST(StrictYaml, UnterminatedQuoteAfterAByteOrderMark) {
  // Positions count from after the mark; the check must not be thrown off by it.
  EXPECT_EQ(Check("\xEF\xBB\xBF" "a: 'x'\nb: \"y\n"),
            (std::vector<std::string>{"c.yml:2: b: unterminated double-quoted string (the closing \" is missing)"}));
}

TEST(StrictYaml, AnUnterminatedKeyNeverPrintsWhatItSwallowed) {
  const auto errors = Check("genesys:\n  ? \"client_id\n  client_secret: s3cr3t-value\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "c.yml:2: genesys: unterminated double-quoted key (the closing \" is missing)");
}

TEST(StrictYaml, ASyntaxErrorIsReportedAlone) {
  EXPECT_EQ(Check("a: 1\na: 2\nb: [1\n"),
            (std::vector<std::string>{"c.yml:4: b: invalid YAML: end of sequence flow not found"}));
}

TEST(StrictYaml, DeepNestingIsAnErrorNotACrash) {
  const auto errors = Check("a: " + std::string(100000, '['));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("c.yml:1: a[0]", 0), 0u) << errors[0].substr(0, 300);
  EXPECT_NE(errors[0].find("...: invalid YAML: "), std::string::npos) << errors[0].substr(0, 300);
  EXPECT_LT(errors[0].size(), 400u);  // the path is cut short
}

}  // namespace
}  // namespace gx
