// ChunkMemo: what a reader derives per chunk of a CowTable is looked at again only for the
// chunks a change touched, and the totals it keeps by difference equal a recount.
#include "exporter/state/chunk_memo.h"

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

CowTable<int> Table(int n) {
  CowTable<int> t;
  std::vector<CowTable<int>::Node> nodes;
  for (int i = 0; i < n; ++i) nodes.push_back(CowTable<int>::MakeNode(Key(i), i));
  t.Assign(std::move(nodes));
  return t;
}

long Sum(ChunkMemo<int, long>::Nodes nodes) {
  long s = 0;
  for (const auto& n : nodes) s += n->second;
  return s;
}

struct Totals {
  ChunkMemo<int, long> memo;
  long total = 0;
  void Update(const CowTable<int>& t) {
    memo.Update(t, Sum, [&](long s) { total += s; }, [&](long s) { total -= s; });
  }
};

long Recount(const CowTable<int>& t) {
  long s = 0;
  for (const auto& [k, v] : t) s += v;
  return s;
}

TEST(ChunkMemo, AChangeLooksAgainAtItsChunkOnly) {
  CowTable<int> t = Table(10000);
  ASSERT_GT(t.chunk_count(), 10u);
  Totals totals;
  totals.Update(t);
  EXPECT_EQ(totals.memo.summarized(), t.chunk_count());
  EXPECT_EQ(totals.total, Recount(t));

  totals.Update(t);
  EXPECT_EQ(totals.memo.summarized(), 0u) << "unchanged table: every chunk known";

  const CowTable<int> published = t;  // a snapshot shares the chunks
  t.Put(Key(5000), -1);
  totals.Update(t);
  EXPECT_EQ(totals.memo.summarized(), 1u);
  EXPECT_EQ(totals.total, Recount(t));
  EXPECT_EQ(Recount(published), Recount(Table(10000))) << "the snapshot is untouched";
}

// A chunk that no snapshot holds is edited in place by the writer: it gets a new id all the
// same, so the memo never takes changed entries for known ones.
TEST(ChunkMemo, AChunkEditedInPlaceIsSeenAsChanged) {
  CowTable<int> t = Table(5000);  // no snapshot: the table alone owns its chunks
  Totals totals;
  totals.Update(t);
  for (int i = 0; i < 50; ++i) {
    t.Put(Key(i * 97 % 5000), i);
    totals.Update(t);
    ASSERT_EQ(totals.total, Recount(t)) << "after write " << i;
  }
}

TEST(ChunkMemo, TotalsByDifferenceEqualARecountThroughSplitsErasesAndReassigns) {
  std::mt19937 rng(11);
  CowTable<int> t = Table(3000);
  Totals totals;
  for (int step = 0; step < 400; ++step) {
    const int i = static_cast<int>(rng() % 6000);
    switch (rng() % 4) {
      case 0:
      case 1:
        t.Put(Key(i), static_cast<int>(rng() % 100));  // grows past splits
        break;
      case 2:
        t.Erase(Key(i));
        break;
      default:
        if (step % 50 == 0) t.EraseIf([&](const std::string&, int v) { return v % 7 == 0; });
    }
    if (step % 3 == 0) {
      totals.Update(t);
      ASSERT_EQ(totals.total, Recount(t)) << "step " << step;
      ASSERT_EQ(totals.memo.entries().size(), t.chunk_count());
    }
  }
  t.clear();
  totals.Update(t);
  EXPECT_EQ(totals.total, 0);
  EXPECT_TRUE(totals.memo.entries().empty());
}

// A complete inventory that changes one entry keeps every other chunk (Assign reuses a
// chunk whose nodes are all the same), so a poll costs the memo one chunk, not the table.
TEST(ChunkMemo, AnInventoryWithOneChangeKeepsTheOtherChunks) {
  CowTable<int> t = Table(10000);
  Totals totals;
  totals.Update(t);
  std::vector<CowTable<int>::Node> nodes;
  for (auto it = t.begin(); it != t.end(); ++it) nodes.push_back(it.node());
  nodes[4321] = CowTable<int>::MakeNode(Key(4321), 7);
  t.Assign(std::move(nodes));
  totals.Update(t);
  EXPECT_EQ(totals.memo.summarized(), 1u);
  EXPECT_EQ(totals.total, Recount(t));
}

}  // namespace
}  // namespace gx
