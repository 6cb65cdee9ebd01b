// One HTTP/1.x exchange of the web server as plain values: the request as parsed (bounded by
// the server's limits) and the reply a route produced, serialized here without Beast so that
// routes and their tests stay light. Pure; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gx {

struct WebPolicy;

using HeaderFields = std::vector<std::pair<std::string, std::string>>;

struct WebRequest {
  std::string method;  // as sent: "GET", "HEAD", "POST", ...
  std::string target;  // "/dashboard?site=x"
  int version = 11;    // 10 or 11
  HeaderFields fields;
  std::string body;
  // The first value of field `name` (case-insensitive); "" when absent.
  std::string_view Field(std::string_view name) const;
};

struct WebReply {
  int status = 200;
  HeaderFields headers;  // Content-Type included; Content-Length and Connection are added on write
  std::string body;
  // Sent after `body` without being copied: text the route keeps and shares (/metrics').
  std::vector<std::shared_ptr<const std::string>> parts;
  bool head = false;  // answer to HEAD: Content-Length of the body, but no body
};

// Bytes of the body: `body` and every part.
std::size_t BodySize(const WebReply& reply);

// A short text/plain reply ("Not Found\n") with the policy's headers: for the routes' errors
// and the server's own (400, 413, 431).
WebReply PlainReply(int status, std::string_view text, const WebPolicy& policy);

// Adds `fields` to `reply` unless a field of that name is already there (the route's own
// win, as with exporter-toolkit's headers). Fields with CR, LF or NUL are skipped.
void AddMissingHeaders(WebReply& reply, const HeaderFields& fields);

// Status line and header fields, ending with the blank line; the body is written after it.
std::string SerializeReplyHead(const WebReply& reply, int version, bool keep_alive);

// "Not Found" for 404, ...; "Unknown" for codes the server does not use.
std::string_view ReasonPhrase(int status);

}  // namespace gx
