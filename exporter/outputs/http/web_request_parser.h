// Parses one HTTP/1.x request into a WebRequest within the server's limits: header bytes
// (Beast's header_limit), header field count (here: Beast has no such limit, and each stored
// field costs far more than its bytes on the wire) and body bytes (Beast's body_limit, which
// refuses a too large Content-Length before any of the body is read). Beast is included:
// only the engine's translation unit includes this. Not thread-safe; one per request.
#pragma once

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

#include <cstddef>
#include <string>
#include <utility>

#include "exporter/outputs/http/web_message.h"
#include "exporter/util/text_match.h"

namespace gx {

class WebRequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  WebRequestParser(std::size_t max_header_bytes, std::size_t max_fields, std::size_t max_body_bytes)
      : max_fields_(max_fields) {
    header_limit(static_cast<std::uint32_t>(max_header_bytes));
    body_limit(max_body_bytes);
  }

  // After the header: the client waits for "100 Continue" before it sends the body.
  bool expects_continue() const {
    return EqualsIgnoreCase(request_.Field("expect"), "100-continue");
  }
  WebRequest Take() { return std::move(request_); }

 private:
  void on_request_impl(boost::beast::http::verb, string_view method, string_view target, int version,
                       error_code& ec) override {
    if (version != 10 && version != 11) {
      ec = boost::beast::http::error::bad_version;
      return;
    }
    request_.method.assign(method.data(), method.size());
    request_.target.assign(target.data(), target.size());
    request_.version = version;
  }
  void on_response_impl(int, string_view, int, error_code& ec) override {
    ec = boost::beast::http::error::bad_version;  // never called for a request parser
  }
  void on_field_impl(boost::beast::http::field, string_view name, string_view value, error_code& ec) override {
    if (request_.fields.size() >= max_fields_) {
      ec = boost::beast::http::error::header_limit;
      return;
    }
    request_.fields.emplace_back(std::string(name.data(), name.size()), std::string(value.data(), value.size()));
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    if (length) request_.body.reserve(static_cast<std::size_t>(*length));  // at most the body limit
  }
  std::size_t on_body_impl(string_view body, error_code&) override {
    request_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override {
    request_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_finish_impl(error_code&) override {}

  std::size_t max_fields_;
  WebRequest request_;
};

}  // namespace gx
