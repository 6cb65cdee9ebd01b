// Loads and validates the configuration: YAML file (strict: unknown keys and
// wrong types are errors), then the environment (GENESYS_CLIENT_ID,
// GENESYS_CLIENT_SECRET, GENESYS_REGION, GENESYS_API_URL, GENESYS_LOGIN_URL, and
// the original service's variables, seed_environment.h), which wins over the
// file. Every error reads "where: key: message" (config_errors.h): the file and line, or the
// variable, and the key.
// Secrets never appear in errors, and URLs in them are redacted
// (util/url_redact.h). Thread-safe (no shared state).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/config/config_errors.h"

namespace gx {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// The process environment.
EnvLookup ProcessEnv();

// Parses YAML text (`source_name` is used in messages) into `config`.
void ParseConfigYaml(const std::string& text, const std::string& source_name, Config& config,
                     ConfigErrors& errors);

// Applies environment overrides, reads *_file secrets, fills URLs from the region,
// and checks everything that must hold before start-up.
void FinishConfig(Config& config, const EnvLookup& env, ConfigErrors& errors);

// File (optional: empty path means defaults) + environment + validation.
ConfigErrors LoadConfig(const std::string& path, const EnvLookup& env, Config& config);

}  // namespace gx
