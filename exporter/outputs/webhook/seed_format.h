// The `seed` format: the original Go service's StatusCheckPayload, exactly its eight fields
// (timestamp, userId, deviceId, registered, codec, alertType, carrierHealth, tlsValid) and
// their types, one request per firing alert, for receivers written against that service.
// It has no status field, so it cannot say that an alert resolved: resolved alerts are not
// sent (the configuration refuses send_resolved: true). Facts an alert does not have take
// the Go service's values: "unknown" for deviceId, codec and carrierHealth, false (Go's zero
// value) for registered and tlsValid. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "exporter/outputs/webhook/receiver_format.h"

namespace gx {

std::vector<WebhookRequest> RenderSeed(const AlertMessage& n, const RenderOptions& options);

// Go's time.Time JSON form (RFC 3339 with nanoseconds, trailing zeros dropped).
std::string FormatGoTime(UnixNanos t);

}  // namespace gx
