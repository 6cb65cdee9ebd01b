#include "exporter/sources/notifications/ws_client.h"

#include <chrono>
#include <future>
#include <optional>
#include <thread>
#include <type_traits>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <openssl/ssl.h>

#include "exporter/sources/notifications/ws_stream_session.h"
#include "exporter/util/thread_name.h"
#include "exporter/util/thread_slice.h"

namespace gx {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

namespace {

template <bool Tls>
using NextLayer = std::conditional_t<Tls, ssl::stream<beast::tcp_stream>, beast::tcp_stream>;

// A session over the network: resolve, connect, (TLS handshake), then the WebSocket half
// (ws_stream_session.h). Every step runs on the client's one I/O thread: its io_context has
// that one thread, so the handlers need no strand (a strand cost an allocation and a lock per
// completed read, at every pushed frame).
template <bool Tls>
class DialedSession final : public WsStreamSession<NextLayer<Tls>> {
  using Base = WsStreamSession<NextLayer<Tls>>;

 public:
  DialedSession(net::io_context& ioc, ssl::context& tls_ctx, WsUrl url, const WsOptions& opts, WsHandlers handlers)
      : Base(std::move(url), opts, std::move(handlers), MakeNextLayer(ioc.get_executor(), tls_ctx)),
        resolver_(ioc.get_executor()) {}

  void Run() {
    net::dispatch(this->ws_.get_executor(), [self = Self()] { self->Resolve(); });
  }

 private:
  using Executor = net::io_context::executor_type;

  static NextLayer<Tls> MakeNextLayer(Executor executor, ssl::context& tls_ctx) {
    if constexpr (Tls) {
      return NextLayer<Tls>(beast::tcp_stream(executor), tls_ctx);
    } else {
      (void)tls_ctx;
      return NextLayer<Tls>(executor);
    }
  }

  std::shared_ptr<DialedSession> Self() { return std::static_pointer_cast<DialedSession>(this->shared_from_this()); }

  void CloseTransport() override {
    beast::error_code ignored;
    resolver_.cancel();
    beast::get_lowest_layer(this->ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(this->ws_).socket().close(ignored);
  }

  void Resolve() {
    beast::get_lowest_layer(this->ws_).expires_after(this->HandshakeTimeout());
    resolver_.async_resolve(this->url_.host, this->url_.port,
                            beast::bind_front_handler(&DialedSession::OnResolve, Self()));
  }

  void OnResolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec) return this->Fail(ec, "resolve");
    if (this->closing_) return this->Cancel("close");
    beast::get_lowest_layer(this->ws_).expires_after(this->HandshakeTimeout());
    beast::get_lowest_layer(this->ws_).async_connect(results,
                                                     beast::bind_front_handler(&DialedSession::OnConnect, Self()));
  }

  void OnConnect(beast::error_code ec, tcp::resolver::results_type::endpoint_type) {
    if (ec) return this->Fail(ec, "connect");
    if (this->closing_) return this->Cancel("close");
    if constexpr (Tls) {
      auto& tls = this->ws_.next_layer();
      const std::string& host = this->url_.host;
      // SNI for names (not for IP literals), and the name checked against the certificate.
      beast::error_code ip_ec;
      net::ip::make_address(host, ip_ec);
      if (ip_ec && !SSL_set_tlsext_host_name(tls.native_handle(), host.c_str())) {
        return this->Fail(beast::error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category()),
                          "tls_handshake");
      }
      tls.set_verify_mode(ssl::verify_peer);
      tls.set_verify_callback(ssl::host_name_verification(host));
      beast::get_lowest_layer(this->ws_).expires_after(this->HandshakeTimeout());
      tls.async_handshake(ssl::stream_base::client, beast::bind_front_handler(&DialedSession::OnTlsHandshake, Self()));
    } else {
      Upgrade();
    }
  }

  void OnTlsHandshake(beast::error_code ec) {
    if (ec) return this->Fail(ec, "tls_handshake");
    if (this->closing_) return this->Cancel("close");
    Upgrade();
  }

  void Upgrade() {
    // The WebSocket layer takes over the timeouts; the client defaults have no idle timeout.
    beast::get_lowest_layer(this->ws_).expires_never();
    Base::Upgrade();
  }

  tcp::resolver resolver_;
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
  net::io_context ioc{1};  // run by `thread` alone: the sessions need no strand
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::thread thread;
};

WsClient::WsClient(WsOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

WsClient::~WsClient() { Stop(); }

Status WsClient::Start() {
  if (impl_->thread.joinable()) return Status::Ok();
  beast::error_code ec;
  impl_->tls_ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                             ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  impl_->tls_ctx.set_default_verify_paths(ec);
  if (!impl_->opts.ca_file.empty()) {
    impl_->tls_ctx.load_verify_file(impl_->opts.ca_file, ec);
    if (ec) return Status::Error("cannot load notifications CA file " + impl_->opts.ca_file + ": " + ec.message());
  }
  impl_->tls_ctx.set_verify_mode(ssl::verify_peer);
  impl_->ioc.restart();
  impl_->work.emplace(impl_->ioc.get_executor());
  impl_->thread = std::thread([this] {
    NameThisThread("gx-ws-io");
    RequestShortSliceOrLog();
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
  return Status::Ok();
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
    auto s = std::make_shared<DialedSession<true>>(impl_->ioc, impl_->tls_ctx, std::move(parsed), impl_->opts,
                                             std::move(handlers));
    s->Run();
    return s;
  }
  auto s = std::make_shared<DialedSession<false>>(impl_->ioc, impl_->tls_ctx, std::move(parsed), impl_->opts,
                                            std::move(handlers));
  s->Run();
  return s;
}

}  // namespace gx
