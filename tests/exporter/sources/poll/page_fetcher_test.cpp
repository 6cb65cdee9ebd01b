// FetchAllPages: every page's entities once (the later copy of one listed twice), and one
// block sized from the first page's `total`, bounded, so that a large listing does not
// hold a grown copy beside itself.
#include "exporter/sources/poll/page_fetcher.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gx {
namespace {

// Pages of `per_page` phones named p<n>; `total` is what the envelope claims.
class PagedPhones final : public ApiClient {
 public:
  PagedPhones(std::vector<std::string> ids, std::size_t per_page, std::string total)
      : ids_(std::move(ids)), per_page_(per_page), total_(std::move(total)) {}
  ApiResponse Get(const std::string& path, const std::string&) override {
    const auto at = path.find("pageNumber=");
    const std::size_t page = std::stoul(path.substr(at + 11));
    const std::size_t pages = (ids_.size() + per_page_ - 1) / per_page_;
    std::string entities;
    for (std::size_t i = (page - 1) * per_page_; i < std::min(ids_.size(), page * per_page_); ++i) {
      if (!entities.empty()) entities += ',';
      entities += R"({"id":")" + ids_[i] + R"(","name":"n)" + std::to_string(i) + R"("})";
    }
    ApiResponse r;
    r.status = 200;
    r.body = R"({"entities":[)" + entities + R"(],"pageNumber":)" + std::to_string(page) + R"(,"pageSize":)" +
             std::to_string(per_page_) + R"(,"total":)" + total_ + R"(,"pageCount":)" + std::to_string(pages) + "}";
    return r;
  }
  ApiResponse Send(const std::string&, const std::string& path, const std::string&, const std::string& e) override {
    return Get(path, e);
  }

 private:
  std::vector<std::string> ids_;
  std::size_t per_page_;
  std::string total_;
};

FetchResult<Phone> Fetch(PagedPhones& api) {
  PageSize size(25);
  return FetchAllPages<Phone>(api, "/phones", "", "/phones", size, ParsePhonesPage);
}

TEST(FetchAllPages, KeepsTheLaterCopyOfAnEntityListedTwice) {
  PagedPhones api({"p1", "p2", "p2", "p3"}, 2, "4");
  auto r = Fetch(api);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.entities.size(), 3u);
  EXPECT_EQ(r.entities[1].id, "p2");
  EXPECT_EQ(r.entities[1].name, "n2");  // the second page's copy
  EXPECT_EQ(r.requests, 2u);
}

TEST(FetchAllPages, KeepsListingOrderWithTheLastOfSeveralCopies) {
  PagedPhones api({"p3", "p1", "p3", "p2", "p3", "p0"}, 2, "6");
  auto r = Fetch(api);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.entities.size(), 4u);
  EXPECT_EQ(r.entities[0].id, "p3");
  EXPECT_EQ(r.entities[0].name, "n4");  // the last copy, where the first was
  EXPECT_EQ(r.entities[1].id, "p1");
  EXPECT_EQ(r.entities[2].id, "p2");
  EXPECT_EQ(r.entities[3].id, "p0");
}

TEST(FetchAllPages, MakesRoomForTheWholeListingAtTheFirstPage) {
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) ids.push_back("p" + std::to_string(1000 + i));
  PagedPhones api(ids, 25, "300");
  auto r = Fetch(api);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.entities.size(), 300u);
  EXPECT_EQ(r.entities.capacity(), 300u);  // no doubling past it
}

TEST(FetchAllPages, AnAbsurdTotalReservesNoMoreThanTheBound) {
  PagedPhones api({"p1", "p2"}, 25, "1000000000000");
  auto r = Fetch(api);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.entities.size(), 2u);
  EXPECT_LE(r.entities.capacity(), static_cast<std::size_t>(kMaxListingReserve));
  PagedPhones negative({"p1"}, 25, "-5");
  EXPECT_TRUE(Fetch(negative).ok);
}

}  // namespace
}  // namespace gx
