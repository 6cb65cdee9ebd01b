// The `slack` format: Slack incoming-webhook messages in Block Kit, a `text` fallback (what
// notifications and screen readers show) plus `blocks`: a header per group and one section
// per alert (what, where, since when, severity). Incoming webhooks cannot edit a message, so
// resolved alerts get a follow-up message of their own. Within Slack's limits: at most 50
// blocks, 150 characters in a header and 3,000 in a section; what does not fit is cut, and a
// last block says how many alerts were left out. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <vector>

#include "exporter/outputs/webhook/receiver_format.h"

namespace gx {

inline constexpr std::size_t kSlackMaxBlocks = 50;
inline constexpr std::size_t kSlackMaxHeaderChars = 150;
inline constexpr std::size_t kSlackMaxTextChars = 3000;  // a section's text, and the fallback

// One message on the firing alerts (if any), then one on the resolved ones (if any and
// send_resolved).
std::vector<WebhookRequest> RenderSlack(const AlertMessage& n, const RenderOptions& options);

}  // namespace gx
