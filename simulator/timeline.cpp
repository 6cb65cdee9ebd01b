#include "simulator/timeline.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "simulator/sim_core.h"

namespace gx::sim {
namespace {

bool ParseBool(const std::string& s, bool dflt) {
  if (s == "true" || s == "1" || s == "yes" || s == "up" || s == "on") return true;
  if (s == "false" || s == "0" || s == "no" || s == "down" || s == "off") return false;
  return dflt;
}

int ParseInt(const std::string& s, int dflt) {
  try {
    return s.empty() ? dflt : std::stoi(s);
  } catch (...) {
    return dflt;
  }
}

std::string Arg(const TimelineEvent& ev, const char* k, const char* dflt = "") {
  auto it = ev.args.find(k);
  return it == ev.args.end() ? dflt : it->second;
}

}  // namespace

Timeline::Timeline(std::vector<TimelineEvent> events, std::vector<FaultSpec> faults)
    : events_(std::move(events)), faults_(std::move(faults)) {
  std::stable_sort(events_.begin(), events_.end(),
                   [](const TimelineEvent& a, const TimelineEvent& b) { return a.at_s < b.at_s; });
  std::stable_sort(faults_.begin(), faults_.end(), [](const FaultSpec& a, const FaultSpec& b) { return a.at_s < b.at_s; });
}

std::vector<TimelineEvent> Timeline::TakeEvents(double elapsed_s) {
  std::vector<TimelineEvent> due;
  while (next_event_ < events_.size() && events_[next_event_].at_s <= elapsed_s) due.push_back(events_[next_event_++]);
  return due;
}

std::vector<FaultSpec> Timeline::TakeFaults(double elapsed_s) {
  std::vector<FaultSpec> due;
  while (next_fault_ < faults_.size() && faults_[next_fault_].at_s <= elapsed_s) due.push_back(faults_[next_fault_++]);
  return due;
}

Status ApplyTimelineEvent(SimCore& core, const TimelineEvent& ev) {
  const auto& a = ev.action;
  if (a == "phone_line") {
    return core.SetLineReachable(ev.target, ParseInt(Arg(ev, "line", "0"), 0),
                            ParseBool(Arg(ev, "reachable", "true"), true));
  }
  if (a == "phone_status") {
    return core.SetPhoneStatus(ev.target, Arg(ev, "status", "OPERATIONAL"),
                          ParseBool(Arg(ev, "secondary", "false"), false));
  }
  if (a == "trunk_connected") return core.SetTrunkConnected(ev.target, ParseBool(Arg(ev, "connected", "true"), true));
  if (a == "trunk_options") {
    return core.SetTrunkOptions(ev.target, ParseInt(Arg(ev, "proxy", "0"), 0), ParseBool(Arg(ev, "up", "true"), true));
  }
  if (a == "trunk_register") {
    return core.SetTrunkRegister(ev.target, ParseInt(Arg(ev, "proxy", "0"), 0), ParseBool(Arg(ev, "up", "true"), true));
  }
  if (a == "trunk_in_service") return core.SetTrunkInService(ev.target, ParseBool(Arg(ev, "value", "true"), true));
  if (a == "trunk_calls") {
    return core.SetTrunkCalls(ev.target, ParseInt(Arg(ev, "inbound"), -1), ParseInt(Arg(ev, "outbound"), -1),
                         ParseInt(Arg(ev, "qos"), -1));
  }
  if (a == "edge_online") return core.SetEdgeOnline(ev.target, ParseBool(Arg(ev, "online", "true"), true));
  if (a == "station_user") return core.SetStationUser(ev.target, Arg(ev, "phone"));
  if (a == "fault") {
    core.InjectFault(ev.fault);
    return Status::Ok();
  }
  if (a == "delete") return core.DeleteEntity(Arg(ev, "kind"), ev.target);
  return Status::Error("unknown action '" + a + "'");
}

}  // namespace gx::sim
