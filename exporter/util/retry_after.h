// Reads a server's Retry-After header (RFC 9110 §10.2.3: delta-seconds or an IMF-fixdate)
// as a wait from now, clamped to a ceiling the caller chooses: the one reading shared by the
// Genesys API client and the webhook sender, so that no answer can make either wait for
// centuries or hammer the server. Pure; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "exporter/util/clock.h"

namespace gx {

struct ServerWait {
  UnixNanos wait = 0;    // in [0, ceiling]
  bool clamped = false;  // the server asked for more than the ceiling
};

// `value` is the header's value: delta-seconds (digits only, "120") or an IMF-fixdate
// ("Wed, 21 Oct 2026 07:28:00 GMT", a date in the past being no wait), with spaces and tabs
// around it. Anything else, fractions ("1.5"), signs, exponents, other date forms and
// time zones, is nullopt: as if the header were absent.
std::optional<ServerWait> ParseRetryAfter(std::string_view value, UnixNanos now, UnixNanos ceiling);

// `asked` limited to [0, ceiling], saying whether it was cut (for inin-ratelimit-reset too).
ServerWait ClampServerWait(UnixNanos asked, UnixNanos ceiling);

}  // namespace gx
