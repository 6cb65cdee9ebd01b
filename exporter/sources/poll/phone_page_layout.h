// Which phones were on which page of the last full phones listing (sortBy=id), so that a
// cycle can read only the pages that hold a phone the push stream does not carry, and can
// tell when the listing has shifted under it (phones added or removed) and a full listing
// is needed again. Pure; used by the phones poller's thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "exporter/state/entities.h"

namespace gx {

class PhonePageLayout {
 public:
  // After a complete listing read `page_size` at a time: each page's phone ids as read, and
  // the listing's `total` (distinct) phones.
  void Record(std::vector<std::vector<std::string>> pages, int page_size, std::int64_t total);
  void Clear() { pages_.clear(); }

  bool known() const { return !pages_.empty(); }
  int page_size() const { return page_size_; }
  std::int64_t total() const { return total_; }
  std::int64_t page_count() const { return static_cast<std::int64_t>(pages_.size()); }

  // Page numbers (from 1) holding at least one phone for which `pushed(id)` is false.
  std::vector<std::int64_t> PagesToRead(const std::function<bool(const std::string&)>& pushed) const;
  // True when page `number`, as read now, holds exactly the phones it held at Record() and
  // the listing still has `total` phones: nothing was added or removed before or on it.
  bool Unchanged(std::int64_t number, const std::vector<Phone>& phones, std::int64_t total) const;

 private:
  std::vector<std::vector<std::string>> pages_;  // phone ids per page
  int page_size_ = 0;
  std::int64_t total_ = 0;
};

}  // namespace gx
