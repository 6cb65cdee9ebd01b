// One REST poller per source (phones, stations, trunks, trunk_metrics,
// edges, edge_metrics): RunCycle() fetches (getX: I/O), parses (pure parsers)
// and applies a complete result to TelephonyState, or nothing at all. The
// scheduler calls RunCycle of one poller from one thread at a time; the
// estimate may be read from another thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "exporter/util/result.h"

namespace gx {

// What one cycle did: its outcome, and beside it what the scheduler counts.
struct CycleResult {
  Status status;               // ok, or why the cycle failed
  std::uint64_t requests = 0;  // HTTP requests this cycle sent (retries inside ApiClient not included)
  bool skipped = false;        // nothing to do yet (e.g. metrics before the inventory is known)
  bool ok() const { return status.ok(); }
};

// What the scheduler asks of one cycle.
struct CycleRequest {
  // Re-read everything, configuration included: after a gap in the push stream, when the
  // stream starts to carry the source's entities, and every collection.intervals.resync.
  bool resync = true;
  // The push stream is healthy: entities marked pushed in the state get their changes by
  // push, so a poller may leave them out (phones skips pages holding only pushed phones).
  bool pushed_live = false;
  // The healthy stream covers this source (StreamReport::covered): a run that is not a
  // resync reads only what the topics do not carry (stations: the stations that pushed
  // associations name).
  bool covered = false;
};

// Called after each listing page of a cycle: its number (from 1; a second listing of the same
// cycle starts again at 1) and the listing's page count as the API announced it (at least
// the page number).
using PageCallback = std::function<void(std::int64_t page, std::int64_t page_count)>;

class Poller {
 public:
  virtual ~Poller() = default;
  // Set before the first cycle (the scheduler reports progress through it).
  void set_on_page(PageCallback on_page) { on_page_ = std::move(on_page); }
  virtual const std::string& name() const = 0;
  virtual CycleResult RunCycle(const CycleRequest& request) = 0;
  // Requests the next cycle is expected to cost, from the last inventory (a cycle that is
  // not a resync, with the push stream as it was at the last cycle).
  virtual std::int64_t EstimatedRequests() const = 0;
  // Pushed data names entities this poller has not read yet (an association to a station
  // never read): while covered, the scheduler runs it once more, at most once per its
  // configured interval. Any thread.
  virtual bool HasUnread() const { return false; }

 protected:
  PageCallback on_page_;
};

}  // namespace gx
