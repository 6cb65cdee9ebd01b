#include "exporter/app/run_main.h"
#include "exporter/util/build_version.h"

#include <signal.h>

#include <cstdio>
#include <iostream>

#include <spdlog/spdlog.h>

#include "exporter/app/app.h"
#include "exporter/app/flags.h"
#include "exporter/app/spool_check.h"
#include "exporter/config/config_loader.h"
#include "exporter/outputs/http/web_policy_loader.h"
#include "exporter/util/logging.h"

namespace gx {

int RunMain(const std::vector<std::string>& args) {
  Flags flags;
  std::string error;
  if (!ParseFlags(args, flags, error)) {
    std::cerr << "genesys_exporter: error: " << error << "\n";
    return 1;
  }
  if (flags.help) {
    std::cout << UsageText();
    return 0;
  }
  if (flags.version) {
    std::cout << VersionText();
    return 0;
  }

  Config config;
  ConfigErrors errors = LoadConfig(flags.config_file, ProcessEnv(), config);
  config.web.listen_addresses = flags.listen_addresses;
  config.web.telemetry_path = flags.telemetry_path;
  config.web.web_config_file = flags.web_config_file;
  config.log_level = flags.log_level;
  config.log_format = flags.log_format;
  if (!flags.web_config_file.empty()) {
    // The same load as at start and on each reload, so the same messages.
    LoadWebPolicy(flags.web_config_file, std::make_shared<BcryptChecker>(), errors);
  }
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

  // Block the stop signals before any thread starts, so that only sigwait sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  spdlog::info("starting genesys_exporter version {} revision {}", BuildVersion(), BuildRevision());
  App app(std::move(config));
  if (!app.Start(error)) {
    spdlog::error("start-up failed: {}", error);
    return 1;
  }
  int sig = 0;
  sigwait(&stop_signals, &sig);
  spdlog::info("received {}, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  app.Stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace gx
