#include "exporter/state/telephony_state.h"

#include <unordered_set>

#include "exporter/state/registration.h"

namespace gx {
namespace {

std::int64_t MinuteOf(UnixNanos t) { return t / (60 * kNanosPerSecond); }

// The same label the collectors use, so counters and gauges share sites.
const std::string& SiteLabel(const Phone& p) { return PhoneSiteLabel(p); }

// Is `incoming` (with optional server time) at least as new as what we hold?
bool IsNewer(std::optional<UnixNanos> incoming_time, std::optional<UnixNanos> held_time,
             UnixNanos incoming_observed, UnixNanos held_observed) {
  if (incoming_time && held_time) return *incoming_time >= *held_time;
  return incoming_observed >= held_observed;
}

bool SameLines(const std::vector<LineStatus>& a, const std::vector<LineStatus>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id || a[i].reachable != b[i].reachable) return false;
  }
  return true;
}

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

// Merges per-proxy states, keeping the held state of a proxy when it is newer.
std::vector<ProxyState> MergeProxies(const std::vector<ProxyState>& held,
                                     const std::vector<ProxyState>& incoming, UnixNanos incoming_observed,
                                     UnixNanos held_observed) {
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

}  // namespace

WindowTotals TelephonyData::RegistrationTotalsSince(UnixNanos now, int minutes) const {
  WindowTotals totals;
  const std::int64_t current = MinuteOf(now);
  for (int i = 0; i < RegistrationWindow::kMinutes; ++i) {
    const std::int64_t m = window.minute[i];
    if (m > current - minutes && m <= current && (window.checks[i] || window.failures[i])) {
      totals.checks += window.checks[i];
      totals.failures += window.failures[i];
    }
  }
  return totals;
}

namespace {

bool HasLine(const Phone& p, const std::string& line_id) {
  for (const auto& l : p.line_ids) {
    if (l == line_id) return true;
  }
  if (p.status) {
    for (const auto& l : p.status->lines) {
      if (l.id == line_id) return true;
    }
  }
  return false;
}

void IndexPhone(TelephonyData& d, const PhoneEntry& entry) {
  const Phone& p = entry.phone;
  if (!p.web_rtc_user_id.empty()) d.phone_by_webrtc_user.insert_or_assign(p.web_rtc_user_id, p.id);
  for (const auto& l : p.line_ids) d.phone_by_line.insert_or_assign(l, p.id);
  if (p.status) {
    for (const auto& l : p.status->lines) d.phone_by_line.insert_or_assign(l.id, p.id);
  }
}

}  // namespace

const PhoneEntry* TelephonyData::PhoneOfUser(const std::string& user_id) const {
  auto u = users.find(user_id);
  if (u == users.end() || u->second.station.station_id.empty()) return nullptr;
  const std::string& station_id = u->second.station.station_id;
  std::string line_id, webrtc_user;
  if (auto s = stations.find(station_id); s != stations.end()) {
    line_id = s->second.station.line_appearance_id;
    webrtc_user = s->second.station.web_rtc_user_id;
  }
  const std::string& want = line_id.empty() ? station_id : line_id;
  if (phone_index_built) {
    if (!webrtc_user.empty()) {
      if (auto w = phone_by_webrtc_user.find(webrtc_user); w != phone_by_webrtc_user.end()) {
        auto p = phones.find(w->second);
        if (p != phones.end() && p->second.phone.web_rtc_user_id == webrtc_user) return &p->second;
      }
    }
    if (auto l = phone_by_line.find(want); l != phone_by_line.end()) {
      auto p = phones.find(l->second);
      if (p != phones.end() && HasLine(p->second.phone, want)) return &p->second;
    }
    return nullptr;
  }
  for (const auto& [id, entry] : phones) {
    const Phone& p = entry.phone;
    if (!webrtc_user.empty() && p.web_rtc_user_id == webrtc_user) return &entry;
    if (HasLine(p, want)) return &entry;
  }
  return nullptr;
}

std::unordered_map<std::string, const PhoneEntry*> TelephonyData::PhonesOfUsers() const {
  std::unordered_map<std::string, const PhoneEntry*> out;
  for (const auto& [user_id, u] : users) {
    if (const PhoneEntry* p = PhoneOfUser(user_id)) out.emplace(user_id, p);
  }
  return out;
}

