// How far a source's run has come through its listing pages, across the listings of one
// run (trunks pages through trunks, then trunk bases), and when that is worth a log line:
// a 50,000-phone org takes minutes to list at the default budget, and an operator waiting
// for /-/ready should see it move. Pure (the caller brings the time); not thread-safe: one
// per source, used by its thread.
#pragma once

#include <cstdint>

#include "exporter/util/clock.h"

namespace gx {

class PageProgress {
 public:
  explicit PageProgress(UnixNanos log_every) : log_every_(log_every) {}

  // A run starts: nothing done, nothing expected.
  void BeginRun(UnixNanos now);
  // Page `page` of a listing of `page_count` pages was read (page 1 starts another listing
  // of the run). True when this page is worth logging: once `log_every` has passed since the
  // run began or the last logged page, and the last page of a run that logged before (a
  // run that ends within `log_every` logs nothing).
  bool Page(std::int64_t page, std::int64_t page_count, UnixNanos now);

  std::int64_t done() const { return earlier_ + page_; }
  std::int64_t expected() const { return earlier_ + count_; }

 private:
  UnixNanos log_every_;
  std::int64_t earlier_ = 0;  // pages of the run's finished listings
  std::int64_t page_ = 0;     // of the current listing
  std::int64_t count_ = 0;    // of the current listing
  UnixNanos last_log_ = 0;  // or the run's start
  bool logged_ = false;
};

}  // namespace gx
