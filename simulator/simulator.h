// genesys_sim in-process: a Genesys Cloud stand-in (OAuth, /api/v2 REST, the notification
// WebSocket, carrier SIP-TLS listeners) plus the /sim/v1 control API, driven by a Scenario.
// Start() binds 127.0.0.1 (port 0 unless given) and runs on its own threads; every method is
// thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exporter/util/clock.h"
#include "exporter/util/result.h"
#include "simulator/request_log.h"
#include "simulator/scenario.h"
#include "simulator/truth.h"

namespace gx::sim {

struct TlsEndpointInfo {
  std::string name;     // valid, expiring, expired, self_signed, wrong_host, intermediate_expiring
  std::string address;  // 127.0.0.1:port, as listed in trunk proxy lists
  bool expect_verified = false;  // chain + hostname verify against ca_bundle_path() for "127.0.0.1"
};

class SimCore;
class HttpFront;
class StreamingServer;
class TlsListeners;
class PhoneLineLoad;

class Simulator {
 public:
  explicit Simulator(Scenario scenario, const Clock& clock = SystemClock::Instance());
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Binds HTTP on 127.0.0.1:http_port (0 = any), the WebSocket server and TLS listeners on
  // ephemeral ports. Fails when something cannot bind.
  Status Start(int http_port = 0);
  void Stop();

  int http_port() const;
  int ws_port() const;
  std::string base_url() const;  // http://127.0.0.1:PORT (both /oauth/token and /api/v2)
  const Scenario& scenario() const;

  // TLS: the CA bundle (PEM) that verifies the "valid" listeners, and the listeners.
  std::string ca_bundle_path() const;
  std::vector<TlsEndpointInfo> tls_endpoints() const;

  // In-process control (mirrors /sim/v1). `phone`, `trunk`, `edge`, `user` accept an id, a name
  // or a 0-based index. Return false when the target is unknown.
  bool SetLineReachable(const std::string& phone, int line, bool reachable);
  bool SetPhoneStatus(const std::string& phone, const std::string& operational_status, bool secondary = false);
  bool SetTrunkConnected(const std::string& trunk, bool connected);
  bool SetTrunkOptions(const std::string& trunk, int proxy, bool up);
  bool SetTrunkRegister(const std::string& trunk, int proxy, bool up);
  bool SetTrunkInService(const std::string& trunk, bool in_service);
  bool SetTrunkCalls(const std::string& trunk, int inbound, int outbound, int qos_mismatches);
  bool SetEdgeOnline(const std::string& edge, bool online);
  bool SetStationUser(const std::string& user, const std::string& phone);  // phone "" = disassociate
  bool DeleteEntity(const std::string& kind, const std::string& id);      // kind: phone|trunk|edge
  Result<std::string> AddPhone(const std::string& site, const std::string& name = "");  // the new phone's id
  // Any TimelineEvent action, as the scenario timeline and POST /sim/v1/mutations use.
  Status Apply(const TimelineEvent& event);

  int InjectFault(const FaultSpec& fault);  // HTTP kinds: returns id > 0
  bool RemoveFault(int id);
  void ClearFaults();
  int RevokeTokens();
  int SendSocketClosing(double close_after_s = 0);  // 0: close right after the message
  int DropSockets();                                // no close frame
  void SetHeartbeats(bool enabled);
  void SetHeartbeatInterval(double seconds);
  void SetChannelLifetime(double seconds, bool apply_to_existing = true);
  // New channels report this `expires` text instead of the real one ("" = the truth).
  void SetReportedChannelExpires(const std::string& text);
  int connected_sockets() const;

  Truth GetTruth() const;
  std::vector<RequestRecord> Requests(std::uint64_t since_seq = 0) const;
  std::uint64_t RequestCount(const std::string& endpoint) const;
  void ResetRequests();

  // Ids for tests: phones/trunks (by type, "" = all)/edges/users (associated ones first).
  std::vector<std::string> PhoneIds() const;
  std::vector<std::string> TrunkIds(const std::string& trunk_type = "") const;
  std::vector<std::string> EdgeIds() const;
  std::vector<std::string> UserIds() const;
  std::vector<std::string> SiteIds() const;

  SimCore& core() { return *core_; }
  // The benches' steady stream of line changes (POST /sim/v1/load/phone_lines).
  PhoneLineLoad& phone_line_load() { return *load_; }

 private:
  Scenario scenario_;
  const Clock& clock_;
  std::unique_ptr<TlsListeners> tls_;
  std::unique_ptr<SimCore> core_;
  std::unique_ptr<PhoneLineLoad> load_;  // changes core_: declared after it, so destroyed before
  std::unique_ptr<StreamingServer> ws_;
  std::unique_ptr<HttpFront> http_;
  bool started_ = false;
};

}  // namespace gx::sim