void TelephonyState::Changed() {
  ++data_.version;
  version_.store(data_.version);
}

void TelephonyState::Notify() {
  std::vector<std::function<void()>> listeners;
  {
    std::lock_guard lock(listeners_mu_);
    listeners = listeners_;
  }
  for (auto& l : listeners) l();
}

void TelephonyState::AddChangeListener(std::function<void()> listener) {
  std::lock_guard lock(listeners_mu_);
  listeners_.push_back(std::move(listener));
}

void TelephonyState::RecordObservation(const PhoneEntry* before, const Phone& after, UnixNanos now) {
  // A phone without a status (listing without expand=status) was not observed:
  // counting it would turn "unknown" into a registration failure.
  if (!after.status) return;
  const bool registered = PhoneRegistered(after);
  auto& site = data_.registration_by_site[SiteLabel(after)];
  ++site.checks;
  ++data_.registration_checks;
  if (registered) {
    ++data_.registration_successes;
  } else {
    ++site.failures;
    data_.last_registration_failure = now;
  }
  const std::int64_t minute = MinuteOf(now);
  const int slot = static_cast<int>(((minute % RegistrationWindow::kMinutes) + RegistrationWindow::kMinutes) %
                                    RegistrationWindow::kMinutes);
  if (data_.window.minute[slot] != minute) {
    data_.window.minute[slot] = minute;
    data_.window.checks[slot] = 0;
    data_.window.failures[slot] = 0;
  }
  ++data_.window.checks[slot];
  if (!registered) ++data_.window.failures[slot];

  // Line transitions: only a real change of a line we already knew counts.
  if (before && before->phone.status && after.status) {
    for (const auto& line : after.status->lines) {
      for (const auto& old : before->phone.status->lines) {
        if (old.id == line.id && old.reachable != line.reachable) {
          line.reachable ? ++site.to_reachable : ++site.to_unreachable;
        }
      }
    }
  }
}

void TelephonyState::ReplacePhones(std::vector<Phone> phones, UnixNanos observed_at) {
  {
    std::unique_lock lock(mu_);
    std::unordered_map<std::string, PhoneEntry> next;
    next.reserve(phones.size());
    for (auto& p : phones) {
      PhoneEntry entry;
      auto old = data_.phones.find(p.id);
      const PhoneEntry* before = old == data_.phones.end() ? nullptr : &old->second;
      if (before) {
        entry = *before;
        // A pushed status newer than this poll wins over the polled one.
        const auto held_time = before->phone.status ? before->phone.status->event_creation_time : std::nullopt;
        const auto new_time = p.status ? p.status->event_creation_time : std::nullopt;
        if (!IsNewer(new_time, held_time, observed_at, before->status_observed_at)) {
          p.status = before->phone.status;
          p.secondary_status = before->phone.secondary_status;
        } else {
          entry.status_observed_at = observed_at;
        }
      } else {
        entry.status_observed_at = observed_at;
        entry.fresh.last_change = observed_at;
      }
      RecordObservation(before, p, observed_at);
      if (before && (!SameStatus(before->phone.status, p.status) || before->phone.name != p.name ||
                     before->phone.site.id != p.site.id)) {
        entry.fresh.last_change = observed_at;
      }
      entry.fresh.last_seen = observed_at;
      entry.phone = std::move(p);
      std::string id = entry.phone.id;
      next.insert_or_assign(std::move(id), std::move(entry));
    }
    data_.phones = std::move(next);
    data_.phone_by_line.clear();
    data_.phone_by_webrtc_user.clear();
    for (const auto& [id, entry] : data_.phones) IndexPhone(data_, entry);
    data_.phone_index_built = true;
    data_.phones_loaded = true;
    Changed();
  }
  Notify();
}

