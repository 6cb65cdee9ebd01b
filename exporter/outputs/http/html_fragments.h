// Pieces of HTML that the landing page and the status page share: when something happened,
// a source's state, and its last error with its time. Every value is escaped
// (util/html_escape.h).
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "exporter/state/health_state.h"

namespace gx {

// " (at 2024-05-01T10:00:00.000Z, 12s ago)"
std::string HtmlWhen(UnixNanos at, UnixNanos now);

// A source's state in one word: stale, pending (not run yet), up or down.
const char* SourceStatusWord(const SourceHealth& c);

// The current error of a source, else its last failure, with the failure's time, escaped;
// "-" when it never failed.
std::string HtmlLastError(const std::string& current, const LastFailure& last, UnixNanos now);

}  // namespace gx
