#include "exporter/app/run_main.h"

#include <signal.h>

#include <cstdio>
#include <iostream>

#include "exporter/app/app.h"
#include "exporter/app/config_from_flags.h"
#include "exporter/app/flags.h"
#include "exporter/app/spool_check.h"
#include "exporter/config/config_loader.h"
#include "exporter/util/build_version.h"
#include "exporter/util/logging.h"
#include "exporter/util/heap_release.h"
#include "exporter/util/open_file_limit.h"
#include "exporter/util/port_file.h"

namespace gx {

int RunMain(const std::vector<std::string>& args) {
  LimitHeapArenas();  // before any thread starts
  Result<Flags> parsed = ParseFlags(args);
  if (!parsed) {
    std::cerr << "genesys_exporter: error: " << parsed.error() << "\n";
    return 1;
  }
  const Flags flags = std::move(parsed).value();
  if (flags.help) {
    std::cout << UsageText();
    return 0;
  }
  if (flags.version) {
    std::cout << VersionText();
    return 0;
  }

  Config config;
  ConfigErrors errors = LoadConfigFromFlags(flags, ProcessEnv(), config);
  if (flags.config_check) {
    // Only for an otherwise valid configuration: a broken one may not name the real folder.
    if (errors.ok()) {
      for (auto& m : CheckSpoolFolders(config.alerting)) errors.messages.push_back(std::move(m));
    }
    for (const auto& m : errors.messages) std::cout << m << "\n";
    if (errors.ok()) std::cout << "configuration is valid\n";
    return errors.ok() ? 0 : 1;
  }
  if (!errors.ok()) {
    for (const auto& m : errors.messages) std::cerr << "genesys_exporter: config error: " << m << "\n";
    return 1;
  }

  SetupLogging(config.log_level, config.log_format == "json" ? LogFormat::kJson : LogFormat::kLogfmt);

  // Block the signals before any thread starts, so that only sigwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  LogInfo("starting genesys_exporter", {{"version", BuildVersion()}, {"revision", BuildRevision()}});
  // Every web connection, webhook and TLS probe is a descriptor: use what the hard limit allows.
  const OpenFileLimit fds = RaiseOpenFileLimit();
  if (!fds.status) {
    LogWarn("open file limit not raised", {{"err", fds.status.error()}, {"soft", fds.soft}, {"hard", fds.hard}});
  } else {
    LogInfo("open file limit", {{"soft", fds.soft}, {"was", fds.soft_before}, {"hard", fds.hard}});
  }
  // Removed first: an earlier run's port file would name a port nobody (or someone else) listens on.
  const std::string& port_file = flags.web_port_file;
  if (Status removed = port_file.empty() ? Status::Ok() : RemovePortFile(port_file); !removed) {
    LogError("start-up failed", {{"err", "--web.port-file: " + removed.error()}});
    return 1;
  }
  App app(std::move(config), SystemClock::Instance(),
          [flags](Config& c) { return LoadConfigFromFlags(flags, ProcessEnv(), c); });
  if (Status started = app.Start(); !started) {
    LogError("start-up failed", {{"err", started.error()}});
    return 1;
  }
  // Written once everything runs, so that a caller that sees the file can connect at once.
  if (Status written = port_file.empty() ? Status::Ok() : WritePortFile(port_file, app.http_ports()); !written) {
    LogError("start-up failed", {{"err", "--web.port-file: " + written.error()}});
    return 1;  // ~App stops everything
  }
  int sig = 0;
  for (;;) {
    sigwait(&signals, &sig);
    if (sig != SIGHUP) break;
    LogInfo("reloading the configuration", {{"signal", "SIGHUP"}, {"file", flags.config_file}});
    app.Reload();  // logs its outcome
  }
  LogInfo("shutting down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  if (!port_file.empty()) static_cast<void>(RemovePortFile(port_file));  // first: the file says "answering"
  app.Stop();
  LogInfo("stopped");
  return 0;
}

}  // namespace gx
