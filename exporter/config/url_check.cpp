#include "exporter/config/url_check.h"

#include "exporter/util/url.h"
#include "exporter/util/url_redact.h"

namespace gx {

std::string UrlProblem(std::string_view url, UrlShape shape) {
  const std::string want = shape == UrlShape::kBase ? "want http(s)://host[:port]" : "want http(s)://host[:port]/path";
  const Result<Url> parsed = ParseUrl(url);
  if (!parsed) {
    if (parsed.error() == kUrlHasControlCharacters) return "spaces and control characters are not allowed; " + want;
    return want;
  }
  if (parsed->scheme != "https" && parsed->scheme != "http") return want;
  if (parsed->user_info) return "user info is not supported; " + want;
  if (shape == UrlShape::kBase && (!parsed->path.empty() || parsed->has_query || parsed->has_fragment)) return want;
  return "";
}

std::string ReceiverUrlError(std::string_view url) {
  const std::string problem = UrlProblem(url, UrlShape::kEndpoint);
  if (problem.empty()) return "";
  return "invalid URL \"" + RedactUrl(url, UrlPath::kHide) + "\" (" + problem + ")";
}

}  // namespace gx
