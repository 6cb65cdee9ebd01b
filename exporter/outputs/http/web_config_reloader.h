// The web policy in force: loaded from --web.config.file at start and again whenever the file,
// or a file it names (certificate, key, client CA), changes, as exporter-toolkit re-reads it
// for each connection. The caller of Current() (the server, once per connection and request)
// looks for a change at most once per check interval, by hashing the files' contents. A load
// that fails keeps the last good policy, is logged once, and shows in Status() and in
// HealthState (genesys_web_config_last_reload_successful, the landing page). As in
// exporter-toolkit, where TLS is set up once at start, a reload cannot turn TLS on or off.
// Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "exporter/config/config_loader.h"
#include "exporter/outputs/http/basic_auth.h"
#include "exporter/outputs/http/web_policy.h"
#include "exporter/state/health_state.h"
#include "exporter/util/clock.h"

namespace gx {

struct WebConfigStatus {
  std::string path;
  bool last_reload_ok = false;
  std::optional<UnixNanos> last_success;  // of the last load that worked
  std::vector<std::string> errors;        // of the last load, when it failed
};

class WebConfigReloader {
 public:
  struct Options {
    UnixNanos check_interval = kNanosPerSecond;
    std::shared_ptr<BcryptChecker> checker;  // null: its own; shared by every policy it builds
  };

  // Loads `path`; null, with `errors` added, when that fails (start-up stops there).
  // `health` (optional) gets every load's outcome.
  static std::unique_ptr<WebConfigReloader> Start(const std::string& path, const Clock& clock, HealthState* health,
                                                  ConfigErrors& errors, Options options);
  static std::unique_ptr<WebConfigReloader> Start(const std::string& path, const Clock& clock, HealthState* health,
                                                  ConfigErrors& errors) {
    return Start(path, clock, health, errors, Options{});
  }

  // The policy in force, after a reload if a file changed; never null.
  std::shared_ptr<const WebPolicy> Current();
  // Current() for the server; the reloader must outlive it.
  WebPolicySource Source();
  WebConfigStatus Status() const;

 private:
  WebConfigReloader(std::string path, const Clock& clock, HealthState* health, Options options);
  // Loads the files; true when the policy was replaced. Under mu_.
  bool Load(UnixNanos now, ConfigErrors& errors);
  void Publish() const;  // status_ -> health_; under mu_

  const std::string path_;
  const Clock& clock_;
  HealthState* const health_;
  const Options options_;
  const std::shared_ptr<BcryptChecker> checker_;
  mutable std::mutex mu_;
  std::shared_ptr<const WebPolicy> policy_;
  bool tls_ = false;                // fixed by the first load
  std::vector<std::string> files_;  // read by the last load
  std::string fingerprint_;         // of files_, when last loaded
  UnixNanos last_check_ = 0;
  WebConfigStatus status_;
};

}  // namespace gx
