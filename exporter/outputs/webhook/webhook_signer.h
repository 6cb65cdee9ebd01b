// Standard Webhooks signing: HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>",
// sent as "v1,<base64>" and, during a secret rotation, one such signature per secret,
// space separated. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gx {

// A secret "whsec_<base64>" signs with the decoded bytes (the Standard Webhooks
// convention); any other secret signs with its bytes as written.
std::string WebhookSecretKey(std::string_view secret);

// The value of the webhook-signature header; empty when there are no secrets.
std::string SignWebhook(const std::vector<std::string>& secrets, std::string_view id, std::string_view timestamp,
                        std::string_view body);

}  // namespace gx
