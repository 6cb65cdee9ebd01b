#include "exporter/sources/notifications/ws_client.h"

#include <atomic>
#include <chrono>
#include <deque>
#include <future>
#include <optional>
#include <thread>
#include <type_traits>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <openssl/ssl.h>

namespace gx {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

namespace {

template <bool Tls>
using WsStream = std::conditional_t<Tls, websocket::stream<ssl::stream<beast::tcp_stream>>,
                                    websocket::stream<beast::tcp_stream>>;

// One connection: resolve, connect, (TLS handshake), upgrade, then read until
// the end. Every step runs on the session's strand.
template <bool Tls>
class Session final : public WsSession, public std::enable_shared_from_this<Session<Tls>> {
 public:
  Session(net::io_context& ioc, ssl::context& tls_ctx, WsUrl url, const WsOptions& opts, WsHandlers handlers)
      : strand_(net::make_strand(ioc)),
        resolver_(strand_),
        ws_(MakeStream(tls_ctx)),
        url_(std::move(url)),
        opts_(opts),
        handlers_(std::move(handlers)) {}

  void Run() {
    net::dispatch(strand_, [self = this->shared_from_this()] { self->Resolve(); });
  }

  void Send(std::string text) override {
    net::post(strand_, [self = this->shared_from_this(), text = std::move(text)]() mutable {
      if (self->done_ || self->closing_) return;
      self->queue_.push_back(std::move(text));
      if (self->open_ && self->queue_.size() == 1) self->Write();
    });
  }

  void Close() override {
    net::post(strand_, [self = this->shared_from_this()] {
      if (self->done_ || self->closing_) return;
      self->closing_ = true;
      if (!self->open_) return self->Cancel("close");
      self->ws_.async_close(websocket::close_code::normal,
                            beast::bind_front_handler(&Session::OnClose, self));
    });
  }

  void Abort() override {
    net::post(strand_, [self = this->shared_from_this()] {
      if (self->done_) return;
      self->aborted_ = true;
      self->Cancel("abort");
    });
  }

 private:
  WsStream<Tls> MakeStream(ssl::context& tls_ctx) {
    if constexpr (Tls) {
      return WsStream<Tls>(strand_, tls_ctx);
    } else {
      (void)tls_ctx;
      return WsStream<Tls>(strand_);
    }
  }

  void Resolve() {
    beast::get_lowest_layer(ws_).expires_after(Handshake());
    resolver_.async_resolve(url_.host, url_.port, beast::bind_front_handler(&Session::OnResolve,
                                                                             this->shared_from_this()));
  }

  void OnResolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec) return Fail(ec, "resolve");
    if (closing_) return Cancel("close");
    beast::get_lowest_layer(ws_).expires_after(Handshake());
    beast::get_lowest_layer(ws_).async_connect(
        results, beast::bind_front_handler(&Session::OnConnect, this->shared_from_this()));
  }

