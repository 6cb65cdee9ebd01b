#include "simulator/sim_core.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "simulator/random_walk.h"
#include "simulator/render.h"
#include "simulator/timeline.h"
#include "exporter/util/logging.h"
#include "exporter/util/time_math.h"

namespace gx::sim {
namespace {

// The control API and the scenario file reject other values; in-process callers are clamped.
double SaneChannelLifetime(double s) {
  return std::isnan(s) ? kMaxChannelLifetimeS : std::clamp(s, 0.001, kMaxChannelLifetimeS);
}

}  // namespace

SimCore::SimCore(Scenario scenario, const Clock& clock, const std::vector<TlsTarget>& targets)
    : channels(scenario.max_channels, scenario.max_topics),
      tls_targets(targets),
      scenario_(std::move(scenario)),
      clock_(clock),
      heartbeat_ms_(HeartbeatMillis(scenario_.heartbeat_s)),
      channel_lifetime_ms_(static_cast<long long>(SaneChannelLifetime(scenario_.channel_lifetime_s) * 1000)) {
  org = GenerateOrg(scenario_, clock_.Now(), targets);
}

SimCore::~SimCore() { StopTicker(); }

long long SimCore::HeartbeatMillis(double s) {
  return static_cast<long long>((std::isnan(s) ? 30 : std::clamp(s, 0.0, kMaxHeartbeatIntervalS)) * 1000);
}

void SimCore::StartTicker() {
  std::lock_guard lock(ticker_mu_);
  if (ticker_.joinable()) return;
  stop_ = false;
  started_ = clock_.Now();
  ticker_ = std::thread([this] { TickerLoop(); });
}

void SimCore::StopTicker() {
  {
    std::lock_guard lock(ticker_mu_);
    stop_ = true;
  }
  ticker_cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  // Delayed closes hold connections whose I/O goes with the streaming server, which is
  // stopped next: releasing them later (in ~SimCore) used freed memory.
  std::lock_guard lock(ticker_mu_);
  pending_.clear();
}

void SimCore::TickerLoop() {
  std::mt19937_64 rng(scenario_.seed + 1);
  const double scale = scenario_.time_scale;
  Timeline timeline(scenario_.timeline, scenario_.faults);
  const UnixNanos walk_step = SecondsToNanos(scenario_.walk.interval_s / scale);
  UnixNanos next_walk = started_ + walk_step;
  for (;;) {
    {
      std::unique_lock lock(ticker_mu_);
      ticker_cv_.wait_for(lock, std::chrono::milliseconds(20), [this] { return stop_; });
      if (stop_) return;
    }
    try {
      const UnixNanos now = clock_.Now();
      const double elapsed_s = ToSeconds(now - started_) * scale;
      channels.Tick(now, heartbeat_interval_s(), heartbeats_enabled_);
      for (const auto& ev : timeline.TakeEvents(elapsed_s)) {
        if (Status applied = ApplyEvent(ev); !applied) {
          gx::LogWarn("genesys_sim: a scripted step failed, skipped",
                      {{"action", ev.action}, {"target", ev.target}, {"err", applied.error()}});
        }
      }
      for (const auto& f : timeline.TakeFaults(elapsed_s)) InjectFault(f);
      if (scenario_.walk.enabled && now >= next_walk) {
        WalkStep(*this, scenario_.walk, rng, [this](double after_s, std::function<void()> recovery) {
          std::lock_guard lock(ticker_mu_);
          pending_.push_back({Now() + SecondsToNanos(after_s / scenario_.time_scale), std::move(recovery)});
        });
        next_walk = now + walk_step;
      }
      std::vector<Pending> due;
      {
        std::lock_guard lock(ticker_mu_);
        auto it = std::partition(pending_.begin(), pending_.end(), [now](const Pending& p) { return p.at > now; });
        due.assign(std::make_move_iterator(it), std::make_move_iterator(pending_.end()));
        pending_.erase(it, pending_.end());
      }
      for (auto& p : due) p.action();
    } catch (const std::exception& e) {
      // Nothing may escape this thread; a bad scripted step is skipped.
      gx::LogWarn("genesys_sim: a scripted step failed, skipped", {{"err", e.what()}});
    }
  }
}

template <typename F>
Status SimCore::ChangePhone(const std::string& key, F&& f) {
  std::string topic, body;
  {
    std::unique_lock lock(org_mu);
    int i = org.FindPhone(key);
    if (i < 0 || org.phones[i].deleted) return Status::Error("unknown phone '" + key + "'");
    auto& p = org.phones[i];
    if (!f(p)) return Status::Error("invalid change for phone '" + key + "'");
    topic = "v2.telephony.providers.edges.phones." + p.id;
    body = PhoneEventBody(org, i);
  }
  Publish(topic, body);
  ++events_published;
  return Status::Ok();
}

template <typename F>
Status SimCore::ChangeTrunk(const std::string& key, bool metrics, F&& f) {
  std::string topic, body;
  {
    std::unique_lock lock(org_mu);
    int i = org.FindTrunk(key);
    if (i < 0 || org.trunks[i].deleted) return Status::Error("unknown trunk '" + key + "'");
    if (!f(org.trunks[i])) return Status::Error("invalid change for trunk '" + key + "'");
    topic = "v2.telephony.providers.edges.trunks." + org.trunks[i].id + (metrics ? ".metrics" : "");
    body = metrics ? TrunkMetricsEventBody(org, i) : TrunkEventBody(org, i);
  }
  Publish(topic, body);
  ++events_published;
  return Status::Ok();
}

Status SimCore::SetLineReachable(const std::string& phone, int line, bool reachable) {
  const UnixNanos now = Now();
  return ChangePhone(phone, [&](PhoneModel& p) {
    if (line < 0 || line >= static_cast<int>(p.lines.size())) return false;
    auto& l = p.lines[line];
    if (l.reachable != reachable) l.reachable_time = now;
    l.reachable = reachable;
    p.status_time = now;
    return true;
  });
}

Status SimCore::SetPhoneStatus(const std::string& phone, const std::string& status, bool secondary) {
  const UnixNanos now = Now();
  return ChangePhone(phone, [&](PhoneModel& p) {
    (secondary ? p.secondary_status : p.status) = status;
    p.status_time = now;
    if (!secondary) {
      // An offline phone cannot reach its edge; a phone back in operation registers again.
      bool reach = status != "OFFLINE";
      if (status == "OFFLINE" || status == "OPERATIONAL") {
        for (auto& l : p.lines) {
          if (l.reachable != reach) l.reachable_time = now;
          l.reachable = reach;
        }
      }
    }
    return true;
  });
}

Status SimCore::SetTrunkConnected(const std::string& trunk, bool connected) {
  const UnixNanos now = Now();
  return ChangeTrunk(trunk, false, [&](TrunkModel& t) {
    if (t.connected != connected) t.connected_time = now;
    t.connected = connected;
    return true;
  });
}

Status SimCore::SetTrunkOptions(const std::string& trunk, int proxy, bool up) {
  const UnixNanos now = Now();
  return ChangeTrunk(trunk, false, [&](TrunkModel& t) {
    if (proxy < 0 || proxy >= static_cast<int>(t.proxies.size())) return false;
    auto& px = t.proxies[proxy];
    if (px.options_up != up) px.options_time = now;
    px.options_up = up;
    return true;
  });
}

Status SimCore::SetTrunkRegister(const std::string& trunk, int proxy, bool up) {
  const UnixNanos now = Now();
  return ChangeTrunk(trunk, false, [&](TrunkModel& t) {
    if (proxy < 0 || proxy >= static_cast<int>(t.proxies.size())) return false;
    auto& px = t.proxies[proxy];
    if (px.register_up != up) px.register_time = now;
    px.register_up = up;
    return true;
  });
}

Status SimCore::SetTrunkInService(const std::string& trunk, bool in_service) {
  return ChangeTrunk(trunk, false, [&](TrunkModel& t) {
    t.in_service = in_service;
    return true;
  });
}

Status SimCore::SetTrunkCalls(const std::string& trunk, int inbound, int outbound, int qos) {
  const UnixNanos now = Now();
  return ChangeTrunk(trunk, true, [&](TrunkModel& t) {
    if (inbound >= 0) t.inbound = inbound;
    if (outbound >= 0) t.outbound = outbound;
    if (qos >= 0) t.qos_mismatches = qos;
    t.metrics_time = now;
    return true;
  });
}

Status SimCore::SetEdgeOnline(const std::string& edge, bool online) {
  const UnixNanos now = Now();
  std::string topic, body;
  {
    std::unique_lock lock(org_mu);
    int i = org.FindEdge(edge);
    if (i < 0 || org.edges[i].deleted) return Status::Error("unknown edge '" + edge + "'");
    auto& e = org.edges[i];
    if (e.online != online) {
      e.online_time = now;
      if (online) e.boot_time = now;
    }
    e.online = online;
    topic = "v2.telephony.providers.edges." + e.id;
    body = EdgeEventBody(org, i);
  }
  Publish(topic, body);
  ++events_published;
  return Status::Ok();
}

Status SimCore::SetStationUser(const std::string& user, const std::string& phone) {
  const UnixNanos now = Now();
  std::string topic, body;
  {
    std::unique_lock lock(org_mu);
    int u = org.FindUser(user);
    if (u < 0) return Status::Error("unknown user '" + user + "'");
    auto& um = org.users[u];
    if (um.station >= 0) org.stations[um.station].user = -1;
    um.station = -1;
    if (!phone.empty()) {
      int p = org.FindPhone(phone);
      if (p < 0 || org.phones[p].deleted) return Status::Error("unknown phone '" + phone + "'");
      // Station i belongs to phone i.
      auto& st = org.stations[p];
      if (st.user >= 0) org.users[st.user].station = -1;
      st.user = u;
      st.associated_time = now;
      um.station = p;
    }
    topic = "v2.users." + um.id + ".station";
    body = UserStationEventBody(org, u);
  }
  Publish(topic, body);
  ++events_published;
  return Status::Ok();
}

Status SimCore::DeleteEntity(const std::string& kind, const std::string& id) {
  std::unique_lock lock(org_mu);
  if (kind == "phone") {
    int i = org.FindPhone(id);
    if (i < 0 || org.phones[i].deleted) return Status::Error("unknown phone '" + id + "'");
    org.phones[i].deleted = true;
    auto& st = org.stations[i];
    if (st.user >= 0) org.users[st.user].station = -1;
    st.user = -1;
    org.RebuildPhoneIndexes();
    return Status::Ok();
  }
  if (kind == "trunk") {
    int i = org.FindTrunk(id);
    if (i < 0 || org.trunks[i].deleted) return Status::Error("unknown trunk '" + id + "'");
    org.trunks[i].deleted = true;
    return Status::Ok();
  }
  if (kind == "edge") {
    int i = org.FindEdge(id);
    if (i < 0 || org.edges[i].deleted) return Status::Error("unknown edge '" + id + "'");
    org.edges[i].deleted = true;
    return Status::Ok();
  }
  return Status::Error("unknown kind '" + kind + "' (phone, trunk, edge)");
}

Result<std::string> SimCore::AddPhone(const std::string& site, const std::string& name) {
  thread_local std::mt19937_64 rng(std::random_device{}());
  const UnixNanos now = Now();
  std::unique_lock lock(org_mu);
  int s = -1;
  if (auto it = org.site_index.find(site); it != org.site_index.end()) s = it->second;
  for (size_t i = 0; s < 0 && i < org.sites.size(); ++i) {
    if (org.sites[i].name == site || std::to_string(i) == site) s = static_cast<int>(i);
  }
  if (s < 0) return Status::Error("unknown site '" + site + "'");
  PhoneModel p;
  p.id = MakeId(rng);
  p.status_id = MakeId(rng);
  p.secondary_status_id = MakeId(rng);
  p.site = s;
  p.edge = p.edge2 = org.sites[s].edges.front();
  p.name = name.empty() ? org.sites[s].name + " Added " + p.id.substr(0, 6) : name;
  p.created = p.provision_time = p.status_time = now;
  p.manufacturer = "Poly";
  p.model = "VVX 450";
  p.firmware = "6.4.3.5018";
  p.hardware_id = p.id.substr(24);
  LineModel l;
  l.id = MakeId(rng);
  l.name = "line1_" + p.hardware_id;
  l.reachable_time = now;
  p.lines.push_back(l);
  int idx = static_cast<int>(org.phones.size());
  org.phone_index[p.id] = idx;
  StationModel st;
  st.id = MakeId(rng);
  st.name = p.name;
  st.type = "inin_remote";
  st.phone = idx;
  org.station_index[st.id] = idx;
  org.stations.push_back(st);
  org.phones.push_back(p);
  org.RebuildPhoneIndexes();
  return p.id;
}

Status SimCore::ApplyEvent(const TimelineEvent& ev) { return ApplyTimelineEvent(*this, ev); }

int SimCore::InjectFault(const FaultSpec& f) {
  if (FaultSet::IsHttpKind(f.kind)) return faults.Add(f, Now());
  if (f.kind == "socket_drop") {
    DropSockets();
  } else if (f.kind == "socket_closing") {
    SendSocketClosing(f.duration_s);
  } else if (f.kind == "heartbeat_stop") {
    SetHeartbeats(false);
    if (f.duration_s > 0) {
      std::lock_guard lock(ticker_mu_);
      pending_.push_back({Now() + SecondsToNanos(f.duration_s), [this] { SetHeartbeats(true); }});
    }
  } else if (f.kind == "heartbeat_start") {
    SetHeartbeats(true);
  } else if (f.kind == "token_revoke") {
    RevokeTokens();
  }
  return 0;
}

int SimCore::RevokeTokens() {
  auto revoked = tokens.RevokeAll();
  channels.RemoveForTokens(revoked);
  return static_cast<int>(revoked.size());
}

int SimCore::SendSocketClosing(double close_after_s) {
  if (close_after_s <= 0) return channels.SendSocketClosing(true);
  // Only the sockets that got the warning close later: a channel opened after it stays up,
  // as a client that reconnects at once expects (issue 6).
  auto warned = channels.Connections();
  int n = channels.SendSocketClosing(false);
  std::lock_guard lock(ticker_mu_);
  pending_.push_back({Now() + SecondsToNanos(close_after_s), [warned] {
                        for (const auto& c : warned) c->Close();
                      }});
  return n;
}

int SimCore::DropSockets() { return channels.DropAll(); }

void SimCore::SetChannelLifetime(double s, bool apply_to_existing) {
  s = SaneChannelLifetime(s);
  channel_lifetime_ms_ = static_cast<long long>(s * 1000);
  if (apply_to_existing) channels.SetLifetimeForAll(Now(), s);
}

Truth SimCore::GetTruth() const {
  Truth t;
  {
    std::shared_lock lock(org_mu);
    for (const auto& s : org.sites) {
      SiteTruth st;
      st.id = s.id;
      st.name = s.name;
      for (const char* k : {"OPERATIONAL", "DEGRADED", "OFFLINE", "UNKNOWN"}) st.phones_by_status[k] = 0;
      t.sites.push_back(st);
    }
    for (const auto& p : org.phones) {
      if (p.deleted) continue;
      auto& st = t.sites[p.site];
      ++st.phones_by_status[p.status];
      ++st.phones;
      ++t.phones;
      bool all = true;
      for (const auto& l : p.lines) {
        ++st.lines;
        st.lines_reachable += l.reachable;
        all = all && l.reachable;
      }
      st.phones_registered += all;
    }
    for (const auto& tr : org.trunks) {
      if (tr.deleted) continue;
      TrunkTruth tt;
      tt.id = tr.id;
      tt.name = tr.name;
      tt.type = tr.trunk_type;
      tt.edge_id = org.edges[tr.edge].id;
      tt.protocol = org.bases[tr.base].protocol;
      tt.tls_case = tr.tls_case;
      tt.connected = tr.connected;
      tt.in_service = tr.in_service;
      tt.enabled = tr.enabled;
      tt.options_enabled = tr.options_enabled;
      tt.registers_enabled = tr.registers_enabled;
      for (const auto& px : tr.proxies) tt.proxies.push_back({px.address, px.options_up, px.register_up});
      tt.inbound = tr.inbound;
      tt.outbound = tr.outbound;
      tt.qos_mismatches = tr.qos_mismatches;
      t.trunks.push_back(std::move(tt));
    }
    for (const auto& e : org.edges) {
      if (e.deleted) continue;
      t.edges.push_back({e.id, e.name, org.sites[e.site].name, e.online});
      t.edges_online += e.online;
    }
    for (const auto& u : org.users) {
      if (u.station < 0) continue;
      UserTruth ut;
      ut.id = u.id;
      ut.name = u.name;
      const auto& st = org.stations[u.station];
      ut.station_id = st.id;
      const auto& p = org.phones[st.phone];
      ut.phone_id = p.id;
      ut.registered = std::all_of(p.lines.begin(), p.lines.end(), [](const LineModel& l) { return l.reachable; });
      t.users.push_back(ut);
    }
  }
  t.requests = requests.Counts();
  return t;
}

}  // namespace gx::sim
