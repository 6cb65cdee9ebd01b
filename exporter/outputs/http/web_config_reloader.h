// The web policy in force: loaded from --web.config.file at start and again whenever the file,
// or a file it names (certificate, key, client CA), changes, as exporter-toolkit re-reads it
// for each connection. A thread of its own looks for a change once per check interval, by
// hashing the files' contents; Current() (the server's I/O thread, once per connection and
// request) only returns the policy and never reads a file, so a slow file system or a FIFO
// named as a certificate cannot stall the server. A load that fails keeps the last good
// policy, is logged once, and shows in Status() and in HealthState
// (genesys_web_config_last_reload_successful, the landing page). As in exporter-toolkit, where
// TLS is set up once at start, a reload cannot turn TLS on or off. Thread-safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "exporter/config/config_loader.h"
#include "exporter/outputs/http/basic_auth.h"
#include "exporter/outputs/http/web_policy.h"
#include "exporter/state/health_state.h"
#include "exporter/util/clock.h"

namespace gx {

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

  ~WebConfigReloader();  // stops the watching thread

  // The policy in force; never null. Reads no file.
  std::shared_ptr<const WebPolicy> Current();
  // Looks at the files if a check interval has passed on the clock since the last look (or the
  // clock went back), and loads them again when their contents changed. The watching thread
  // calls it once per check interval of real time; tests with a manual clock call it too.
  void Check();
  // Current() for the server; the reloader must outlive it.
  WebPolicySource Source();
  FileLoadHealth Status() const;

 private:
  WebConfigReloader(std::string path, const Clock& clock, HealthState* health, Options options);
  // Loads the files (reading them without mu_); true when the policy was replaced. Under check_mu_.
  bool Load(UnixNanos now, ConfigErrors& errors);
  void Publish() const;  // status_ -> health_; under mu_
  void Watch();          // the watching thread

  const std::string path_;
  const Clock& clock_;
  HealthState* const health_;
  const Options options_;
  const std::shared_ptr<BcryptChecker> checker_;
  // One check at a time, and what it keeps between checks. Held while files are read.
  std::mutex check_mu_;
  bool tls_ = false;                // fixed by the first load
  std::vector<std::string> files_;  // read by the last load
  std::string fingerprint_;         // of files_, when last loaded
  UnixNanos last_check_ = 0;
  // What Current() and Status() read; never held while a file is read.
  mutable std::mutex mu_;
  std::shared_ptr<const WebPolicy> policy_;
  FileLoadHealth status_;
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread watcher_;
};

}  // namespace gx
