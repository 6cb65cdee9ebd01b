#include "exporter/genesys/parse/json_read.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace gx::json {
namespace {

// A JSON array of `n` numbers: about 2n bytes.
std::string ArrayOf(std::size_t n) {
  std::string s = "[";
  for (std::size_t i = 0; i < n; ++i) s += i ? ",1" : "1";
  return s + "]";
}

// Each test runs on a thread of its own, so that spares left by other tests do not count.
template <typename Fn>
void OnFreshThread(Fn fn) {
  std::thread(fn).join();
}

TEST(JsonDocument, AParserIsKeptAndReusedForTheNextBody) {
  OnFreshThread([] {
    EXPECT_EQ(Document::SpareCount(), 0u);
    {
      Document doc;
      ASSERT_TRUE(doc.Parse(R"({"id":"first","n":1})", kMaxFrameBytes, "test").ok());
      EXPECT_EQ(Str(doc.root(), "id"), "first");
    }
    EXPECT_EQ(Document::SpareCount(), 1u);
    {
      Document doc;
      EXPECT_EQ(Document::SpareCount(), 0u);  // borrowed
      ASSERT_TRUE(doc.Parse(R"({"id":"second, a longer one","n":2,"more":[1,2,3]})", kMaxFrameBytes, "test").ok());
      EXPECT_EQ(Str(doc.root(), "id"), "second, a longer one");
      EXPECT_EQ(Int(doc.root(), "n"), 2);
      EXPECT_FALSE(Field(doc.root(), "first").has_value());  // nothing of the earlier body
    }
    EXPECT_EQ(Document::SpareCount(), 1u);
  });
}

TEST(JsonDocument, NestedDocumentsKeepTheirOwnTrees) {
  OnFreshThread([] {
    {
      Document spare;  // leaves a spare that the outer document below then borrows
      ASSERT_TRUE(spare.Parse(R"({"x":"zero"})", kMaxFrameBytes, "test").ok());
    }
    Document outer;
    ASSERT_TRUE(outer.Parse(R"({"x":"outer"})", kMaxFrameBytes, "test").ok());
    {
      Document inner;
      ASSERT_TRUE(inner.Parse(R"({"x":"inner"})", kMaxFrameBytes, "test").ok());
      EXPECT_EQ(Str(inner.root(), "x"), "inner");
      EXPECT_EQ(Str(outer.root(), "x"), "outer");
    }
    EXPECT_EQ(Str(outer.root(), "x"), "outer");
  });
}

TEST(JsonDocument, AParserGrownByALargeBodyIsFreedNotKept) {
  OnFreshThread([] {
    {
      Document doc;
      const std::string large = ArrayOf(Document::kSpareCapacity);  // about twice the kept size
      ASSERT_TRUE(doc.Parse(large, kMaxBodyBytes, "test").ok());
      EXPECT_EQ(doc.root().get_array().size(), Document::kSpareCapacity);
    }
    EXPECT_EQ(Document::SpareCount(), 0u);
    {
      Document doc;
      ASSERT_TRUE(doc.Parse(ArrayOf(1000), kMaxBodyBytes, "test").ok());
    }
    EXPECT_EQ(Document::SpareCount(), 1u);
  });
}

TEST(JsonDocument, AThreadKeepsAtMostTheSpareLimit) {
  OnFreshThread([] {
    {
      Document a, b, c;
      for (Document* d : {&a, &b, &c}) ASSERT_TRUE(d->Parse("[1]", kMaxFrameBytes, "test").ok());
    }
    EXPECT_EQ(Document::SpareCount(), Document::kSpareParsers);
  });
}

TEST(JsonDocument, AFailedParseLeavesAParserThatParsesTheNextBody) {
  OnFreshThread([] {
    {
      Document doc;
      const Status st = doc.Parse(R"({"open":)", kMaxFrameBytes, "frame");
      ASSERT_FALSE(st.ok());
      EXPECT_NE(st.error().find("frame: invalid JSON"), std::string::npos) << st.error();
    }
    Document doc;
    ASSERT_TRUE(doc.Parse(R"({"ok":true})", kMaxFrameBytes, "frame").ok());
    EXPECT_EQ(Bool(doc.root(), "ok"), true);
  });
}

TEST(JsonDocument, ABodyOverTheLimitIsRefusedBeforeParsing) {
  Document doc;
  const Status st = doc.Parse(ArrayOf(100), 50, "page");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().find("exceeds the limit of 50"), std::string::npos) << st.error();
}

}  // namespace
}  // namespace gx::json
