#include "simulator/simulator.h"

#include <csignal>
#include <shared_mutex>

#include "simulator/http_front.h"
#include "simulator/phone_line_load.h"
#include "simulator/sim_core.h"
#include "simulator/streaming_server.h"
#include "simulator/tls_listeners.h"
#include "exporter/util/logging.h"

namespace gx::sim {

Simulator::Simulator(Scenario scenario, const Clock& clock)
    : scenario_(std::move(scenario)), clock_(clock), tls_(std::make_unique<TlsListeners>()) {
  // The TLS listeners are bound first so that trunk proxy lists can name their ports.
  std::vector<TlsTarget> targets;
  if (Status made = tls_->Init(scenario_.tls_endpoints, scenario_.expiring_days, scenario_.intermediate_days); made) {
    for (const auto& e : tls_->endpoints()) targets.push_back({e.name, e.address});
  } else {
    gx::LogWarn("genesys_sim: no TLS endpoints", {{"err", made.error()}});
  }
  core_ = std::make_unique<SimCore>(scenario_, clock_, targets);
  core_->ca_bundle_path = tls_->ca_path();
  load_ = std::make_unique<PhoneLineLoad>(*core_);
  ws_ = std::make_unique<StreamingServer>(*core_);
  http_ = std::make_unique<HttpFront>(*core_, *this);
}

Simulator::~Simulator() { Stop(); }

Status Simulator::Start(int http_port) {
  if (started_) return Status::Ok();
  // A peer that closes mid-write must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  if (Status ws = ws_->Start(scenario_.streaming_tls, tls_->server_cert_pem(), tls_->server_key_pem()); !ws) return ws;
  core_->ws_base = std::string(scenario_.streaming_tls ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(ws_->port());
  if (Status http = http_->Start(http_port); !http) {
    ws_->Stop();
    return http;
  }
  tls_->Start();
  core_->StartTicker();
  started_ = true;
  return Status::Ok();
}

void Simulator::Stop() {
  if (!started_) return;
  started_ = false;
  http_->Stop();
  load_->Stop();
  core_->StopTicker();
  core_->channels.DropAll();
  ws_->Stop();
  // A socket accepted just before the stop may have attached late; its queued work dies with
  // the WebSocket server's io_context, which goes before the registry.
  core_->channels.DropAll();
  tls_->Stop();
}

int Simulator::http_port() const { return http_->port(); }
int Simulator::ws_port() const { return ws_->port(); }
std::string Simulator::base_url() const { return "http://127.0.0.1:" + std::to_string(http_->port()); }
const Scenario& Simulator::scenario() const { return scenario_; }
std::string Simulator::ca_bundle_path() const { return tls_->ca_path(); }
std::vector<TlsEndpointInfo> Simulator::tls_endpoints() const { return tls_->endpoints(); }

bool Simulator::SetLineReachable(const std::string& phone, int line, bool reachable) {
  return core_->SetLineReachable(phone, line, reachable).ok();
}
bool Simulator::SetPhoneStatus(const std::string& phone, const std::string& s, bool secondary) {
  return core_->SetPhoneStatus(phone, s, secondary).ok();
}
bool Simulator::SetTrunkConnected(const std::string& trunk, bool connected) {
  return core_->SetTrunkConnected(trunk, connected).ok();
}
bool Simulator::SetTrunkOptions(const std::string& trunk, int proxy, bool up) {
  return core_->SetTrunkOptions(trunk, proxy, up).ok();
}
bool Simulator::SetTrunkRegister(const std::string& trunk, int proxy, bool up) {
  return core_->SetTrunkRegister(trunk, proxy, up).ok();
}
bool Simulator::SetTrunkInService(const std::string& trunk, bool in_service) {
  return core_->SetTrunkInService(trunk, in_service).ok();
}
bool Simulator::SetTrunkCalls(const std::string& trunk, int in, int out, int qos) {
  return core_->SetTrunkCalls(trunk, in, out, qos).ok();
}
bool Simulator::SetEdgeOnline(const std::string& edge, bool online) { return core_->SetEdgeOnline(edge, online).ok(); }
bool Simulator::SetStationUser(const std::string& user, const std::string& phone) {
  return core_->SetStationUser(user, phone).ok();
}
bool Simulator::DeleteEntity(const std::string& kind, const std::string& id) {
  return core_->DeleteEntity(kind, id).ok();
}
Result<std::string> Simulator::AddPhone(const std::string& site, const std::string& name) {
  return core_->AddPhone(site, name);
}
Status Simulator::Apply(const TimelineEvent& event) { return core_->ApplyEvent(event); }

int Simulator::InjectFault(const FaultSpec& fault) { return core_->InjectFault(fault); }
bool Simulator::RemoveFault(int id) { return core_->faults.Remove(id); }
void Simulator::ClearFaults() {
  core_->faults.Clear();
  core_->SetHeartbeats(true);
}
int Simulator::RevokeTokens() { return core_->RevokeTokens(); }
int Simulator::SendSocketClosing(double close_after_s) { return core_->SendSocketClosing(close_after_s); }
int Simulator::DropSockets() { return core_->DropSockets(); }
void Simulator::SetHeartbeats(bool enabled) { core_->SetHeartbeats(enabled); }
void Simulator::SetHeartbeatInterval(double seconds) { core_->SetHeartbeatInterval(seconds); }
void Simulator::SetChannelLifetime(double seconds, bool apply) { core_->SetChannelLifetime(seconds, apply); }
void Simulator::SetReportedChannelExpires(const std::string& text) { core_->channels.SetReportedExpires(text); }
int Simulator::connected_sockets() const { return core_->channels.connected_count(); }

Truth Simulator::GetTruth() const { return core_->GetTruth(); }
std::vector<RequestRecord> Simulator::Requests(std::uint64_t since) const { return core_->requests.Since(since); }
std::uint64_t Simulator::RequestCount(const std::string& endpoint) const { return core_->requests.Count(endpoint); }
void Simulator::ResetRequests() { core_->requests.Reset(); }

std::vector<std::string> Simulator::PhoneIds() const {
  return core_->Read([](const Org& org) {
    std::vector<std::string> out;
    for (const auto& p : org.phones) {
      if (!p.deleted) out.push_back(p.id);
    }
    return out;
  });
}

std::vector<std::string> Simulator::TrunkIds(const std::string& type) const {
  return core_->Read([&](const Org& org) {
    std::vector<std::string> out;
    for (const auto& t : org.trunks) {
      if (!t.deleted && (type.empty() || t.trunk_type == type)) out.push_back(t.id);
    }
    return out;
  });
}

std::vector<std::string> Simulator::EdgeIds() const {
  return core_->Read([](const Org& org) {
    std::vector<std::string> out;
    for (const auto& e : org.edges) {
      if (!e.deleted) out.push_back(e.id);
    }
    return out;
  });
}

std::vector<std::string> Simulator::UserIds() const {
  return core_->Read([](const Org& org) {
    std::vector<std::string> out;
    for (const auto& u : org.users) {
      if (u.station >= 0) out.push_back(u.id);
    }
    for (const auto& u : org.users) {
      if (u.station < 0) out.push_back(u.id);
    }
    return out;
  });
}

std::vector<std::string> Simulator::SiteIds() const {
  return core_->Read([](const Org& org) {
    std::vector<std::string> out;
    for (const auto& s : org.sites) out.push_back(s.id);
    return out;
  });
}

}  // namespace gx::sim
