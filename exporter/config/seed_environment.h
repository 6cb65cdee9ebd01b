// The environment of the original Go service, so that its users can switch with the same
// variables and no file: TARGET_USER_ID, SIP_PROXY_HOST, WEBHOOK_URL and GENESYS_SUBDOMAIN
// (GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET the loader reads anyway). Each sets the
// configuration key it stands for and wins over the file, as the GENESYS_* variables do; a
// bad value is an error that names the variable, with URLs redacted. Pure; thread-safe.
#pragma once

#include "exporter/config/config.h"
#include "exporter/config/config_loader.h"

namespace gx {

// The receiver that WEBHOOK_URL sets (added as a generic one when the file has none by that name).
inline constexpr const char* kSeedReceiverName = "webhook";

// After the GENESYS_* overrides, before the region is resolved.
void ApplySeedEnvironment(Config& config, const EnvLookup& env, ConfigErrors& errors);

}  // namespace gx
