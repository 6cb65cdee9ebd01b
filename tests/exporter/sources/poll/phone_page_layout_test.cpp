// Reading only the phones pages that hold a phone the push stream does not carry, and
// noticing when the listing has moved under the layout.
#include "exporter/sources/poll/phone_page_layout.h"

#include <gtest/gtest.h>

#include <set>

namespace gx {
namespace {

// A complete listing of `phones`, read `page_size` at a time.
void RecordListing(PhonePageLayout& layout, const std::vector<Phone>& phones, int page_size) {
  std::vector<std::vector<std::string>> pages;
  for (std::size_t i = 0; i < phones.size(); ++i) {
    if (i % static_cast<std::size_t>(page_size) == 0) pages.emplace_back();
    pages.back().push_back(phones[i].id);
  }
  layout.Record(std::move(pages), page_size, static_cast<std::int64_t>(phones.size()));
}

std::vector<Phone> Phones(int n, int first = 0) {
  std::vector<Phone> out;
  for (int i = first; i < first + n; ++i) {
    Phone p;
    char id[16];
    std::snprintf(id, sizeof id, "p%05d", i);
    p.id = id;
    out.push_back(p);
  }
  return out;
}

TEST(PhonePageLayout, PagesWithOnlyPushedPhonesAreNotRead) {
  PhonePageLayout layout;
  EXPECT_FALSE(layout.known());
  RecordListing(layout, Phones(23), 5);  // pages 1-4 full, page 5 holds 3
  EXPECT_TRUE(layout.known());
  EXPECT_EQ(layout.page_count(), 5);
  EXPECT_EQ(layout.total(), 23);
  // The first 12 phones are pushed: pages 1 and 2 hold only pushed phones, page 3 is mixed.
  std::set<std::string> pushed;
  for (const auto& p : Phones(12)) pushed.insert(p.id);
  auto is_pushed = [&](const std::string& id) { return pushed.count(id) > 0; };
  EXPECT_EQ(layout.PagesToRead(is_pushed), (std::vector<std::int64_t>{3, 4, 5}));
  EXPECT_EQ(layout.PagesToRead([](const std::string&) { return false; }),
            (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(layout.PagesToRead([](const std::string&) { return true; }).empty());
}

TEST(PhonePageLayout, APageIsUnchangedOnlyWithTheSamePhonesAndTotal) {
  PhonePageLayout layout;
  RecordListing(layout, Phones(10), 5);
  EXPECT_TRUE(layout.Unchanged(2, Phones(5, 5), 10));
  EXPECT_FALSE(layout.Unchanged(2, Phones(5, 5), 11));  // a phone was added somewhere
  EXPECT_FALSE(layout.Unchanged(2, Phones(5, 4), 10));  // the page moved by one
  EXPECT_FALSE(layout.Unchanged(2, Phones(4, 5), 10));  // shorter
  EXPECT_FALSE(layout.Unchanged(3, {}, 10));           // past the end
  EXPECT_FALSE(layout.Unchanged(0, Phones(5), 10));
}

}  // namespace
}  // namespace gx
