#include "exporter/outputs/http/html_fragments.h"

#include <cstdio>

#include "exporter/util/html_escape.h"
#include "exporter/util/iso_time.h"

namespace gx {

std::string HtmlWhen(UnixNanos at, UnixNanos now) {
  char ago[48];
  std::snprintf(ago, sizeof ago, ", %.0fs ago)", ToSeconds(now - at));
  return " (at " + FormatIsoTime(at) + ago;
}

const char* SourceStatusWord(const SourceHealth& c) {
  if (c.stale) return "stale";
  if (!c.ran) return "pending";
  return c.up ? "up" : "down";
}

std::string HtmlLastError(const std::string& current, const LastFailure& last, UnixNanos now) {
  const std::string& error = current.empty() ? last.error : current;
  if (error.empty()) return "-";
  return HtmlEscape(error) + (last.at > 0 ? HtmlWhen(last.at, now) : "");
}

}  // namespace gx
