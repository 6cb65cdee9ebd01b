// A request-target ("/dashboard?site=Paris&limit=10") split into its decoded path and query
// parameters, as cpp-httplib did for the routes. Pure; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace gx {

using QueryParams = std::multimap<std::string, std::string>;

struct RequestTarget {
  std::string path;  // percent-decoded
  QueryParams query;  // keys and values percent-decoded, '+' as a space
};

// Decodes %XX escapes (and '+' as a space when `plus_is_space`); a malformed escape is kept as is.
std::string PercentDecode(std::string_view text, bool plus_is_space);

// Splits an origin-form target. A fragment ("#...") is dropped; "a" without "=" is ("a", "").
RequestTarget ParseRequestTarget(std::string_view target);

}  // namespace gx
