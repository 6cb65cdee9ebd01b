#include "exporter/util/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace gx {
namespace {

TEST(StatusTest, OkOrAnError) {
  EXPECT_TRUE(Status().ok());
  EXPECT_TRUE(Status::Ok());
  EXPECT_EQ(Status::Ok().error(), "");
  const Status bad = Status::Error("page 2: not JSON");
  EXPECT_FALSE(bad.ok());
  EXPECT_FALSE(bad);
  EXPECT_EQ(bad.error(), "page 2: not JSON");
  // An error without words is still an error.
  EXPECT_FALSE(Status::Error("").ok());
}

TEST(StatusTest, PrefixedAddsContextToFailuresOnly) {
  EXPECT_EQ(Status::Error("not JSON").Prefixed("phones page 2: ").error(), "phones page 2: not JSON");
  EXPECT_TRUE(Status::Ok().Prefixed("phones page 2: ").ok());
  EXPECT_EQ(Status::Ok().Prefixed("x: ").error(), "");
}

TEST(ResultTest, AValueOrAnError) {
  Result<int> good = 7;
  ASSERT_TRUE(good);
  EXPECT_EQ(*good, 7);
  EXPECT_EQ(good.error(), "");
  EXPECT_TRUE(good.status().ok());
  const Result<int> bad = Result<int>::Error("bad port");
  EXPECT_FALSE(bad);
  EXPECT_EQ(bad.error(), "bad port");
  EXPECT_EQ(bad.value_or(3), 3);
  const Result<int> from_status = Status::Error("no host");
  EXPECT_EQ(from_status.error(), "no host");
}

TEST(ResultTest, AnOkStatusIsNoValue) {
  const Result<int> r = Status::Ok();
  EXPECT_FALSE(r);
  EXPECT_FALSE(r.error().empty());
}

TEST(ResultTest, MoveOnlyValuesMoveOut) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 5);
  Result<std::string> s = std::string("abc");
  EXPECT_EQ(s->size(), 3u);
}

}  // namespace
}  // namespace gx
