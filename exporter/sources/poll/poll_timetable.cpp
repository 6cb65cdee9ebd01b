#include "exporter/sources/poll/poll_timetable.h"

#include "exporter/util/time_math.h"

namespace gx {

void PollTimetable::Started(UnixNanos at, double interval_s) {
  last_start_ = at;
  resync_ = false;
  due_ = SaturatingAdd(at, SecondsToNanos(interval_s));
}

void PollTimetable::Skipped(UnixNanos at) { due_ = SaturatingAdd(at, kSkippedRetryNanos); }

void PollTimetable::Reschedule(double interval_s) {
  if (last_start_) due_ = SaturatingAdd(*last_start_, SecondsToNanos(interval_s));
}

UnixNanos PollTimetable::DueAt() const { return resync_ ? 0 : due_; }

}  // namespace gx
