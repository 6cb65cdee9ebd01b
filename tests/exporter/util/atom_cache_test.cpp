#include "exporter/util/atom_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace gx {
namespace {

std::string Text(int i) { return "atom-cache-test-text-that-is-not-short-" + std::to_string(i); }

TEST(AtomCache, GivesTheAtomOfTheText) {
  AtomCache cache;
  const Atom made = cache.Make(Text(1));
  EXPECT_EQ(made, Atom(Text(1)));         // the same entry as the table's
  EXPECT_EQ(cache.Make(Text(1)), made);  // again, from the cache
  EXPECT_EQ(&cache.Make(Text(1)).str(), &made.str());
  EXPECT_NE(cache.Make(Text(2)), made);
  EXPECT_TRUE(cache.Make("").empty());
}

// More texts than slots: every answer is still the text asked for, whichever slot it shares.
TEST(AtomCache, TextsSharingASlotEachGetTheirOwnAtom) {
  AtomCache cache;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < static_cast<int>(4 * AtomCache::kSlots); ++i) {
      ASSERT_EQ(cache.Make(Text(i)), Text(i)) << i;
    }
  }
}

TEST(AtomCache, HoldsItsTextsUntilReplacedOrDestroyed) {
  const std::size_t before = Atom::DistinctCount();
  {
    AtomCache cache;
    { const Atom dropped = cache.Make(Text(3)); }
    EXPECT_EQ(Atom::DistinctCount(), before + 1);  // no value names it; the cache does
  }
  EXPECT_EQ(Atom::DistinctCount(), before);
}

TEST(AtomCache, EachThreadHasItsOwn) {
  AtomCache* main_cache = &AtomCache::ThisThread();
  AtomCache* other = nullptr;
  std::thread([&] { other = &AtomCache::ThisThread(); }).join();
  EXPECT_NE(main_cache, other);
  EXPECT_EQ(main_cache, &AtomCache::ThisThread());
}

// Threads make the same few texts through their own caches while others drop their atoms:
// each always gets a live atom of its text.
TEST(AtomCache, ThreadsMakingTheSameTextsGetLiveAtoms) {
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20000; ++i) {
        const Atom a = AtomCache::ThisThread().Make(Text((i + t) % 7));
        if (a != Text((i + t) % 7)) wrong.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace gx
