#include "exporter/sources/poll/phone_page_layout.h"

#include <algorithm>
#include <utility>

namespace gx {

void PhonePageLayout::Record(std::vector<std::vector<std::string>> pages, int page_size, std::int64_t total) {
  page_size_ = std::max(1, page_size);
  total_ = total;
  pages_ = std::move(pages);
  // A walk ends on an empty page past the end (phones deleted while it paged): not a page to read.
  while (!pages_.empty() && pages_.back().empty()) pages_.pop_back();
}

std::vector<std::int64_t> PhonePageLayout::PagesToRead(const std::function<bool(const std::string&)>& pushed) const {
  std::vector<std::int64_t> out;
  for (std::size_t p = 0; p < pages_.size(); ++p) {
    if (std::any_of(pages_[p].begin(), pages_[p].end(), [&](const std::string& id) { return !pushed(id); })) {
      out.push_back(static_cast<std::int64_t>(p) + 1);
    }
  }
  return out;
}

bool PhonePageLayout::Unchanged(std::int64_t number, const std::vector<Phone>& phones, std::int64_t total) const {
  if (total != total_ || number < 1 || number > page_count()) return false;
  const auto& ids = pages_[static_cast<std::size_t>(number - 1)];
  if (ids.size() != phones.size()) return false;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] != phones[i].id) return false;
  }
  return true;
}

}  // namespace gx
