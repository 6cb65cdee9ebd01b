// The `pagerduty` format: PagerDuty Events API v2, one event per alert: `trigger` for a
// firing alert, `resolve` for a resolved one, with a dedup_key stable per alert episode
// (message_id.h), payload.summary (at most 1,024 characters), source, severity
// (critical, error, warning or info), timestamp, component, group, class and custom_details.
// The routing key is a secret: it is not in the rendered (and spooled) body, but put in by
// WithRoutingKey just before a request is sent, so it never reaches the spool, the
// dead-letter file or a log. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/outputs/webhook/receiver_format.h"

namespace gx {

inline constexpr std::size_t kPagerDutyMaxSummaryChars = 1024;
inline constexpr std::size_t kPagerDutyMaxDedupKeyChars = 255;
inline constexpr std::size_t kPagerDutyMaxFieldChars = 255;  // source, component, group, class: ours, not PagerDuty's

// One trigger per firing alert, then one resolve per resolved alert (with send_resolved).
std::vector<WebhookRequest> RenderPagerDuty(const AlertMessage& n, const RenderOptions& options);

// PagerDuty's severity for ours: critical, warning and info as they are, anything else error.
std::string_view PagerDutySeverity(std::string_view severity);

// `body` (a rendered event, a JSON object) with "routing_key" as its first member.
std::string WithRoutingKey(std::string_view body, std::string_view routing_key);

}  // namespace gx
