#include "exporter/app/config_from_flags.h"

#include <memory>

#include "exporter/outputs/http/web_policy_loader.h"

namespace gx {

ConfigErrors LoadConfigFromFlags(const Flags& flags, const EnvLookup& env, Config& config) {
  ConfigErrors errors = LoadConfig(flags.config_file, env, config);
  config.web.listen_addresses = flags.listen_addresses;
  config.web.telemetry_path = flags.telemetry_path;
  config.web.web_config_file = flags.web_config_file;
  config.web.systemd_socket = flags.web_systemd_socket;
  config.web.max_connections = flags.web_max_connections;
  config.web.read_timeout = flags.web_read_timeout;
  config.log_level = flags.log_level;
  config.log_format = flags.log_format;
  if (!flags.web_config_file.empty()) {
    // The same load as at start and when the file changes, so the same messages.
    LoadWebPolicy(flags.web_config_file, std::make_shared<BcryptChecker>(), errors);
  }
  return errors;
}

}  // namespace gx
