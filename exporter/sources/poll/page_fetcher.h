// Walks a Genesys *EntityListing page by page with the largest page size the
// API accepts (falling back to smaller sizes when the first page answers 400),
// and returns every entity only when every page succeeded. Used by one poller
// thread at a time; the remembered page size is atomic.
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

// The most entities a listing's first page makes room for (its `total` is the API's word,
// not a measured size); a larger listing grows past it.
inline constexpr std::int64_t kMaxListingReserve = 250'000;

// Of entities listed twice, keeps the later copy at the earlier one's place, the order
// otherwise as listed. Sorts positions rather than keeping a map of ids: no copy of every id.
template <typename T>
void KeepLastOfEachId(std::vector<T>& entities) {
  std::vector<std::uint32_t> order(entities.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return entities[a].id < entities[b].id; });
  std::vector<bool> dropped(entities.size(), false);
  bool any = false;
  for (std::size_t g = 0; g < order.size();) {
    std::size_t end = g + 1;
    while (end < order.size() && entities[order[end]].id == entities[order[g]].id) ++end;
    if (end - g > 1) {
      entities[order[g]] = std::move(entities[order[end - 1]]);  // the later copy, in the first place
      for (std::size_t k = g + 1; k < end; ++k) dropped[order[k]] = true;
      any = true;
    }
    g = end;
  }
  if (!any) return;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < entities.size(); ++i) {
    if (!dropped[i]) {
      if (kept != i) entities[kept] = std::move(entities[i]);
      ++kept;
    }
  }
  entities.erase(entities.begin() + static_cast<std::ptrdiff_t>(kept), entities.end());
}

template <typename T>
struct FetchResult {
  bool ok = false;
  std::string error;
  std::vector<T> entities;
  std::uint64_t requests = 0;
};

// `parse(body, Page<T>&)` is one of the ParseXPage functions. Entities that
// show up twice (an org changing while we page) are kept once, the later copy.
// `on_page` (may be empty) hears of every page that was read.
template <typename T, typename ParseFn>
FetchResult<T> FetchAllPages(ApiClient& api, const std::string& base, const std::string& extra_query,
                             const std::string& endpoint, PageSize& page_size, ParseFn parse,
                             const PageCallback& on_page = {}) {
  FetchResult<T> out;
  std::int64_t page_number = 1;
  std::int64_t max_pages = -1;
  for (;;) {
    ApiResponse res = api.Get(PagedPath(base, page_size.current(), page_number, extra_query), endpoint);
    ++out.requests;
    if (res.status == 400 && page_number == 1) {
      int refused = page_size.current();
      if (page_size.Shrink()) continue;  // the API refused the page size: try a smaller one
      out.error = endpoint + ": page size " + std::to_string(refused) + " refused: " + res.error;
      return out;
    }
    if (!res.ok()) {
      out.error = endpoint + " page " + std::to_string(page_number) + ": " + res.error;
      return out;
    }
    Page<T> page;
    Status st = parse(res.body, page);
    if (!st.ok()) {
      out.error = endpoint + " page " + std::to_string(page_number) + ": " + st.error();
      return out;
    }
    if (page_number == 1 && page.info.total) {
      // One block of the listing's size: doubling would hold up to 1.5 copies while it grows.
      out.entities.reserve(static_cast<std::size_t>(std::clamp<std::int64_t>(*page.info.total, 0, kMaxListingReserve)));
    }
    for (auto& e : page.entities) out.entities.push_back(std::move(e));
    if (on_page) on_page(page_number, std::max<std::int64_t>(page_number, page.info.page_count.value_or(0)));
    // An empty page past the end (entities deleted while we paged) also ends the walk.
    if (page.info.last() || page.entities.empty()) break;
    if (max_pages < 0) max_pages = page.info.page_count.value_or(1'000'000);
    if (page_number >= max_pages + 2) {
      out.error = endpoint + " page " + std::to_string(page_number) + ": listing does not end";
      return out;
    }
    ++page_number;
  }
  KeepLastOfEachId(out.entities);
  out.ok = true;
  return out;
}

}  // namespace gx
