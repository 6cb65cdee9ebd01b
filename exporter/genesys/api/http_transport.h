// One HTTP(S) origin (scheme://host[:port]) reached over keep-alive
// connections with connect and read timeouts. Sends one request, no retries,
// no auth logic. Thread-safe: each concurrent caller borrows its own
// connection from a small pool. httplib stays inside the .cpp.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "exporter/genesys/api/retry_policy.h"

namespace gx {

struct HttpOptions {
  double connect_timeout_s = 5;
  double read_timeout_s = 30;
  std::string ca_file;     // extra CA bundle; empty: the system store
  std::string user_agent;  // default genesys_exporter/<version>
};

struct HttpRequest {
  std::string method = "GET";
  std::string path;  // with the query string
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type;
};

struct HttpResult {
  int status = 0;  // 0 on a transport failure
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  TransportError error = TransportError::kNone;
  std::string error_text;  // transport failure description

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

std::string DefaultUserAgent();

class HttpTransport {
 public:
  HttpTransport(std::string base_url, HttpOptions options);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  HttpResult Send(const HttpRequest& request);
  const std::string& base_url() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gx
