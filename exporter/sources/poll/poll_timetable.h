// When one source runs next: one (jittered) interval after the START of its last run, so
// that a cycle's own duration does not stretch its period (a 40 s phones cycle every 60 s,
// not every 100 s); at once when a resync is asked for; soon again after a run that had
// nothing to do yet. Pure bookkeeping over the injected clock's times; one thread at a time.
#pragma once

#include <optional>

#include "exporter/util/clock.h"

namespace gx {

// After a skipped run (metrics waiting for their inventory) the next try is this much later.
inline constexpr UnixNanos kSkippedRetryNanos = kNanosPerSecond;

class PollTimetable {
 public:
  // A run starts at `at`; the next is due `interval_s` (already jittered) later.
  void Started(UnixNanos at, double interval_s);
  // The run that started last had nothing to do: try again kSkippedRetryNanos after `at`.
  void Skipped(UnixNanos at);
  // A new interval (reload, stretch, push coverage): the next run is one new interval after
  // the last start (at once if that has passed).
  void Reschedule(double interval_s);
  // Run as soon as possible.
  void Resync() { resync_ = true; }

  bool resync_pending() const { return resync_; }
  // When the next run is due; a past time (or 0) means now.
  UnixNanos DueAt() const;
  std::optional<UnixNanos> last_start() const { return last_start_; }

 private:
  std::optional<UnixNanos> last_start_;
  UnixNanos due_ = 0;     // the first run is due at once
  bool resync_ = false;
};

}  // namespace gx
