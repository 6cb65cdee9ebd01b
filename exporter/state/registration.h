// Registration facts derived from a phone: pure helpers, thread-safe.
#pragma once

#include "exporter/state/entities.h"

namespace gx {

// A line is registered when its primary lineStatuses[].reachable is true; a phone
// is registered when it has at least one line status and all of them are reachable.
bool PhoneRegistered(const Phone& phone);

// Number of lines known (primary line statuses, or configured lines when no status).
int PhoneLineCount(const Phone& phone);
int PhoneReachableLineCount(const Phone& phone);

// The `site` label of a phone: SiteLabel(phone.site) (domain_facts.h).
const std::string& PhoneSiteLabel(const Phone& phone);

// The phone's operationalStatus, or "UNKNOWN" when the API sent none.
const std::string& PhoneOperationalStatus(const Phone& phone);

}  // namespace gx
