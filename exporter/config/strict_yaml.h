// Strict YAML for the configuration file: what yaml-cpp 0.7 reports as a syntax error, and what
// it accepts silently but must be an error here: an unterminated quoted string (0.7 takes the
// rest of the file as its value), a duplicate key (0.7 keeps the last one) and a second document
// (YAML::Load reads only the first). Pure; thread-safe.
#pragma once

#include <string>

#include "exporter/config/config_loader.h"

namespace gx {

// Adds "source:line: key: message" errors; true when the text is one well-formed document.
bool CheckStrictYaml(const std::string& text, const std::string& source_name, ConfigErrors& errors);

}  // namespace gx
