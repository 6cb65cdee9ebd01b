// Makes a URL safe to print in a log line, an error, a page or a label: user info and the
// values of credential-like query parameters become ***, and a webhook receiver's path can
// be hidden entirely (Slack, Teams and Discord webhook URLs carry their secret in the path).
// The one redaction used wherever a URL is printed. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace gx {

enum class UrlPath {
  kShow,  // API base URLs: the path is not secret
  kHide,  // receiver URLs: scheme://host[:port]/... only
};

// "https://u:pw@host/x?token=t&a=1#f" -> "https://***@host/x?token=***&a=1#***" (kShow)
//                                     -> "https://***@host/..."               (kHide)
std::string RedactUrl(std::string_view url, UrlPath path = UrlPath::kShow);

}  // namespace gx
