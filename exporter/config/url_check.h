// Whether a configured URL is one the HTTP client can use: http(s)://host[:port], then, for
// webhook receivers, a path and query. User info is refused: cpp-httplib does not turn it into
// basic auth but takes it for part of the host, so every request would fail. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "exporter/util/result.h"

namespace gx {

enum class UrlShape {
  kBase,      // Genesys API and login: scheme://host[:port], nothing after
  kEndpoint,  // webhook receivers: a path and query may follow
};

// Ok when usable, else what is wrong and what is wanted, e.g.
// "user info is not supported; want http(s)://host[:port]". Never quotes the URL.
Status CheckUrl(std::string_view url, UrlShape shape);

// Ok for a usable webhook receiver URL, else `invalid URL "<url>" (<problem>)` with the URL
// redacted and its path hidden: Slack-, Teams- and Discord-style URLs carry their secret there.
Status CheckReceiverUrl(std::string_view url);

}  // namespace gx
