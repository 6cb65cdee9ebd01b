#include "exporter/sources/poll/page_progress.h"

#include <algorithm>

#include "exporter/util/time_math.h"

namespace gx {

void PageProgress::BeginRun(UnixNanos now) {
  earlier_ = page_ = count_ = 0;
  last_log_ = now;
  logged_ = false;
}

bool PageProgress::Page(std::int64_t page, std::int64_t page_count, UnixNanos now) {
  if (page <= 1) earlier_ += count_;  // the previous listing (if any) is over
  page_ = std::max<std::int64_t>(1, page);
  count_ = std::max(page_, page_count);
  const bool last = page_ == count_;
  if (!(SaturatingSub(now, last_log_) >= log_every_ || (logged_ && last))) return false;
  logged_ = true;
  last_log_ = now;
  return true;
}

}  // namespace gx
