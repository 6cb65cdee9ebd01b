// The simulator's shared state and behaviour: the org (behind a shared_mutex), tokens, faults,
// the request log, notification channels, and every change (control API, timeline, random walk),
// each applied to the org and published as an event. Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <shared_mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "exporter/util/clock.h"
#include "exporter/util/result.h"
#include "simulator/channel_registry.h"
#include "simulator/fault_set.h"
#include "simulator/org.h"
#include "simulator/request_log.h"
#include "simulator/scenario.h"
#include "simulator/token_store.h"
#include "simulator/truth.h"

namespace gx::sim {

class SimCore {
 public:
  SimCore(Scenario scenario, const Clock& clock, const std::vector<TlsTarget>& tls_targets);
  ~SimCore();
  SimCore(const SimCore&) = delete;
  SimCore& operator=(const SimCore&) = delete;

  // Starts/stops the thread that runs heartbeats, expiry, the timeline and the random walk.
  void StartTicker();
  void StopTicker();

  UnixNanos Now() const { return clock_.Now(); }
  const Scenario& scenario() const { return scenario_; }

  // Changes. Each fails when the target is unknown or the change does not fit it.
  Status ApplyEvent(const TimelineEvent& ev);
  Status SetLineReachable(const std::string& phone, int line, bool reachable);
  Status SetPhoneStatus(const std::string& phone, const std::string& status, bool secondary);
  Status SetTrunkConnected(const std::string& trunk, bool connected);
  Status SetTrunkOptions(const std::string& trunk, int proxy, bool up);
  Status SetTrunkRegister(const std::string& trunk, int proxy, bool up);
  Status SetTrunkInService(const std::string& trunk, bool in_service);
  Status SetTrunkCalls(const std::string& trunk, int inbound, int outbound, int qos);
  Status SetEdgeOnline(const std::string& edge, bool online);
  Status SetStationUser(const std::string& user, const std::string& phone);
  Status DeleteEntity(const std::string& kind, const std::string& id);
  // Adds a hardware phone to a site (id, name or index); returns its id.
  Result<std::string> AddPhone(const std::string& site, const std::string& name);

  // Faults: HTTP kinds are stored (returns id > 0); streaming kinds act at once (returns 0).
  int InjectFault(const FaultSpec& f);
  int RevokeTokens();
  int SendSocketClosing(double close_after_s);
  int DropSockets();
  void SetHeartbeats(bool enabled) { heartbeats_enabled_ = enabled; }
  bool heartbeats_enabled() const { return heartbeats_enabled_; }
  void SetHeartbeatInterval(double s) { heartbeat_ms_ = HeartbeatMillis(s); }
  double heartbeat_interval_s() const { return heartbeat_ms_ / 1000.0; }
  void SetChannelLifetime(double s, bool apply_to_existing);
  double channel_lifetime_s() const { return channel_lifetime_ms_ / 1000.0; }

  Truth GetTruth() const;

  // Publishes a notification on every subscribed channel.
  void Publish(const std::string& topic, const std::string& body) { channels.Publish(topic, body); }

  // The org, under its lock: `fn(const Org&)` under a shared lock, `fn(Org&)` under an
  // exclusive one; returns what fn returns. fn must not call back into SimCore.
  template <typename F>
  decltype(auto) Read(F&& fn) const {
    std::shared_lock lock(org_mu);
    return std::forward<F>(fn)(static_cast<const Org&>(org));
  }
  template <typename F>
  decltype(auto) Change(F&& fn) {
    std::unique_lock lock(org_mu);
    return std::forward<F>(fn)(org);
  }

  TokenStore tokens;
  FaultSet faults;
  RequestLog requests;
  ChannelRegistry channels;
  std::atomic<std::uint64_t> events_published{0};

  // Set by the Simulator once the streaming server is bound, e.g. "ws://127.0.0.1:1234".
  std::string ws_base;
  std::string ca_bundle_path;
  std::vector<TlsTarget> tls_targets;

 private:
  struct Pending {
    UnixNanos at;
    std::function<void()> action;
  };
  void TickerLoop();
  template <typename F>
  Status ChangePhone(const std::string& key, F&& f);
  template <typename F>
  Status ChangeTrunk(const std::string& key, bool metrics, F&& f);

  static long long HeartbeatMillis(double s);  // clamped: the control API rejects the rest

  mutable std::shared_mutex org_mu;
  Org org;  // guarded by org_mu; outside SimCore only through Read and Change

  Scenario scenario_;
  const Clock& clock_;
  std::atomic<bool> heartbeats_enabled_{true};
  std::atomic<long long> heartbeat_ms_;
  std::atomic<long long> channel_lifetime_ms_;

  std::mutex ticker_mu_;
  std::condition_variable ticker_cv_;
  bool stop_ = false;
  std::thread ticker_;
  std::vector<Pending> pending_;  // guarded by ticker_mu_
  UnixNanos started_ = 0;
};

}  // namespace gx::sim
