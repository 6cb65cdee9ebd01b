// Walks a Genesys *EntityListing page by page with the largest page size the
// API accepts (falling back to smaller sizes when the first page answers 400),
// handing each page's entities on as it arrives. Used by one poller thread at a
// time; the remembered page size is atomic.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/genesys/api/api_client.h"
#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/sources/poll/poller.h"
#include "exporter/util/result.h"

namespace gx {

// Page sizes to try, largest first: the configured one, then the usual
// smaller ones below it (500, 200, 100, 50, 25).
std::vector<int> PageSizeLadder(int configured);

// "/base?pageSize=N&pageNumber=K[&extra]"
std::string PagedPath(const std::string& base, int page_size, std::int64_t page_number, const std::string& extra);

// Percent-encodes an id for a path segment or query value.
std::string UrlEncode(std::string_view s);

class PageSize {
 public:
  explicit PageSize(int configured) : ladder_(PageSizeLadder(configured)) {}
  int current() const { return ladder_[index_.load()]; }
  // Moves to the next smaller size; false when none is left.
  bool Shrink() {
    int i = index_.load();
    if (i + 1 >= static_cast<int>(ladder_.size())) return false;
    index_.store(i + 1);
    return true;
  }

 private:
  std::vector<int> ladder_;
  std::atomic<int> index_{0};
};

// Page `number` of a listing from the answer to its request: a failed answer, or a body
// `parse` refuses, is an error naming the endpoint and the page.
template <typename T, typename ParseFn>
Result<Page<T>> PageOf(const ApiResponse& res, const std::string& endpoint, std::int64_t number, ParseFn parse) {
  const std::string where = endpoint + " page " + std::to_string(number) + ": ";
  if (!res.ok()) return Result<Page<T>>::Error(where + res.error);
  Page<T> page;
  if (Status st = parse(res.body, page); !st.ok()) return st.Prefixed(where);
  return page;
}

// Walks the listing at `endpoint` page by page; `parse(body, Page<T>&)` is one of the
// ParseXPage functions. `on_entities(std::vector<T>)` takes each page's entities as the page
// arrives, so that nothing holds the whole listing; `on_page` (may be empty) hears of every
// page read. Adds the requests sent to `requests`. Ok once every page arrived; the first
// failure ends the walk.
template <typename T, typename ParseFn, typename OnEntities>
Status WalkPages(ApiClient& api, const std::string& endpoint, const std::string& query, PageSize& page_size,
                 ParseFn parse, OnEntities&& on_entities, const PageCallback& on_page, std::uint64_t& requests) {
  std::int64_t page_number = 1;
  std::int64_t max_pages = -1;
  for (;;) {
    ApiResponse res = api.Get(PagedPath(endpoint, page_size.current(), page_number, query), endpoint);
    ++requests;
    if (res.status == 400 && page_number == 1) {
      const int refused = page_size.current();
      if (page_size.Shrink()) continue;  // the API refused the page size: try a smaller one
      return Status::Error(endpoint + ": page size " + std::to_string(refused) + " refused: " + res.error);
    }
    Result<Page<T>> page = PageOf<T>(res, endpoint, page_number, parse);
    if (!page.ok()) return page.status();
    // An empty page past the end (entities deleted while we paged) also ends the walk.
    const bool last = page->info.last() || page->entities.empty();
    const std::int64_t announced = page->info.page_count.value_or(0);
    on_entities(std::move(page->entities));
    if (on_page) on_page(page_number, std::max<std::int64_t>(page_number, announced));
    if (last) return Status::Ok();
    if (max_pages < 0) max_pages = page->info.page_count.value_or(1'000'000);
    if (page_number >= max_pages + 2) {
      return Status::Error(endpoint + " page " + std::to_string(page_number) + ": listing does not end");
    }
    ++page_number;
  }
}

}  // namespace gx
