// The receiver formats, selected by a receiver's `format:`: each renders one group
// alert message into the requests it makes to that receiver, each with its deterministic
// webhook-id (message_id.h). `alertmanager` is not here: it takes alert states, not
// group messages (payload_format.h). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "exporter/outputs/alerts/alert_message.h"
#include "exporter/outputs/webhook/message_id.h"

namespace gx {

struct WebhookRequest {
  std::string id;    // webhook-id
  std::string body;  // JSON
};

struct RenderOptions {
  int max_alerts = 20;       // alerting.group_max_ids: alerts listed in one group message
  bool send_resolved = true;  // the receiver's
  MessageIdPolicy ids;
};

// True for the formats RenderMessage renders: generic, slack, teams, pagerduty, seed.
bool RendersMessages(std::string_view format);

// The requests `n` makes to a receiver of `format`, in the order they are to be sent; none
// when the format has nothing to say about it (a resolve without send_resolved, or to seed).
std::vector<WebhookRequest> RenderMessage(std::string_view format, const AlertMessage& n,
                                               const RenderOptions& options);

}  // namespace gx
