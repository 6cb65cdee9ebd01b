#include "exporter/outputs/webhook/receiver_format.h"

#include "exporter/outputs/webhook/pagerduty_format.h"
#include "exporter/outputs/webhook/payload_format.h"
#include "exporter/outputs/webhook/seed_format.h"
#include "exporter/outputs/webhook/slack_format.h"
#include "exporter/outputs/webhook/teams_format.h"

namespace gx {

bool RendersMessages(std::string_view format) {
  return format == "generic" || format == "slack" || format == "teams" || format == "pagerduty" || format == "seed";
}

std::vector<WebhookRequest> RenderMessage(std::string_view format, const AlertMessage& n,
                                               const RenderOptions& options) {
  if (format == "generic") {
    if (!n.is_firing() && !options.send_resolved) return {};
    return {{GroupMessageId(n, MessagePart::kWhole, options.ids), FormatGenericPayload(n, options.max_alerts)}};
  }
  if (format == "slack") return RenderSlack(n, options);
  if (format == "teams") return RenderTeams(n, options);
  if (format == "pagerduty") return RenderPagerDuty(n, options);
  if (format == "seed") return RenderSeed(n, options);
  return {};
}

}  // namespace gx
