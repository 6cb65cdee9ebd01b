// App wires sources -> state -> outputs from a validated Config, and owns their
// threads. Start() brings everything up (or fails with a message); Stop() ends
// everything promptly. Not copyable; Start/Stop from one thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/state/health_state.h"
#include "exporter/state/telephony_state.h"
#include "exporter/outputs/http/http_server.h"
#include "exporter/util/clock.h"

namespace gx {

class App {
 public:
  explicit App(Config config, const Clock& clock = SystemClock::Instance());
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  bool Start(std::string& error);
  void Stop();

  std::vector<int> http_ports() const;
  TelephonyState& telephony() { return telephony_; }
  HealthState& health() { return health_; }

 private:
  struct Parts;
  WebResponse ServeDashboard(const std::multimap<std::string, std::string>& query) const;
  Config config_;
  const Clock& clock_;
  TelephonyState telephony_;
  HealthState health_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace gx
