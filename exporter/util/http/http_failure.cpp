#include "exporter/util/http/http_failure.h"

#include <netdb.h>
#include <sys/socket.h>

#include <cstdio>

#include <httplib.h>

#include "exporter/util/url.h"

namespace gx {
namespace {

struct HostPort {
  std::string host;
  std::string port;
};

HostPort SplitOrigin(const std::string& origin) {
  const Result<Url> url = ParseUrl(origin);
  if (!url) return {origin, ""};
  return {url->host, url->port_or(url->scheme == "https" ? "443" : "80")};
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", s);
  return buf;
}

// Empty when the host resolves, else the resolver's reason.
std::string ResolveProblem(const std::string& host) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &result);
  if (result) ::freeaddrinfo(result);
  return rc == 0 ? std::string() : ::gai_strerror(rc);
}

}  // namespace

std::string DescribeHttpFailure(httplib::Error error, const std::string& origin, double elapsed_s,
                                double connect_timeout_s) {
  const HostPort hp = SplitOrigin(origin);
  const std::string where = (hp.host.find(':') != std::string::npos ? "[" + hp.host + "]" : hp.host) + ":" + hp.port;
  switch (error) {
    case httplib::Error::Connection: {
      if (const std::string why = ResolveProblem(hp.host); !why.empty()) {
        return "cannot resolve host \"" + hp.host + "\": " + why;
      }
      if (elapsed_s >= connect_timeout_s * 0.95) return "no connection to " + where + " within " + Seconds(elapsed_s);
      return "cannot connect to " + where + " (connection refused or host unreachable)";
    }
    case httplib::Error::ConnectionTimeout:
      return "no connection to " + where + " within " + Seconds(elapsed_s);
    case httplib::Error::SSLConnection:
      return "TLS handshake with " + where + " failed";
    case httplib::Error::SSLServerVerification:
      return "TLS certificate of " + where + " not trusted (verification failed; a private CA needs ca_file)";
    case httplib::Error::SSLLoadingCerts:
      return "cannot load the CA certificates (ca_file or the system store)";
    case httplib::Error::Read:
      return "connection to " + where + " closed or failed while reading the answer";
    case httplib::Error::Write:
      return "connection to " + where + " failed while sending the request";
    default:
      return httplib::to_string(error) + " error talking to " + where;
  }
}

}  // namespace gx
