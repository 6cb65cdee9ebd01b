#include "exporter/config/url_check.h"

#include "exporter/util/url.h"
#include "exporter/util/url_redact.h"

namespace gx {

Status CheckUrl(std::string_view url, UrlShape shape) {
  const std::string want = shape == UrlShape::kBase ? "want http(s)://host[:port]" : "want http(s)://host[:port]/path";
  const Result<Url> parsed = ParseUrl(url);
  if (!parsed) {
    if (parsed.error() == kUrlHasControlCharacters) return Status::Error("spaces and control characters are not allowed; " + want);
    return Status::Error(want);
  }
  if (parsed->scheme != "https" && parsed->scheme != "http") return Status::Error(want);
  if (parsed->user_info) return Status::Error("user info is not supported; " + want);
  if (shape == UrlShape::kBase && (!parsed->path.empty() || parsed->has_query || parsed->has_fragment)) {
    return Status::Error(want);
  }
  return Status::Ok();
}

Status CheckReceiverUrl(std::string_view url) {
  const Status problem = CheckUrl(url, UrlShape::kEndpoint);
  if (problem.ok()) return problem;
  return Status::Error("invalid URL \"" + RedactUrl(url, UrlPath::kHide) + "\" (" + problem.error() + ")");
}

}  // namespace gx