bool TelephonyState::ApplyPhoneStatus(const PhoneStatusUpdate& update, UnixNanos observed_at) {
  {
    std::unique_lock lock(mu_);
    auto it = data_.phones.find(update.phone_id);
    if (it == data_.phones.end()) return false;
    PhoneEntry& entry = it->second;
    const auto held_time = entry.phone.status ? entry.phone.status->event_creation_time : std::nullopt;
    const auto new_time = update.status ? update.status->event_creation_time : std::nullopt;
    if (!IsNewer(new_time, held_time, observed_at, entry.status_observed_at)) return false;
    Phone after = entry.phone;
    if (update.status) {
      // Pushed bodies carry no edgesStatus: keep the one we know.
      std::string edges_status = after.status ? after.status->edges_status : std::string();
      after.status = update.status;
      if (after.status->edges_status.empty()) after.status->edges_status = edges_status;
    }
    if (update.secondary_status) after.secondary_status = update.secondary_status;
    RecordObservation(&entry, after, observed_at);
    if (!SameStatus(entry.phone.status, after.status)) entry.fresh.last_change = observed_at;
    entry.phone = std::move(after);
    IndexPhone(data_, entry);  // a pushed status may name lines we have not indexed
    entry.status_observed_at = observed_at;
    entry.fresh.last_seen = observed_at;
    Changed();
  }
  Notify();
  return true;
}

void TelephonyState::ReplaceStations(std::vector<Station> stations, UnixNanos observed_at) {
  {
    std::unique_lock lock(mu_);
    std::unordered_map<std::string, StationEntry> next;
    next.reserve(stations.size());
    for (auto& s : stations) {
      StationEntry entry;
      if (auto old = data_.stations.find(s.id); old != data_.stations.end()) {
        entry.fresh = old->second.fresh;
        const Station& o = old->second.station;
        if (o.user_id != s.user_id || o.status != s.status) entry.fresh.last_change = observed_at;
      } else {
        entry.fresh.last_change = observed_at;
      }
      entry.fresh.last_seen = observed_at;
      entry.station = std::move(s);
      std::string id = entry.station.id;
      next.insert_or_assign(std::move(id), std::move(entry));
    }
    data_.stations = std::move(next);
    data_.stations_loaded = true;
    Changed();
  }
  Notify();
}

void TelephonyState::SetFollowedUsers(const std::vector<std::string>& user_ids) {
  {
    std::unique_lock lock(mu_);
    std::map<std::string, UserEntry> next;
    for (const auto& id : user_ids) {
      auto old = data_.users.find(id);
      if (old != data_.users.end()) {
        next.emplace(id, old->second);
      } else {
        UserEntry e;
        e.station.user_id = id;
        next.emplace(id, e);
      }
    }
    data_.users = std::move(next);
    Changed();
  }
  Notify();
}

bool TelephonyState::ApplyUserStation(const UserStation& station, UnixNanos observed_at) {
  {
    std::unique_lock lock(mu_);
    auto it = data_.users.find(station.user_id);
    if (it == data_.users.end()) return false;
    UserEntry& e = it->second;
    if (e.known && e.fresh.last_seen > observed_at) return false;
    if (!e.known || e.station.station_id != station.station_id) e.fresh.last_change = observed_at;
    e.station = station;
    e.known = true;
    e.fresh.last_seen = observed_at;
    Changed();
  }
  Notify();
  return true;
}

void TelephonyState::ReplaceTrunks(std::vector<Trunk> trunks, UnixNanos observed_at) {
  {
    std::unique_lock lock(mu_);
    std::unordered_map<std::string, TrunkEntry> next;
    next.reserve(trunks.size());
    std::unordered_set<std::string> ids;
    for (auto& t : trunks) {
      TrunkEntry entry;
      entry.connected_observed_at = observed_at;
      if (auto old = data_.trunks.find(t.id); old != data_.trunks.end()) {
        const TrunkEntry& held = old->second;
        entry.fresh = held.fresh;
        entry.pushed = held.pushed;
        if (!IsNewer(t.connected_state_time, held.trunk.connected_state_time, observed_at,
                     held.connected_observed_at)) {
          t.connected = held.trunk.connected;
          t.connected_state_time = held.trunk.connected_state_time;
          entry.connected_observed_at = held.connected_observed_at;
        }
        t.options = MergeProxies(held.trunk.options, t.options, observed_at, held.connected_observed_at);
        t.registers = MergeProxies(held.trunk.registers, t.registers, observed_at, held.connected_observed_at);
        if (held.trunk.connected != t.connected || held.trunk.in_service != t.in_service ||
            !SameProxies(held.trunk.options, t.options) || !SameProxies(held.trunk.registers, t.registers)) {
          entry.fresh.last_change = observed_at;
        }
      } else {
        entry.fresh.last_change = observed_at;
      }
      entry.fresh.last_seen = observed_at;
      ids.insert(t.id);
      entry.trunk = std::move(t);
      std::string id = entry.trunk.id;
      next.insert_or_assign(std::move(id), std::move(entry));
    }
    data_.trunks = std::move(next);
    std::erase_if(data_.trunk_metrics, [&](const auto& kv) { return !ids.count(kv.first); });
    data_.trunks_loaded = true;
    Changed();
  }
  Notify();
}

