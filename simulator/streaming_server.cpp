#include "simulator/streaming_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <deque>
#include <thread>

#include "simulator/sim_core.h"

namespace gx::sim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

template <typename Stream>
class Session : public ChannelConnection, public std::enable_shared_from_this<Session<Stream>> {
 public:
  template <typename... Args>
  explicit Session(SimCore& core, Args&&... args) : core_(core), ws_(std::forward<Args>(args)...) {}

  void Run() {
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(10));
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      ReadRequest();
    } else {
      ws_.next_layer().async_handshake(asio::ssl::stream_base::server,
                                       [self = this->shared_from_this()](beast::error_code ec) {
                                         if (ec) return;
                                         self->ReadRequest();
                                       });
    }
  }

  void Send(std::string text) override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this(), t = std::move(text)]() mutable {
      if (self->dead_) return;
      self->queue_.push_back(std::move(t));
      if (!self->writing_) self->WriteNext();
    });
  }

  void Close() override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this()] {
      self->close_requested_ = true;
      if (!self->writing_) self->DoClose();
    });
  }

  void Drop() override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this()] {
      self->dead_ = true;
      beast::error_code ec;
      beast::get_lowest_layer(self->ws_).socket().shutdown(tcp::socket::shutdown_both, ec);
      beast::get_lowest_layer(self->ws_).socket().close(ec);
    });
  }

 private:
  auto& lowest() { return beast::get_lowest_layer(ws_); }

  void ReadRequest() {
    http::async_read(lowest_stream(), buffer_, req_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return;
                       self->OnRequest();
                     });
  }

  // The layer below the websocket (tcp_stream or ssl_stream) for the plain HTTP exchange.
  Stream& lowest_stream() { return ws_.next_layer(); }

  void OnRequest() {
    std::string target(req_.target());
    const std::string prefix = "/channels/";
    std::string id = target.rfind(prefix, 0) == 0 ? target.substr(prefix.size()) : "";
    if (auto q = id.find('?'); q != std::string::npos) id.resize(q);
    if (!websocket::is_upgrade(req_) || id.empty() || !core_.channels.Get(id, core_.Now())) {
      auto res = std::make_shared<http::response<http::string_body>>(
          websocket::is_upgrade(req_) ? http::status::not_found : http::status::bad_request, req_.version());
      res->set(http::field::content_type, "application/json");
      res->body() = R"({"message":"channel not found","code":"not.found","status":404})";
      res->prepare_payload();
      res->keep_alive(false);
      http::async_write(lowest_stream(), *res, [self = this->shared_from_this(), res](beast::error_code, std::size_t) {
        beast::error_code ec;
        beast::get_lowest_layer(self->ws_).socket().shutdown(tcp::socket::shutdown_both, ec);
      });
      return;
    }
    channel_id_ = id;
    lowest().expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.async_accept(req_, [self = this->shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->OnAccepted();
    });
  }

  void OnAccepted() {
    std::shared_ptr<ChannelConnection> previous;
    if (!core_.channels.Attach(channel_id_, this->shared_from_this(), core_.Now(), &previous)) {
      DoClose();
      return;
    }
    if (previous) previous->Close();
    Read();
  }

  void Read() {
    ws_.async_read(in_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        self->dead_ = true;
        self->core_.channels.Detach(self->channel_id_, self.get());
        return;
      }
      std::string text = beast::buffers_to_string(self->in_.data());
      self->in_.consume(self->in_.size());
      // With heartbeats stopped the stream is stalled: pings go unanswered too (issue 6).
      if (text.find("\"ping\"") != std::string::npos && self->core_.heartbeats_enabled()) {
        self->Send(ChannelRegistry::Pong());
      }
      self->Read();
    });
  }

  void WriteNext() {
    if (queue_.empty() || dead_) {
      writing_ = false;
      if (close_requested_) DoClose();
      return;
    }
    writing_ = true;
    ws_.text(true);
    ws_.async_write(asio::buffer(queue_.front()), [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      self->queue_.pop_front();
      if (ec) {
        self->dead_ = true;
        self->writing_ = false;
        return;
      }
      self->WriteNext();
    });
  }

  void DoClose() {
    if (dead_ || closing_) return;
    closing_ = true;
    core_.channels.Detach(channel_id_, this);
    ws_.async_close(websocket::close_code::normal, [self = this->shared_from_this()](beast::error_code) {});
  }

  SimCore& core_;
  websocket::stream<Stream> ws_;
  beast::flat_buffer buffer_;
  beast::flat_buffer in_;
  http::request<http::string_body> req_;
  std::string channel_id_;
  std::deque<std::string> queue_;
  bool writing_ = false;
  bool close_requested_ = false;
  bool closing_ = false;
  bool dead_ = false;
};

}  // namespace

struct StreamingServer::Impl {
  explicit Impl(SimCore& c) : core(c), acceptor(ioc) {}
  SimCore& core;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  std::unique_ptr<asio::ssl::context> ssl;
  std::thread thread;
  int port = 0;

  void Accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == asio::error::operation_aborted) return;
      } else if (ssl) {
        std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(core, std::move(socket), *ssl)->Run();
      } else {
        std::make_shared<Session<beast::tcp_stream>>(core, std::move(socket))->Run();
      }
      Accept();
    });
  }
};

StreamingServer::StreamingServer(SimCore& core) : impl_(std::make_unique<Impl>(core)) {}

StreamingServer::~StreamingServer() { Stop(); }

Status StreamingServer::Start(bool tls, const std::string& cert_pem, const std::string& key_pem) {
  beast::error_code ec;
  if (tls) {
    impl_->ssl = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    impl_->ssl->use_certificate_chain(asio::buffer(cert_pem), ec);
    if (!ec) impl_->ssl->use_private_key(asio::buffer(key_pem), asio::ssl::context::pem, ec);
    if (ec) return Status::Error("wss certificate: " + ec.message());
  }
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(ep.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(ep, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::Error("cannot bind the WebSocket server on 127.0.0.1: " + ec.message());
  impl_->port = impl_->acceptor.local_endpoint().port();
  impl_->Accept();
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
  return Status::Ok();
}

void StreamingServer::Stop() {
  if (!impl_->thread.joinable()) return;
  asio::post(impl_->ioc, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
  });
  impl_->ioc.stop();
  impl_->thread.join();
}

int StreamingServer::port() const { return impl_->port; }

}  // namespace gx::sim
