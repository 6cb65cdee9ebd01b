#include "exporter/genesys/api/http_transport.h"
#include "exporter/util/build_version.h"

#include <httplib.h>

#include "exporter/util/http/http_failure.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>

namespace gx {

std::string DefaultUserAgent() { return std::string("genesys_exporter/") + BuildVersion(); }

struct HttpTransport::Impl {
  std::string base_url;
  HttpOptions options;
  std::mutex mu;
  std::vector<std::unique_ptr<httplib::Client>> idle;

  std::unique_ptr<httplib::Client> Borrow() {
    {
      std::lock_guard lock(mu);
      if (!idle.empty()) {
        auto c = std::move(idle.back());
        idle.pop_back();
        return c;
      }
    }
    auto c = std::make_unique<httplib::Client>(base_url);
    auto usec = [](double s) { return static_cast<time_t>(std::max(0.0, s) * 1e6); };
    auto ct = usec(options.connect_timeout_s);
    auto rt = usec(options.read_timeout_s);
    c->set_connection_timeout(ct / 1000000, ct % 1000000);
    c->set_read_timeout(rt / 1000000, rt % 1000000);
    c->set_write_timeout(rt / 1000000, rt % 1000000);
    c->set_keep_alive(true);
    c->set_decompress(true);
    c->set_follow_location(false);
    if (!options.ca_file.empty()) c->set_ca_cert_path(options.ca_file);
    return c;
  }

  void Return(std::unique_ptr<httplib::Client> c) {
    std::lock_guard lock(mu);
    if (idle.size() < 8) idle.push_back(std::move(c));
  }
};

HttpTransport::HttpTransport(std::string base_url, HttpOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->base_url = std::move(base_url);
  if (options.user_agent.empty()) options.user_agent = DefaultUserAgent();
  impl_->options = std::move(options);
}

HttpTransport::~HttpTransport() = default;

const std::string& HttpTransport::base_url() const { return impl_->base_url; }

HttpResult HttpTransport::Send(const HttpRequest& request) {
  httplib::Headers headers = {
      {"Accept", "application/json"},
      {"Accept-Encoding", "gzip"},
      {"User-Agent", impl_->options.user_agent},
  };
  for (const auto& [k, v] : request.headers) headers.emplace(k, v);

  auto client = impl_->Borrow();
  auto started = std::chrono::steady_clock::now();
  const std::string ctype = request.content_type.empty() ? "application/json" : request.content_type;
  if (request.method != "GET" && request.method != "POST" && request.method != "PUT" &&
      request.method != "DELETE" && request.method != "HEAD") {
    impl_->Return(std::move(client));
    HttpResult out;
    out.error = TransportError::kNetwork;
    out.error_text = "unsupported method " + request.method;
    return out;
  }
  auto res = [&]() -> httplib::Result {
    if (request.method == "GET") return client->Get(request.path, headers);
    if (request.method == "POST") return client->Post(request.path, headers, request.body, ctype);
    if (request.method == "PUT") return client->Put(request.path, headers, request.body, ctype);
    if (request.method == "DELETE") return client->Delete(request.path, headers, request.body, ctype);
    return client->Head(request.path, headers);
  }();
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  HttpResult out;
  if (!res) {
    auto err = res.error();
    out.error_text = DescribeHttpFailure(err, impl_->base_url, elapsed, impl_->options.connect_timeout_s);
    // httplib reports a read timeout as a plain read error: tell them apart by time.
    bool timed_out = err == httplib::Error::ConnectionTimeout ||
                     ((err == httplib::Error::Read || err == httplib::Error::Write) &&
                      elapsed >= impl_->options.read_timeout_s * 0.95);
    out.error = timed_out ? TransportError::kTimeout : TransportError::kNetwork;
    if (timed_out) out.error_text = "timeout after " + std::to_string(elapsed).substr(0, 5) + "s";
    // A failed connection may be half-used: do not put it back in the pool.
    return out;
  }
  out.status = res->status;
  out.body = std::move(res->body);
  for (const auto& [k, v] : res->headers) {
    std::string key = k;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.headers.emplace(std::move(key), v);
  }
  impl_->Return(std::move(client));
  return out;
}

}  // namespace gx
