// Deterministic message ids: the `webhook-id` of a request and PagerDuty's `dedup_key`
// are derived from what the message says (the group, the transition, each alert's
// fingerprint and startsAt), never from the sending process, so that two replicas, or one
// replica after a restart, send the same id for the same message and a receiver can
// de-duplicate it (docs/alerting.md, "Message ids").
//
// Replicas evaluate on their own clocks, so their startsAt differ by up to one poll cycle.
// An alert's startsAt enters the id floored to a grid of `resolution`, but never coarser
// than the rule's `for`: an alert that resolves and fires again must wait `for` at least,
// so its new startsAt lands in a later grid cell and its messages get new ids. Pure; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "exporter/outputs/alerts/alert_message.h"

namespace gx {

struct MessageIdPolicy {
  UnixNanos resolution = 60 * kNanosPerSecond;  // alerting.notification_id_resolution; 0: exact
  std::map<std::string, UnixNanos> hold;        // each rule's `for`, by alertname (missing: exact)
  UnixNanos repeat_interval = 4 * 3600 * kNanosPerSecond;

  // The alert's startsAt on the id grid: floored to min(resolution, the rule's `for`).
  UnixNanos EpisodeStart(const Alert& a) const;
};

// Which alerts of an alert message a request carries.
enum class MessagePart {
  kWhole,     // firing and resolved alerts together (generic)
  kFiring,    // the firing alerts (Slack, Teams)
  kResolved,  // the follow-up on resolved alerts (Slack, Teams)
};

// "msg_" + 32 hex digits for one message about a group: the same for the same group,
// part, alerts (fingerprint, status, episode) and repeat round.
std::string GroupMessageId(const AlertMessage& n, MessagePart part, const MessageIdPolicy& policy);

// "msg_" + 32 hex digits for a request about one alert (pagerduty, seed): the same for the
// same alert, transition, episode and repeat round.
std::string PerAlertMessageId(const Alert& a, const AlertMessage& n, const MessageIdPolicy& policy);

// PagerDuty's dedup_key: "genesys_exporter/<fingerprint>/<episode start, Unix seconds>". The
// trigger and the resolve of one episode share it; a new episode opens a new incident. At
// most 255 characters, as the Events API v2 allows.
std::string PagerDutyDedupKey(const Alert& a, const MessageIdPolicy& policy);

}  // namespace gx