bool TelephonyState::ApplyTrunkStatus(const TrunkStatusUpdate& u, UnixNanos observed_at) {
  {
    std::unique_lock lock(mu_);
    auto it = data_.trunks.find(u.trunk_id);
    if (it == data_.trunks.end()) return false;
    TrunkEntry& entry = it->second;
    Trunk& t = entry.trunk;
    bool applied = false, changed = false;
    if (u.connected &&
        IsNewer(u.connected_state_time, t.connected_state_time, observed_at, entry.connected_observed_at)) {
      changed |= t.connected != u.connected;
      t.connected = u.connected;
      t.connected_state_time = u.connected_state_time;
      entry.connected_observed_at = observed_at;
      applied = true;
    }
    if (u.options) {
      auto merged = MergeProxies(t.options, *u.options, observed_at, entry.connected_observed_at);
      changed |= !SameProxies(t.options, merged);
      t.options = std::move(merged);
      applied = true;
    }
    if (u.registers) {
      auto merged = MergeProxies(t.registers, *u.registers, observed_at, entry.connected_observed_at);
      changed |= !SameProxies(t.registers, merged);
      t.registers = std::move(merged);
      applied = true;
    }
    if (u.ip_address) t.ip_address = *u.ip_address;
    if (!applied) return false;
    entry.fresh.last_seen = observed_at;
    if (changed) entry.fresh.last_change = observed_at;
    Changed();
  }
  Notify();
  return true;
}

void TelephonyState::ReplaceTrunkBases(std::vector<TrunkBase> bases) {
  {
    std::unique_lock lock(mu_);
    data_.trunk_bases.clear();
    for (auto& b : bases) {
      std::string id = b.id;
      data_.trunk_bases.insert_or_assign(std::move(id), std::move(b));
    }
    Changed();
  }
  Notify();
}

bool TelephonyState::ApplyTrunkMetrics(const TrunkMetrics& m, UnixNanos observed_at) {
  (void)observed_at;
  {
    std::unique_lock lock(mu_);
    if (!data_.trunks.count(m.trunk_id)) return false;
    auto it = data_.trunk_metrics.find(m.trunk_id);
    if (it != data_.trunk_metrics.end() && it->second.event_time && m.event_time &&
        *m.event_time < *it->second.event_time) {
      return false;
    }
    data_.trunk_metrics.insert_or_assign(m.trunk_id, m);
    Changed();
  }
  Notify();
  return true;
}

void TelephonyState::MarkTrunkMetricsLoaded() {
  {
    std::unique_lock lock(mu_);
    if (data_.trunk_metrics_loaded) return;
    data_.trunk_metrics_loaded = true;
    Changed();
  }
  Notify();
}

