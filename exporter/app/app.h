// App wires sources -> state -> outputs from a validated Config, and owns their
// threads. Start() brings everything up (or fails with a message); Stop() ends
// everything promptly. Reload() loads the configuration again and applies what may change
// live (config_reload.h), keeping every state, alert, queue and the push channel; it may
// be called from any thread, also while another reload runs or the App stops. Not
// copyable; Start/Stop from one thread.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/config/config_loader.h"
#include "exporter/state/health_state.h"
#include "exporter/state/telephony_state.h"
#include "exporter/outputs/http/http_server.h"
#include "exporter/util/clock.h"
#include "exporter/util/result.h"

namespace gx {

// Loads and validates the configuration as at start (config_from_flags.h).
using ConfigSource = std::function<ConfigErrors(Config&)>;

struct ReloadOutcome {
  bool ok = false;
  std::string text;  // what changed and what needs a restart, or every error, one per line
};

class App {
 public:
  // Without `source`, Reload() refuses (there is nothing to load again).
  explicit App(Config config, const Clock& clock = SystemClock::Instance(), ConfigSource source = {});
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  Status Start();
  void Stop();
  // Logged, and recorded in HealthState (genesys_exporter_config_last_reload_*, landing page).
  ReloadOutcome Reload();

  std::vector<int> http_ports() const;
  TelephonyState& telephony() { return telephony_; }
  HealthState& health() { return health_; }

 private:
  struct Parts;
  std::string ServeStatusPage() const;
  std::shared_ptr<const Config> Live() const;
  void ApplyLive(const Config& running, const Config& next);
  const Config config_;  // as at start; the parts that keep a reference read only restart-only settings
  const Clock& clock_;
  const ConfigSource source_;
  mutable std::mutex live_mu_;
  std::shared_ptr<const Config> live_;  // guarded by live_mu_: what runs now, reloads included
  std::mutex reload_mu_;                // one reload at a time, none before Start ended or once Stop began
  bool started_ = false;                // guarded by reload_mu_
  bool stopping_ = false;               // guarded by reload_mu_
  TelephonyState telephony_;
  HealthState health_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace gx
