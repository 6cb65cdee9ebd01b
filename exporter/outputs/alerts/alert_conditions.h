// Which alert conditions hold right now: a pure function from one state snapshot
// (telephony + exporter health) to the alerts that should be active, before the
// `for` durations apply. The phones' share may be kept between calls in a
// PhoneConditions, so that only changed phones are looked at again; the result
// is the same. Thread-safe (no state of its own).
#pragma once

#include <cstdint>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/outputs/alerts/alert.h"
#include "exporter/outputs/alerts/phone_conditions.h"
#include "exporter/state/health_state.h"
#include "exporter/state/telephony_state.h"

namespace gx {

struct AlertConditions {
  std::vector<Alert> active;  // status pending, times unset; one per fingerprint
  // Label matchers for facts the state does not know yet (an inventory not loaded,
  // a TLS target not probed yet). Earlier alerts matching one are carried over as
  // they are: a restart must not resolve what it has not looked at again. An alert
  // resolves only on evidence: a fresh observation, or an inventory or configuration
  // that no longer lists its subject.
  std::vector<AlertLabels> undecided;
  // Exceptions to `undecided`: subjects observed although the rest of their rule is
  // not known yet (a probed TLS target while discovery is incomplete).
  std::vector<AlertLabels> decided;
};

struct AlertEvalOptions {
  std::int64_t qos_mismatch_threshold = 0;
  // Sources the configuration turned off: their alerts resolve (nothing will report again).
  bool tls_probes_enabled = true;
  bool notifications_enabled = true;
};

// Rule defaults when the config names none (docs/alerting.md).
Seconds RuleForDuration(const AlertingConfig& cfg, std::string_view alertname);
bool RuleEnabled(const AlertingConfig& cfg, std::string_view alertname);

// The rule's configured severity, else `fallback`.
std::string RuleSeverity(const AlertingConfig& cfg, std::string_view alertname, std::string_view fallback);
// A condition's alert: `labels` plus alertname, their fingerprint, the severity.
Alert ConditionAlert(const AlertingConfig& cfg, std::string_view alertname, AlertLabels labels,
                     std::string_view default_severity, std::string summary);

// The StatusCheckPayload facts of a phone: device id, registered, first codec.
void FillPhoneFacts(AlertFacts& facts, const Phone& phone);

// `phones`: the phones' share kept from the previous call (brought up to `t`
// here); null looks at every phone.
AlertConditions CollectAlertConditions(const TelephonyData& t, const HealthData& h, const AlertingConfig& cfg,
                                       const AlertEvalOptions& opt, UnixNanos now, PhoneConditions* phones = nullptr);
// The same without the phones' share, which the caller keeps in a PhoneConditions.
AlertConditions CollectOtherConditions(const TelephonyData& t, const HealthData& h, const AlertingConfig& cfg,
                                       const AlertEvalOptions& opt, UnixNanos now);

// The other conditions one kind or one entity at a time, for the kept conditions
// (OtherConditions) to derive again only what changed; the full evaluation is these over
// every entity. A kind whose inventory is not loaded yet is undecided as a whole: its *Kind*
// function adds that matcher and returns false, and then none of its entities counts.
bool UserKindConditions(const TelephonyData& t, AlertConditions& out);
// A followed user's; returns the phone its verdict read (null: none), whose changes change it.
const PhoneEntry* UserConditions(const TelephonyData& t, const std::string& user_id, const UserEntry& entry,
                                 const AlertingConfig& cfg, AlertConditions& out);
bool CarrierKindConditions(const TelephonyData& t, AlertConditions& out);
// A trunk's, from its entry and its metrics.
void TrunkConditions(const TelephonyData& t, const std::string& id, const TrunkEntry& te, const AlertingConfig& cfg,
                     const AlertEvalOptions& opt, AlertConditions& out);
bool EdgeKindConditions(const TelephonyData& t, AlertConditions& out);
void EdgeConditions(const std::string& id, const EdgeEntry& ee, const AlertingConfig& cfg, AlertConditions& out);
// Every TLS target's at `now`. Returns until when they hold as they are while only time moves
// (a certificate entering a window or expiring, the days left of a summary): the first such
// change after `now`, or a little earlier; the maximum when none comes.
UnixNanos TlsConditions(const TelephonyData& t, const AlertingConfig& cfg, const AlertEvalOptions& opt,
                        UnixNanos now, AlertConditions& out);
// The exporter's own: the API or the stream blind, the spool folder not writable.
void HealthConditions(const HealthData& h, const AlertingConfig& cfg, const AlertEvalOptions& opt,
                      AlertConditions& out);

// Whether every label of `matcher` has the same value in `a` (AlertConditions::undecided).
bool MatchesLabels(const Alert& a, const AlertLabels& matcher);

}  // namespace gx
