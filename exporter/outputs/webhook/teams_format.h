// The `teams` format: a message with one Adaptive Card (version 1.4) for a Microsoft Teams
// Workflows webhook ("When a Teams webhook request is received"; the retired Office 365
// connectors took MessageCards, Workflows take Adaptive Cards only): a title per group and
// one container per alert (what, where, since when, severity). Resolved alerts get a
// follow-up card. A card stays under Teams' 28 KB message limit: alerts that do not fit are
// left out and a last line says how many. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <vector>

#include "exporter/outputs/webhook/receiver_format.h"

namespace gx {

inline constexpr std::size_t kTeamsMaxBodyBytes = 24 * 1024;  // under the 28 KB limit, with room to spare
inline constexpr std::size_t kTeamsMaxTextChars = 1000;       // one text block or fact value

// One card on the firing alerts (if any), then one on the resolved ones (if any and
// send_resolved).
std::vector<WebhookRequest> RenderTeams(const AlertMessage& n, const RenderOptions& options);

}  // namespace gx