void TelephonyState::ReplaceEdges(std::vector<Edge> edges, UnixNanos observed_at) {
  {
    std::unique_lock lock(mu_);
    std::unordered_map<std::string, EdgeEntry> next;
    next.reserve(edges.size());
    std::unordered_set<std::string> ids;
    for (auto& e : edges) {
      EdgeEntry entry;
      entry.online_observed_at = observed_at;
      if (auto old = data_.edges.find(e.id); old != data_.edges.end()) {
        const EdgeEntry& held = old->second;
        entry.fresh = held.fresh;
        entry.pushed = held.pushed;
        if (held.online_observed_at > observed_at) {
          e.online_status = held.edge.online_status;  // a push arrived after this request was sent
          entry.online_observed_at = held.online_observed_at;
        }
        if (held.edge.online_status != e.online_status) entry.fresh.last_change = observed_at;
      } else {
        entry.fresh.last_change = observed_at;
      }
      entry.fresh.last_seen = observed_at;
      ids.insert(e.id);
      entry.edge = std::move(e);
      std::string id = entry.edge.id;
      next.insert_or_assign(std::move(id), std::move(entry));
    }
    data_.edges = std::move(next);
    std::erase_if(data_.edge_metrics, [&](const auto& kv) { return !ids.count(kv.first); });
    data_.edges_loaded = true;
    Changed();
  }
  Notify();
}

bool TelephonyState::ApplyEdgeStatus(const EdgeStatusUpdate& u, UnixNanos observed_at) {
  {
    std::unique_lock lock(mu_);
    auto it = data_.edges.find(u.edge_id);
    if (it == data_.edges.end() || u.online_status.empty()) return false;
    EdgeEntry& entry = it->second;
    if (entry.online_observed_at > observed_at) return false;
    if (entry.edge.online_status != u.online_status) entry.fresh.last_change = observed_at;
    entry.edge.online_status = u.online_status;
    entry.online_observed_at = observed_at;
    entry.fresh.last_seen = observed_at;
    Changed();
  }
  Notify();
  return true;
}

bool TelephonyState::ApplyEdgeMetrics(const EdgeMetrics& m, UnixNanos observed_at) {
  (void)observed_at;
  {
    std::unique_lock lock(mu_);
    if (!data_.edges.count(m.edge_id)) return false;
    auto it = data_.edge_metrics.find(m.edge_id);
    if (it != data_.edge_metrics.end() && it->second.event_time && m.event_time &&
        *m.event_time < *it->second.event_time) {
      return false;
    }
    data_.edge_metrics.insert_or_assign(m.edge_id, m);
    Changed();
  }
  Notify();
  return true;
}

void TelephonyState::ReplaceTlsTargets(std::vector<TlsTarget> targets, bool complete) {
  {
    std::unique_lock lock(mu_);
    std::map<std::string, TlsEntry> next;
    for (auto& t : targets) {
      std::string key = t.key();
      TlsEntry entry;
      if (auto old = data_.tls.find(key); old != data_.tls.end()) {
        entry.result = old->second.result;
        entry.sip_failures = old->second.sip_failures;
      }
      entry.target = std::move(t);
      next.insert_or_assign(std::move(key), std::move(entry));
    }
    data_.tls = std::move(next);
    data_.tls_targets_complete = complete;
    Changed();
  }
  Notify();
}

void TelephonyState::ApplyTlsResult(const TlsProbeResult& result) {
  {
    std::unique_lock lock(mu_);
    auto it = data_.tls.find(result.target);
    if (it == data_.tls.end()) return;  // the target was removed while it was probed
    it->second.result = result;
    const SipOptionsResult& sip = result.sip_options;
    if (sip.attempted && !sip.status_code && !sip.failure.empty()) ++it->second.sip_failures[sip.failure];
    Changed();
  }
  Notify();
}

void TelephonyState::SetPushed(const std::vector<std::string>& phone_ids,
                               const std::vector<std::string>& trunk_ids,
                               const std::vector<std::string>& edge_ids) {
  {
    std::unique_lock lock(mu_);
    for (auto& [id, e] : data_.phones) e.pushed = false;
    for (auto& [id, e] : data_.trunks) e.pushed = false;
    for (auto& [id, e] : data_.edges) e.pushed = false;
    for (const auto& id : phone_ids)
      if (auto it = data_.phones.find(id); it != data_.phones.end()) it->second.pushed = true;
    for (const auto& id : trunk_ids)
      if (auto it = data_.trunks.find(id); it != data_.trunks.end()) it->second.pushed = true;
    for (const auto& id : edge_ids)
      if (auto it = data_.edges.find(id); it != data_.edges.end()) it->second.pushed = true;
    Changed();
  }
  Notify();
}

}  // namespace gx
