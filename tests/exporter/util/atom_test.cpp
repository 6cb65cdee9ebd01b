#include "exporter/util/atom.h"

#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace gx {
namespace {

std::string Text(int i) { return "atom-test-text-that-is-not-short-" + std::to_string(i); }

TEST(Atom, EqualTextsShareOneEntry) {
  const std::size_t before = Atom::DistinctCount();
  Atom a(Text(1));
  Atom b(std::string_view(Text(1)));
  Atom c(Text(2).c_str());
  EXPECT_EQ(a, b);
  EXPECT_EQ(&a.str(), &b.str());  // one text, not two copies
  EXPECT_NE(a, c);
  EXPECT_EQ(Atom::DistinctCount(), before + 2);
}

TEST(Atom, ReadsAsTheTextItHolds) {
  Atom a("OPERATIONAL");
  EXPECT_EQ(a, "OPERATIONAL");
  EXPECT_EQ(a, std::string("OPERATIONAL"));
  EXPECT_EQ(a, std::string_view("OPERATIONAL"));
  EXPECT_NE(a, "OFFLINE");
  EXPECT_EQ(a.size(), 11u);
  EXPECT_FALSE(a.empty());
  const std::string& ref = a;
  EXPECT_EQ(ref, "OPERATIONAL");
  std::ostringstream os;
  os << a;
  EXPECT_EQ(os.str(), "OPERATIONAL");
}

TEST(Atom, EmptyTextIsTheNullAtomAndHoldsNoEntry) {
  const std::size_t before = Atom::DistinctCount();
  Atom a("");
  Atom b;
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, "");
  EXPECT_EQ(a.str(), "");
  EXPECT_EQ(Atom::DistinctCount(), before);
}

TEST(Atom, OrdersByText) {
  EXPECT_LT(Atom("a"), Atom("b"));
  EXPECT_LT(Atom(""), Atom("a"));
  EXPECT_GT(Atom("b"), std::string("a"));
  EXPECT_EQ(Atom("x") <=> Atom("x"), std::strong_ordering::equal);
}

TEST(Atom, TheLastAtomOfATextRemovesIt) {
  const std::size_t before = Atom::DistinctCount();
  {
    Atom a(Text(3));
    Atom copy = a;
    Atom moved = std::move(copy);
    EXPECT_EQ(Atom::DistinctCount(), before + 1);
    a = Atom();
    EXPECT_EQ(Atom::DistinctCount(), before + 1);  // `moved` still names it
    EXPECT_EQ(moved, Text(3));
  }
  EXPECT_EQ(Atom::DistinctCount(), before);
  Atom again(Text(3));  // made afresh
  EXPECT_EQ(again, Text(3));
  EXPECT_EQ(Atom::DistinctCount(), before + 1);
}

TEST(Atom, SelfAssignmentKeepsTheText) {
  Atom a(Text(4));
  const Atom& same = a;
  a = same;
  EXPECT_EQ(a, Text(4));
}

// A snapshot's atoms are read on one thread while others make thousands of new texts
// (the table rehashes many times) and drop them: the old atoms keep their texts.
TEST(Atom, AtomsOfAnOldSnapshotStayValidWhileTheTableGrows) {
  std::vector<Atom> snapshot;
  for (int i = 0; i < 200; ++i) snapshot.emplace_back(Text(1000 + i));
  std::atomic<bool> done{false};
  std::atomic<int> wrong{0};
  std::thread reader([&] {
    while (!done.load()) {
      for (int i = 0; i < 200; ++i) {
        const Atom copy = snapshot[static_cast<std::size_t>(i)];
        if (copy != Text(1000 + i)) wrong.fetch_add(1);
      }
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([w] {
      std::vector<Atom> made;
      for (int i = 0; i < 20000; ++i) {
        made.emplace_back(Text(100000 * (w + 1) + i));
        if (made.size() > 5000) made.clear();
      }
    });
  }
  for (auto& t : writers) t.join();
  done.store(true);
  reader.join();
  EXPECT_EQ(wrong.load(), 0);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(snapshot[static_cast<std::size_t>(i)], Text(1000 + i));
}

// Threads make and drop atoms of the same few texts at once, so that a text's last atom
// goes while another thread makes it again: each thread always gets a live atom of its text.
TEST(Atom, MakingATextWhileItsLastAtomGoesGivesALiveAtom) {
  const std::size_t before = Atom::DistinctCount();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50000; ++i) {
        Atom a(Text(i % 3));
        Atom b = a;
        if (b != Text(i % 3) || a != b) wrong.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(Atom::DistinctCount(), before);  // every text went with its last atom
}

}  // namespace
}  // namespace gx
