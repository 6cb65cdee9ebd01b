// Says why an HTTP request got no answer, in words an operator can act on: cpp-httplib's own
// names ("Connection", "Read") say little. After a failed connect it asks the resolver once,
// to tell a host name that does not resolve from a port that refuses. Thread-safe.
#pragma once

#include <string>

namespace httplib {
enum class Error;
}

namespace gx {

// `origin` is scheme://host[:port] (never printed with user info: callers pass a redacted
// or user-info-free origin). `elapsed_s` is how long the attempt took.
std::string DescribeHttpFailure(httplib::Error error, const std::string& origin, double elapsed_s,
                                double connect_timeout_s);

}  // namespace gx
