#include "exporter/outputs/http/web_message.h"

#include "exporter/outputs/http/web_policy.h"
#include "exporter/util/text_match.h"

namespace gx {
namespace {

bool Writable(std::string_view s) { return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos; }

}  // namespace

std::string_view WebRequest::Field(std::string_view name) const {
  for (const auto& [k, v] : fields) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return {};
}

void AddMissingHeaders(WebReply& reply, const HeaderFields& fields) {
  for (const auto& [name, value] : fields) {
    if (name.empty() || !Writable(name) || !Writable(value)) continue;
    bool present = false;
    for (const auto& [have, unused] : reply.headers) present = present || EqualsIgnoreCase(have, name);
    if (!present) reply.headers.emplace_back(name, value);
  }
}

WebReply PlainReply(int status, std::string_view text, const WebPolicy& policy) {
  WebReply r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  r.body = text;
  AddMissingHeaders(r, policy.headers);
  return r;
}

std::size_t BodySize(const WebReply& reply) {
  std::size_t n = reply.body.size();
  for (const auto& part : reply.parts) n += part->size();
  return n;
}

std::string SerializeReplyHead(const WebReply& reply, int version, bool keep_alive) {
  std::string out = version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(reply.status);
  out += ' ';
  out += ReasonPhrase(reply.status);
  out += "\r\n";
  for (const auto& [name, value] : reply.headers) {
    if (!Writable(name) || !Writable(value)) continue;
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  // 1xx, 204 and 304 carry no body, so no length either.
  if (reply.status >= 200 && reply.status != 204 && reply.status != 304) {
    out += "Content-Length: " + std::to_string(BodySize(reply)) + "\r\n";
  }
  if (!keep_alive) {
    out += "Connection: close\r\n";
  } else if (version == 10) {
    out += "Connection: keep-alive\r\n";
  }
  out += "\r\n";
  return out;
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

}  // namespace gx
