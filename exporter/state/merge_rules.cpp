#include "exporter/state/merge_rules.h"

namespace gx {
namespace {

bool SameLines(const InlineVector<LineStatus>& a, const InlineVector<LineStatus>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id || a[i].reachable != b[i].reachable) return false;
  }
  return true;
}

// The status facts that count as a change (times and addresses of record do not).
bool SameStatus(const std::optional<PhoneStatus>& a, const std::optional<PhoneStatus>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  return a->operational_status == b->operational_status && SameLines(a->lines, b->lines);
}

bool SameProxies(const std::vector<ProxyState>& a, const std::vector<ProxyState>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].proxy_address != b[i].proxy_address || a[i].up != b[i].up) return false;
  }
  return true;
}

// Per-proxy newer-wins: the held state of a proxy stays when it is newer.
std::vector<ProxyState> MergeProxies(const std::vector<ProxyState>& held, const std::vector<ProxyState>& incoming,
                                     UnixNanos incoming_observed, UnixNanos held_observed) {
  std::vector<ProxyState> out = incoming;
  for (auto& p : out) {
    for (const auto& h : held) {
      if (h.proxy_address == p.proxy_address &&
          !IsNewer(p.state_time, h.state_time, incoming_observed, held_observed)) {
        p = h;
      }
    }
  }
  return out;
}

std::optional<UnixNanos> EventTime(const std::optional<PhoneStatus>& s) {
  return s ? s->event_creation_time : std::nullopt;
}

}  // namespace

bool IsNewer(std::optional<UnixNanos> incoming_time, std::optional<UnixNanos> held_time, UnixNanos incoming_observed,
             UnixNanos held_observed) {
  if (incoming_time && held_time) return *incoming_time >= *held_time;
  return incoming_observed >= held_observed;
}

std::optional<PhoneMerge> MergePhone(const PhoneEntry* held, PhoneReport report) {
  const UnixNanos at = report.observed_at;
  PhoneMerge out;
  if (report.listing) {
    Phone p = std::move(*report.listing);
    if (held) {
      out.entry = *held;
      // A pushed status newer than this poll wins over the polled one.
      if (!IsNewer(EventTime(p.status), EventTime(held->phone.status), at, held->status_observed_at)) {
        p.status = held->phone.status;
        p.secondary_status = held->phone.secondary_status;
      } else {
        out.entry.status_observed_at = at;
      }
      if (!SameStatus(held->phone.status, p.status) || held->phone.name != p.name || held->phone.site.id != p.site.id) {
        out.entry.fresh.last_change = at;
      }
    } else {
      out.entry.status_observed_at = at;
      out.entry.fresh.last_change = at;
    }
    // A listing without expand=status was not an observation of the registration.
    out.observed = p.status.has_value();
    out.entry.fresh.last_seen = at;
    out.entry.phone = std::move(p);
    return out;
  }

  if (!held) return std::nullopt;
  if (!IsNewer(EventTime(report.status), EventTime(held->phone.status), at, held->status_observed_at)) {
    return std::nullopt;
  }
  out.entry = *held;
  Phone& after = out.entry.phone;
  // The same event delivered again (same server time, same content) is nothing new.
  if (report.status && held->phone.status && report.status->event_creation_time &&
      report.status->event_creation_time == held->phone.status->event_creation_time &&
      (!report.secondary_status || report.secondary_status == held->phone.secondary_status)) {
    PhoneStatus again = *report.status;
    if (again.edges_status.empty()) again.edges_status = held->phone.status->edges_status;
    if (again == *held->phone.status) return out;
  }
  if (report.status) {
    // Pushed bodies carry no edgesStatus: keep the one we know.
    Atom edges_status = after.status ? after.status->edges_status : Atom();
    after.status = std::move(report.status);
    if (after.status->edges_status.empty()) after.status->edges_status = std::move(edges_status);
  }
  if (report.secondary_status) after.secondary_status = std::move(report.secondary_status);
  if (!SameStatus(held->phone.status, after.status)) out.entry.fresh.last_change = at;
  out.observed = after.status.has_value();
  out.entry.status_observed_at = at;
  out.entry.fresh.last_seen = at;
  return out;
}

