// The scenario's timeline: scripted changes and faults at scenario seconds, handed out in
// time order as they fall due (a stable order: entries at the same time keep the file's
// order), and the one translation of a scripted change into SimCore's change API.
// Timeline is not thread-safe (the ticker's); ApplyTimelineEvent is as SimCore is.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "exporter/util/result.h"
#include "simulator/scenario.h"

namespace gx::sim {

class SimCore;

class Timeline {
 public:
  Timeline(std::vector<TimelineEvent> events, std::vector<FaultSpec> faults);

  // The events, then the faults, due by `elapsed_s` and not taken before.
  std::vector<TimelineEvent> TakeEvents(double elapsed_s);
  std::vector<FaultSpec> TakeFaults(double elapsed_s);

 private:
  std::vector<TimelineEvent> events_;
  std::vector<FaultSpec> faults_;
  std::size_t next_event_ = 0;
  std::size_t next_fault_ = 0;
};

// Applies one scripted change ("phone_line", "trunk_options", "fault", "delete", ...).
// Fails for an unknown action or target.
Status ApplyTimelineEvent(SimCore& core, const TimelineEvent& ev);

}  // namespace gx::sim
