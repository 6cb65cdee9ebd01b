#include "exporter/state/cow_table.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace gx {
namespace {

std::string Key(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "k%06d", i);
  return buf;
}

TEST(CowTable, IteratesInKeyOrderAcrossChunkSplits) {
  CowTable<int> t;
  std::map<std::string, int> want;
  std::mt19937 rng(7);
  for (int n = 0; n < 3000; ++n) {
    const int i = static_cast<int>(rng() % 2000);
    t.Put(Key(i), n);
    want[Key(i)] = n;
  }
  ASSERT_EQ(t.size(), want.size());
  auto w = want.begin();
  for (const auto& [k, v] : t) {
    ASSERT_EQ(k, w->first);
    EXPECT_EQ(v, w->second);
    ++w;
  }
  for (const auto& [k, v] : want) EXPECT_EQ(t.at(k), v);
  EXPECT_EQ(t.find("absent"), t.end());
}

TEST(CowTable, ACopyIsASnapshotThatLaterWritesDoNotTouch) {
  CowTable<int> t;
  std::vector<CowTable<int>::Node> nodes;
  for (int i = 0; i < 2000; ++i) nodes.push_back(CowTable<int>::MakeNode(Key(i), i));
  t.Assign(std::move(nodes));
  const CowTable<int> snapshot = t;
  const auto v0 = snapshot.version();
  t.Put(Key(5), -5);
  t.Erase(Key(6));
  t.Put("zzz", 1);
  EXPECT_EQ(snapshot.at(Key(5)), 5);
  EXPECT_TRUE(snapshot.contains(Key(6)));
  EXPECT_FALSE(snapshot.contains("zzz"));
  EXPECT_EQ(snapshot.size(), 2000u);
  EXPECT_EQ(snapshot.version(), v0);
  EXPECT_EQ(t.at(Key(5)), -5);
  EXPECT_FALSE(t.contains(Key(6)));
  EXPECT_EQ(t.size(), 2000u);
  EXPECT_GT(t.version(), v0);
  // Untouched entries are shared, not copied.
  EXPECT_EQ(snapshot.FindNode(Key(1999)).get(), t.FindNode(Key(1999)).get());
}

TEST(CowTable, AssignKeepsTheLastOfEqualKeysAndEraseIfRemoves) {
  CowTable<int> t;
  t.Assign({CowTable<int>::MakeNode("b", 1), CowTable<int>::MakeNode("a", 2), CowTable<int>::MakeNode("b", 3)});
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t.begin()->first, "a");
  EXPECT_EQ(t.at("b"), 3);
  EXPECT_EQ(t.EraseIf([](const std::string& k, int) { return k == "a"; }), 1u);
  EXPECT_EQ(t.size(), 1u);
  EXPECT_TRUE(t.Erase("b"));
  EXPECT_FALSE(t.Erase("b"));
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.begin(), t.end());
}

}  // namespace
}  // namespace gx
