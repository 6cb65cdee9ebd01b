// One pure merge per entity: what the state holds after a report from a poll
// (a complete listing entry) or a push (a partial status) of the same entity.
// Newer wins: a report is taken when it is at least as new as what is held,
// by the server's event time when both sides have one, else by the time the
// report was observed (a poll's request sent, a frame's arrival). Pure functions,
// thread-safe.
#pragma once

#include <optional>

#include "exporter/state/state_entries.h"

namespace gx {

// Is `incoming` at least as new as `held`?
bool IsNewer(std::optional<UnixNanos> incoming_time, std::optional<UnixNanos> held_time, UnixNanos incoming_observed,
             UnixNanos held_observed);

// A report of one phone: from a poll (`listing` set: the whole entry, whose
// status may be absent) or from a push (`status`/`secondary_status` only).
struct PhoneReport {
  std::optional<Phone> listing;
  std::optional<PhoneStatus> status;
  std::optional<PhoneStatus> secondary_status;
  UnixNanos observed_at = 0;
};

struct PhoneMerge {
  PhoneEntry entry;
  // The report carried a status: a registration check to count. False for a
  // re-delivered push (same event time and content), which returns the held entry.
  bool observed = false;
};

// nullopt: the report is refused (a push older than the held status, or for an
// unknown phone). A poll is never refused: its configuration always wins, its
// status only when newer.
std::optional<PhoneMerge> MergePhone(const PhoneEntry* held, PhoneReport report);

struct TrunkReport {
  std::optional<Trunk> listing;            // a poll
  std::optional<TrunkStatusUpdate> status;  // a push
  UnixNanos observed_at = 0;
};
std::optional<TrunkEntry> MergeTrunk(const TrunkEntry* held, TrunkReport report);

struct EdgeReport {
  std::optional<Edge> listing;            // a poll
  std::optional<EdgeStatusUpdate> status;  // a push
  UnixNanos observed_at = 0;
};
std::optional<EdgeEntry> MergeEdge(const EdgeEntry* held, EdgeReport report);

// Trunk and edge metrics come whole from a poll or a push alike.
std::optional<TrunkMetricsEntry> MergeTrunkMetrics(const TrunkMetricsEntry* held, const TrunkMetrics& report,
                                                   UnixNanos observed_at);
std::optional<EdgeMetricsEntry> MergeEdgeMetrics(const EdgeMetricsEntry* held, const EdgeMetrics& report,
                                                 UnixNanos observed_at);

// Stations are polled only; the held freshness carries over.
StationEntry MergeStation(const StationEntry* held, Station report, UnixNanos observed_at);

// A followed user's station (polled or pushed). nullopt: older than what is held. The
// push topic (v2.users.{id}.station) carries the station's id and name, not its type: a
// report without a type keeps the one held for the same station, else takes `station`'s
// (the station entity, when read), so that a push never blanks station_type.
std::optional<UserEntry> MergeUserStation(const UserEntry& held, const UserStation& report, UnixNanos observed_at,
                                          const Station* station = nullptr);

// The type of `held`'s station from the station entity, when the association came without
// one (a push) and `station` is that station. nullopt: nothing to fill.
std::optional<UserEntry> FillStationType(const UserEntry& held, const Station& station);

}  // namespace gx
