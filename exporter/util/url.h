// The one reading of an absolute URL, scheme://[user info@]host[:port][/path][?query][#fragment],
// split as RFC 3986 splits it: what the configuration checks, the webhook sender, the
// WebSocket client and the error texts all take apart. It only reads; whether a scheme, a
// user info or a path is acceptable is the caller's policy. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "exporter/util/result.h"

namespace gx {

struct Url {
  std::string scheme;      // as written, without "://": "https"
  bool user_info = false;  // the authority holds an '@' (what it says is never kept)
  std::string host;        // without the brackets of an IPv6 literal: "::1"
  std::string port;        // as written (1 to 65535); empty when none is written
  std::string path;        // from the first '/' after the authority; may be empty
  std::string query;       // after the '?', without it
  bool has_query = false;  // a '?' stands after the authority (the query may be empty)
  bool has_fragment = false;

  // scheme://host[:port], an IPv6 host in brackets, no user info.
  std::string origin() const;
  // What an HTTP request line asks for: the path (at least "/") and "?query"; never the fragment.
  std::string target() const;
  // The port, or `default_port` when none is written.
  std::string port_or(std::string_view default_port) const { return port.empty() ? std::string(default_port) : port; }
  // Nothing after the authority: no path (a lone "/" counts as none), query or fragment.
  bool origin_only() const { return (path.empty() || path == "/") && !has_query && !has_fragment; }
};

inline constexpr std::string_view kUrlHasControlCharacters = "has spaces or control characters";

// The URL's parts, or why it is not an absolute URL with a host: "has no scheme", "has
// spaces or control characters", "has no host", "has a bad IPv6 host", "has a bad port".
// Never quotes the URL (it may carry a secret).
Result<Url> ParseUrl(std::string_view url);

}  // namespace gx
