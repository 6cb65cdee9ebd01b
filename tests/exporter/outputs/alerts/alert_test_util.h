// Builders of telephony state for the alert, webhook and dashboard tests.
#pragma once

#include <string>
#include <vector>

#include "exporter/outputs/alerts/alert_message.h"
#include "exporter/state/telephony_state.h"

namespace gx::testing {

inline constexpr UnixNanos kT0 = 1'790'000'000LL * kNanosPerSecond;  // 2026-09-21

inline Phone MakePhone(const std::string& id, const std::string& site, bool registered, int lines = 1) {
  Phone p;
  p.id = id;
  p.name = "Phone " + id;
  p.state = "active";
  p.site = {site + "-id", site};
  p.media_codecs = {"audio/opus", "audio/PCMU"};
  PhoneStatus st;
  st.operational_status = registered ? "OPERATIONAL" : "OFFLINE";
  for (int i = 0; i < lines; ++i) {
    LineStatus l;
    l.id = id + "-line" + std::to_string(i);
    l.reachable = registered;
    st.lines.push_back(l);
  }
  p.line_ids = {id + "-line0"};
  p.status = st;
  return p;
}

inline Trunk MakeTrunk(const std::string& id, bool connected, bool proxy_up = true) {
  Trunk t;
  t.id = id;
  t.name = "Carrier " + id;
  t.trunk_type = "EXTERNAL";
  t.state = "active";
  t.in_service = true;
  t.enabled = true;
  t.connected = connected;
  t.options_enabled_status = "ENABLED";
  t.options = {ProxyState{"sip1.example.net:5061", proxy_up, std::nullopt, ""},
               ProxyState{"sip2.example.net:5061", true, std::nullopt, ""}};
  return t;
}

inline Edge MakeEdge(const std::string& id, const std::string& site, bool online) {
  Edge e;
  e.id = id;
  e.name = "Edge " + id;
  e.state = "active";
  e.site = {site + "-id", site};
  e.online_status = online ? "ONLINE" : "OFFLINE";
  return e;
}

inline TlsProbeResult MakeTlsResult(const std::string& target, UnixNanos not_after, bool verified = true) {
  TlsProbeResult r;
  r.target = target;
  r.success = verified;
  r.connected = r.handshake_ok = true;
  r.chain_verified = r.hostname_verified = verified;
  r.verify_result = verified ? "ok" : "certificate has expired";
  CertificateFacts c;
  c.subject_cn = "sip.example.net";
  c.issuer_cn = "Test CA";
  c.serial = "01";
  c.not_before = not_after - 365LL * 86400 * kNanosPerSecond;
  c.not_after = not_after;
  r.chain = {c};
  r.probed_at = kT0;
  return r;
}

// Follows `user_id`, whose station st1 is on the first line of phone `phone_id`.
inline void FollowUserOnPhone(TelephonyState& t, const std::string& user_id, const std::string& phone_id,
                              UnixNanos now) {
  Station st;
  st.id = "st1";
  st.line_appearance_id = phone_id + "-line0";
  t.ReplaceStations({st}, now);
  t.SetFollowedUsers({user_id});
  t.ApplyUserStation({user_id, "st1", "Station 1", ""}, now);
}

// A sink that records everything it is given.
class RecordingSink : public AlertMessageSink {
 public:
  void Enqueue(const AlertMessage& n) override {
    std::lock_guard l(mu);
    messages.push_back(n);
  }
  void EnqueueAlertStates(const std::vector<Alert>& alerts, bool full, UnixNanos) override {
    std::lock_guard l(mu);
    states.push_back({alerts, full});
  }
  void EnqueueWatchdog(const AlertMessage& heartbeat, UnixNanos ttl) override {
    std::lock_guard l(mu);
    heartbeats.push_back({heartbeat, ttl});
  }
  std::vector<AlertMessage> Take() {
    std::lock_guard l(mu);
    return std::exchange(messages, {});
  }
  std::mutex mu;
  std::vector<AlertMessage> messages;
  std::vector<std::pair<std::vector<Alert>, bool>> states;
  std::vector<std::pair<AlertMessage, UnixNanos>> heartbeats;
};

}  // namespace gx::testing
