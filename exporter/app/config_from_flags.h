// The configuration the command line names: the file (--config.file), the environment, then
// the flags' own settings (listen addresses, telemetry path, logging). The one loader of
// start-up, --config.check and a reload, so that a reload refuses a file with exactly the
// messages --config.check prints. Thread-safe (reads the environment through `env`).
#pragma once

#include "exporter/app/flags.h"
#include "exporter/config/config_loader.h"

namespace gx {

ConfigErrors LoadConfigFromFlags(const Flags& flags, const EnvLookup& env, Config& config);

}  // namespace gx