  void OnConnect(beast::error_code ec, tcp::resolver::results_type::endpoint_type) {
    if (ec) return Fail(ec, "connect");
    if (closing_) return Cancel("close");
    if constexpr (Tls) {
      auto& tls = ws_.next_layer();
      // SNI for names (not for IP literals), and the name checked against the certificate.
      beast::error_code ip_ec;
      net::ip::make_address(url_.host, ip_ec);
      if (ip_ec && !SSL_set_tlsext_host_name(tls.native_handle(), url_.host.c_str())) {
        return Fail(beast::error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category()),
                    "tls_handshake");
      }
      tls.set_verify_mode(ssl::verify_peer);
      tls.set_verify_callback(ssl::host_name_verification(url_.host));
      beast::get_lowest_layer(ws_).expires_after(Handshake());
      tls.async_handshake(ssl::stream_base::client,
                          beast::bind_front_handler(&Session::OnTlsHandshake, this->shared_from_this()));
    } else {
      Upgrade();
    }
  }

  void OnTlsHandshake(beast::error_code ec) {
    if (ec) return Fail(ec, "tls_handshake");
    if (closing_) return Cancel("close");
    Upgrade();
  }

  void Upgrade() {
    // The WebSocket layer takes over the timeouts; the client defaults have no idle timeout.
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout t;
    t.handshake_timeout = Handshake();
    t.idle_timeout = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(opts_.idle_timeout_seconds));
    t.keep_alive_pings = false;  // Genesys documents an application-level ping instead
    ws_.set_option(t);
    ws_.read_message_max(opts_.max_message_bytes);
    ws_.set_option(websocket::stream_base::decorator([ua = opts_.user_agent](websocket::request_type& req) {
      req.set(beast::http::field::user_agent, ua);
    }));
    const bool default_port = url_.port == (Tls ? "443" : "80");
    std::string host = url_.host.find(':') != std::string::npos ? "[" + url_.host + "]" : url_.host;
    if (!default_port) host += ":" + url_.port;
    ws_.async_handshake(host, url_.target,
                        beast::bind_front_handler(&Session::OnHandshake, this->shared_from_this()));
  }

  void OnHandshake(beast::error_code ec) {
    if (ec) return Fail(ec, "handshake");
    if (closing_) {
      closing_ = false;  // Close() arrived mid-handshake: close properly now
      return Close();
    }
    open_ = true;
    if (handlers_.on_open) handlers_.on_open();
    if (!queue_.empty()) Write();
    Read();
  }

  void Read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&Session::OnRead, this->shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec) return Fail(ec, "read");
    std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (handlers_.on_message && !done_) handlers_.on_message(std::move(text));
    Read();
  }

  void Write() {
    ws_.text(true);
    ws_.async_write(net::buffer(queue_.front()),
                    beast::bind_front_handler(&Session::OnWrite, this->shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t) {
    if (ec) return Fail(ec, "write");
    queue_.pop_front();
    if (!queue_.empty() && !closing_) Write();
  }

  void OnClose(beast::error_code ec) {
    if (ec && ec != net::error::operation_aborted) return Fail(ec, "close");
    Finish("close", "");
  }

  void Cancel(const char* step) {
    beast::error_code ignored;
    resolver_.cancel();
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).socket().close(ignored);
    // Whatever was pending now fails with operation_aborted; report once, here.
    Finish(step, closing_ && !aborted_ ? "" : "aborted");
  }

  void Fail(beast::error_code ec, const char* step) {
    if (ec == websocket::error::message_too_big) return Finish("oversized", ec.message());
    if (closing_ && !aborted_ &&
        (ec == net::error::operation_aborted || ec == websocket::error::closed)) {
      return Finish("close", "");
    }
    Finish(step, ec.message());
  }

  void Finish(const std::string& step, const std::string& error) {
    if (done_) return;
    done_ = true;
    open_ = false;
    queue_.clear();
    if (handlers_.on_close) handlers_.on_close(step, error);
    // Drop the callbacks: they may hold the owner alive.
    handlers_ = {};
  }

  std::chrono::steady_clock::duration Handshake() const {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(opts_.handshake_timeout_seconds));
  }

  net::strand<net::io_context::executor_type> strand_;
  tcp::resolver resolver_;
  WsStream<Tls> ws_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  WsUrl url_;
  WsOptions opts_;
  WsHandlers handlers_;
  bool open_ = false;
  bool closing_ = false;
  bool aborted_ = false;
  bool done_ = false;
};

// A session that failed before it began (bad URL): reports once, asynchronously.
class DeadSession final : public WsSession {
 public:
  void Send(std::string) override {}
  void Close() override {}
  void Abort() override {}
};

}  // namespace

struct WsClient::Impl {
  explicit Impl(WsOptions o) : opts(std::move(o)) {}
  WsOptions opts;
  ssl::context tls_ctx{ssl::context::tls_client};
  net::io_context ioc{1};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::thread thread;
};

WsClient::WsClient(WsOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

WsClient::~WsClient() { Stop(); }

bool WsClient::Start(std::string* error) {
  if (impl_->thread.joinable()) return true;
  beast::error_code ec;
  impl_->tls_ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                             ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  impl_->tls_ctx.set_default_verify_paths(ec);
  if (!impl_->opts.ca_file.empty()) {
    impl_->tls_ctx.load_verify_file(impl_->opts.ca_file, ec);
    if (ec) {
      if (error) *error = "cannot load notifications CA file " + impl_->opts.ca_file + ": " + ec.message();
      return false;
    }
  }
  impl_->tls_ctx.set_verify_mode(ssl::verify_peer);
  impl_->ioc.restart();
  impl_->work.emplace(impl_->ioc.get_executor());
  impl_->thread = std::thread([this] {
    // Handlers report failures as values; nothing is expected to throw, but an
    // exception must never escape the thread.
    for (;;) {
      try {
        impl_->ioc.run();
        return;
      } catch (...) {
      }
    }
  });
  return true;
}

void WsClient::Stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  // Let work already posted (e.g. Abort() of every session) run briefly, so
  // sockets close now rather than when the io_context is destroyed.
  auto flushed = std::make_shared<std::promise<void>>();
  net::post(impl_->ioc, [flushed] { flushed->set_value(); });
  flushed->get_future().wait_for(std::chrono::milliseconds(500));
  impl_->work.reset();
  impl_->ioc.stop();
  impl_->thread.join();
}

std::shared_ptr<WsSession> WsClient::Connect(const std::string& url, WsHandlers handlers) {
  Result<WsUrl> read = ParseWsUrl(url);
  if (!read) {
    net::post(impl_->ioc, [h = std::move(handlers), error = read.error()] {
      if (h.on_close) h.on_close("url", error);
    });
    return std::make_shared<DeadSession>();
  }
  WsUrl parsed = std::move(read).value();
  if (parsed.tls) {
    auto s = std::make_shared<Session<true>>(impl_->ioc, impl_->tls_ctx, std::move(parsed), impl_->opts,
                                             std::move(handlers));
    s->Run();
    return s;
  }
  auto s = std::make_shared<Session<false>>(impl_->ioc, impl_->tls_ctx, std::move(parsed), impl_->opts,
                                            std::move(handlers));
  s->Run();
  return s;
}

}  // namespace gx
