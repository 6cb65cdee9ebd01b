// Builds the WebPolicy (web_policy.h) from a --web.config.file: parses it, builds the TLS
// context from the files it names and the basic auth check. Every error reads
// "file:line: key: message", the same at start, in --config.check and on a reload. Secrets
// (keys, hashes, passwords) never appear in them. Thread-safe (no state of its own).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exporter/config/config_loader.h"
#include "exporter/outputs/http/basic_auth.h"
#include "exporter/outputs/http/web_policy.h"

namespace gx {

// Null, with errors added, when the file or a file it names is wrong. `files` (optional) gets
// the files it read: the web config first, then those it names (also when it fails, as far
// as they are known), so that a reload can watch them.
std::shared_ptr<const WebPolicy> LoadWebPolicy(const std::string& path, const std::shared_ptr<BcryptChecker>& checker,
                                               ConfigErrors& errors, std::vector<std::string>* files = nullptr);

}  // namespace gx
