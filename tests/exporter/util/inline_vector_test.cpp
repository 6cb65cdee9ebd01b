#include "exporter/util/inline_vector.h"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace gx {
namespace {

std::vector<std::string> Items(const InlineVector<std::string>& v) { return {v.begin(), v.end()}; }

TEST(InlineVector, OneElementStaysInPlace) {
  InlineVector<std::string> v;
  EXPECT_TRUE(v.empty());
  v.push_back("a line id longer than the small string buffer");
  EXPECT_EQ(v.size(), 1u);
  EXPECT_EQ(v.capacity(), 1u);
  const auto* self = reinterpret_cast<const char*>(&v);
  const auto* item = reinterpret_cast<const char*>(&v.front());
  EXPECT_TRUE(item >= self && item < self + sizeof(v));  // inside the object, no heap block
  EXPECT_EQ(v[0], "a line id longer than the small string buffer");
}

TEST(InlineVector, IsSmallerThanAVectorPlusItsBlock) {
  EXPECT_EQ(sizeof(InlineVector<void*>), 16u);
  EXPECT_LE(sizeof(InlineVector<std::string>), sizeof(std::string) + 8);
}

TEST(InlineVector, GrowsOntoTheHeapKeepingOrder) {
  InlineVector<std::string> v;
  for (int i = 0; i < 9; ++i) v.emplace_back(std::to_string(i));
  EXPECT_EQ(Items(v), (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8"}));
  EXPECT_GE(v.capacity(), 9u);
  EXPECT_EQ(v.back(), "8");
  EXPECT_EQ(v.at(3), "3");
  EXPECT_THROW(v.at(9), std::out_of_range);
}

TEST(InlineVector, PushingOneOfItsOwnElementsWhileGrowing) {
  InlineVector<std::string> v{"first"};
  v.push_back(v[0]);  // the argument lives in the inline slot the growth moves away
  v.push_back(v[1]);
  EXPECT_EQ(Items(v), (std::vector<std::string>{"first", "first", "first"}));
}

TEST(InlineVector, ReserveMakesOneBlockOfExactlyThatSize) {
  InlineVector<int> v;
  v.reserve(3);
  EXPECT_EQ(v.capacity(), 3u);
  v.push_back(1);
  v.push_back(2);
  v.push_back(3);
  EXPECT_EQ(v.capacity(), 3u);
  v.reserve(1);
  EXPECT_EQ(v.capacity(), 3u);
}

TEST(InlineVector, CopiesAndMovesBothShapes) {
  for (int n : {0, 1, 2, 5}) {
    InlineVector<std::string> v;
    for (int i = 0; i < n; ++i) v.push_back("item " + std::to_string(i) + " with a long enough text");
    InlineVector<std::string> copy = v;
    EXPECT_EQ(copy, v);
    EXPECT_EQ(copy.capacity(), std::max(1, n) * 1u);  // a copy is exactly sized
    InlineVector<std::string> moved = std::move(copy);
    EXPECT_EQ(moved, v);
    EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty
    InlineVector<std::string> assigned{"x", "y", "z"};
    assigned = v;
    EXPECT_EQ(assigned, v);
    InlineVector<std::string> move_assigned{"x"};
    move_assigned = std::move(moved);
    EXPECT_EQ(move_assigned, v);
    const InlineVector<std::string>& same = assigned;  // a reference: clang refuses `x = x` (-Wself-assign)
    assigned = same;
    EXPECT_EQ(assigned, v);
  }
}

TEST(InlineVector, ComparesElementwise) {
  EXPECT_EQ((InlineVector<int>{1, 2}), (InlineVector<int>{1, 2}));
  EXPECT_NE((InlineVector<int>{1, 2}), (InlineVector<int>{1}));
  EXPECT_NE((InlineVector<int>{1}), (InlineVector<int>{2}));
  EXPECT_EQ(InlineVector<int>{}, InlineVector<int>{});
}

// Every element made is destroyed once, whatever the shape (counted through shared_ptr).
TEST(InlineVector, DestroysEveryElementOnce) {
  auto token = std::make_shared<int>(0);
  {
    InlineVector<std::shared_ptr<int>> one{token};
    InlineVector<std::shared_ptr<int>> many{token, token, token};
    InlineVector<std::shared_ptr<int>> copy = many;
    copy.push_back(token);
    EXPECT_EQ(token.use_count(), 1 + 1 + 3 + 4);
    one = many;
    EXPECT_EQ(token.use_count(), 1 + 3 + 3 + 4);
    many.clear();
    EXPECT_EQ(token.use_count(), 1 + 3 + 4);
    EXPECT_TRUE(many.empty());
  }
  EXPECT_EQ(token.use_count(), 1);
}

TEST(InlineVector, AssignsFromAList) {
  InlineVector<std::string> v{"a", "b"};
  v = {"c"};
  EXPECT_EQ(Items(v), (std::vector<std::string>{"c"}));
  v = {};
  EXPECT_TRUE(v.empty());
}

}  // namespace
}  // namespace gx
