#include "exporter/state/cow_table.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <random>
#include <vector>

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

// A table filled entry by entry (a first listing merged page by page) splits from the
// smallest chunks; Rebalance gives it the chunk size a whole Assign gives, keeping its nodes.
TEST(CowTable, RebalanceGivesATableFilledByPutTheShapeOfAssign) {
  CowTable<int> put, assigned;
  std::vector<CowTable<int>::Node> nodes;
  for (int i = 0; i < 50000; ++i) {
    put.Put(Key(i), i);
    nodes.push_back(CowTable<int>::MakeNode(Key(i), i));
  }
  assigned.Assign(nodes);
  ASSERT_GT(put.chunk_count(), 2 * assigned.chunk_count());
  const CowTable<int> before = put;
  const auto first = put.FindNode(Key(0));
  ASSERT_TRUE(put.Rebalance());
  EXPECT_EQ(put.chunk_count(), assigned.chunk_count());
  EXPECT_EQ(put.FindNode(Key(0)), first) << "the nodes are kept";
  EXPECT_EQ(put.size(), 50000u);
  EXPECT_EQ(put.key_version(), before.key_version()) << "the same ids";
  int expected = 0;
  for (const auto& [k, v] : put) ASSERT_EQ(v, expected++);
  EXPECT_FALSE(put.Rebalance()) << "once in shape, nothing to do";
  EXPECT_FALSE(assigned.Rebalance());
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

// ForEachChange against a plain map diff: random puts, erases, EraseIf and
// Assign between two copies, on tables big enough to split chunks.
TEST(CowTable, ForEachChangeReportsExactlyWhatDiffersFromAnOlderCopy) {
  std::mt19937 rng(11);
  CowTable<int> t;
  std::map<std::string, int> now;
  for (int round = 0; round < 200; ++round) {
    const CowTable<int> older = t;
    const std::map<std::string, int> before = now;
    const std::uint64_t keys = t.key_version();
    const int ops = 1 + static_cast<int>(rng() % (round % 10 == 0 ? 400 : 5));
    for (int n = 0; n < ops; ++n) {
      const int i = static_cast<int>(rng() % 3000);
      switch (rng() % 10) {
        case 0:
          t.Erase(Key(i));
          now.erase(Key(i));
          break;
        case 1:
          if (rng() % 20 == 0) {
            const int mod = 2 + static_cast<int>(rng() % 5);
            t.EraseIf([&](const std::string&, int v) { return v % mod == 0; });
            std::erase_if(now, [&](const auto& kv) { return kv.second % mod == 0; });
          }
          break;
        case 2:
          if (rng() % 30 == 0) {  // a complete inventory: most nodes passed through
            std::vector<CowTable<int>::Node> nodes;
            for (auto it = t.begin(); it != t.end(); ++it) {
              if (rng() % 50 != 0) nodes.push_back(it.node());
            }
            nodes.push_back(CowTable<int>::MakeNode(Key(i), round));
            std::map<std::string, int> next;
            for (const auto& node : nodes) next[node->first] = node->second;
            t.Assign(std::move(nodes));
            now = std::move(next);
          }
          break;
        default:
          t.Put(Key(i), static_cast<int>(rng() % 1000));
          now[Key(i)] = t.at(Key(i));
      }
    }
    std::map<std::string, std::pair<std::optional<int>, std::optional<int>>> got;
    t.ForEachChange(older, [&](const std::string& k, const int* was, const int* is) {
      ASSERT_TRUE(was || is);
      ASSERT_FALSE(got.count(k)) << "reported twice: " << k;
      got[k] = {was ? std::optional<int>(*was) : std::nullopt, is ? std::optional<int>(*is) : std::nullopt};
    });
    // Every real difference is reported; what is reported is before -> after.
    std::set<std::string> keys_all;
    for (const auto& [k, v] : before) keys_all.insert(k);
    for (const auto& [k, v] : now) keys_all.insert(k);
    bool ids_changed = false;
    for (const auto& k : keys_all) {
      auto b = before.find(k);
      auto a = now.find(k);
      std::optional<int> was = b == before.end() ? std::nullopt : std::optional<int>(b->second);
      std::optional<int> is = a == now.end() ? std::nullopt : std::optional<int>(a->second);
      if (was.has_value() != is.has_value()) ids_changed = true;
      if (was != is) {
        ASSERT_TRUE(got.count(k)) << "round " << round << ": missed " << k;
      }
      if (got.count(k)) {
        EXPECT_EQ(got[k].first, was) << k;
        EXPECT_EQ(got[k].second, is) << k;
      }
    }
    // Only a changed set of ids moves the key version.
    EXPECT_EQ(t.key_version() != keys, ids_changed) << "round " << round;
  }
}

TEST(CowTable, ForEachChangeSkipsSharedChunks) {
  CowTable<int> t;
  for (int i = 0; i < 50000; ++i) t.Put(Key(i), i);
  const CowTable<int> older = t;
  t.Put(Key(777), -1);
  int calls = 0;
  t.ForEachChange(older, [&](const std::string& k, const int* was, const int* is) {
    ++calls;
    EXPECT_EQ(k, Key(777));
    EXPECT_EQ(*was, 777);
    EXPECT_EQ(*is, -1);
  });
  EXPECT_EQ(calls, 1);
  const std::uint64_t keys = t.key_version();
  t.Put(Key(778), -2);  // a replaced value keeps the ids
  EXPECT_EQ(t.key_version(), keys);
  t.Put(Key(50001), 1);
  EXPECT_NE(t.key_version(), keys);
}

}  // namespace
}  // namespace gx