std::optional<TrunkEntry> MergeTrunk(const TrunkEntry* held, TrunkReport report) {
  const UnixNanos at = report.observed_at;
  if (report.listing) {
    Trunk t = std::move(*report.listing);
    TrunkEntry entry;
    entry.connected_observed_at = at;
    if (held) {
      entry.fresh = held->fresh;
      entry.pushed = held->pushed;
      if (!IsNewer(t.connected_state_time, held->trunk.connected_state_time, at, held->connected_observed_at)) {
        t.connected = held->trunk.connected;
        t.connected_state_time = held->trunk.connected_state_time;
        entry.connected_observed_at = held->connected_observed_at;
      }
      t.options = MergeProxies(held->trunk.options, t.options, at, held->connected_observed_at);
      t.registers = MergeProxies(held->trunk.registers, t.registers, at, held->connected_observed_at);
      if (held->trunk.connected != t.connected || held->trunk.in_service != t.in_service ||
          !SameProxies(held->trunk.options, t.options) || !SameProxies(held->trunk.registers, t.registers)) {
        entry.fresh.last_change = at;
      }
    } else {
      entry.fresh.last_change = at;
    }
    entry.fresh.last_seen = at;
    entry.trunk = std::move(t);
    return entry;
  }

  if (!held || !report.status) return std::nullopt;
  const TrunkStatusUpdate& u = *report.status;
  TrunkEntry entry = *held;
  Trunk& t = entry.trunk;
  bool applied = false, changed = false;
  if (u.connected && IsNewer(u.connected_state_time, t.connected_state_time, at, entry.connected_observed_at)) {
    changed |= t.connected != u.connected;
    t.connected = u.connected;
    t.connected_state_time = u.connected_state_time;
    entry.connected_observed_at = at;
    applied = true;
  }
  if (u.options) {
    auto merged = MergeProxies(t.options, *u.options, at, entry.connected_observed_at);
    changed |= !SameProxies(t.options, merged);
    t.options = std::move(merged);
    applied = true;
  }
  if (u.registers) {
    auto merged = MergeProxies(t.registers, *u.registers, at, entry.connected_observed_at);
    changed |= !SameProxies(t.registers, merged);
    t.registers = std::move(merged);
    applied = true;
  }
  if (!applied) return std::nullopt;
  if (u.ip_address) t.ip_address = *u.ip_address;
  entry.fresh.last_seen = at;
  if (changed) entry.fresh.last_change = at;
  return entry;
}

std::optional<EdgeEntry> MergeEdge(const EdgeEntry* held, EdgeReport report) {
  const UnixNanos at = report.observed_at;
  if (report.listing) {
    Edge e = std::move(*report.listing);
    EdgeEntry entry;
    entry.online_observed_at = at;
    if (held) {
      entry.fresh = held->fresh;
      entry.pushed = held->pushed;
      if (held->online_observed_at > at) {
        e.online_status = held->edge.online_status;  // a push arrived after this request was sent
        entry.online_observed_at = held->online_observed_at;
      }
      if (held->edge.online_status != e.online_status) entry.fresh.last_change = at;
    } else {
      entry.fresh.last_change = at;
    }
    entry.fresh.last_seen = at;
    entry.edge = std::move(e);
    return entry;
  }

  if (!held || !report.status || report.status->online_status.empty()) return std::nullopt;
  if (held->online_observed_at > at) return std::nullopt;
  EdgeEntry entry = *held;
  if (entry.edge.online_status != report.status->online_status) entry.fresh.last_change = at;
  entry.edge.online_status = report.status->online_status;
  entry.online_observed_at = at;
  entry.fresh.last_seen = at;
  return entry;
}

namespace {

template <typename Entry, typename Metrics>
std::optional<Entry> MergeMetrics(const Entry* held, const Metrics& report, UnixNanos observed_at) {
  if (held && !IsNewer(report.event_time, held->event_time, observed_at, held->observed_at)) return std::nullopt;
  Entry entry;
  static_cast<Metrics&>(entry) = report;
  entry.observed_at = observed_at;
  return entry;
}

}  // namespace

std::optional<TrunkMetricsEntry> MergeTrunkMetrics(const TrunkMetricsEntry* held, const TrunkMetrics& report,
                                                   UnixNanos observed_at) {
  return MergeMetrics(held, report, observed_at);
}

std::optional<EdgeMetricsEntry> MergeEdgeMetrics(const EdgeMetricsEntry* held, const EdgeMetrics& report,
                                                 UnixNanos observed_at) {
  return MergeMetrics(held, report, observed_at);
}

StationEntry MergeStation(const StationEntry* held, Station report, UnixNanos observed_at) {
  StationEntry entry;
  if (held) {
    entry.fresh = held->fresh;
    if (held->station.user_id != report.user_id || held->station.status != report.status) {
      entry.fresh.last_change = observed_at;
    }
  } else {
    entry.fresh.last_change = observed_at;
  }
  entry.fresh.last_seen = observed_at;
  entry.station = std::move(report);
  return entry;
}

std::optional<UserEntry> MergeUserStation(const UserEntry& held, const UserStation& report, UnixNanos observed_at,
                                          const Station* station) {
  if (held.known && held.fresh.last_seen > observed_at) return std::nullopt;
  UserEntry e = held;
  const bool same_station = e.known && e.station.station_id == report.station_id;
  if (!same_station) e.fresh.last_change = observed_at;
  e.station = report;
  if (e.station.station_type.empty() && !e.station.station_id.empty()) {
    if (same_station) {
      e.station.station_type = held.station.station_type;
    } else if (station && station->id == report.station_id) {
      e.station.station_type = station->type;
    }
  }
  e.known = true;
  e.fresh.last_seen = observed_at;
  return e;
}

std::optional<UserEntry> FillStationType(const UserEntry& held, const Station& station) {
  if (!held.known || held.station.station_id != station.id || !held.station.station_type.empty() ||
      station.type.empty()) {
    return std::nullopt;
  }
  UserEntry e = held;
  e.station.station_type = station.type;
  return e;
}

}  // namespace gx
