// The WebSocket half of a WsClient session, over any connected stream: the upgrade, the read
// loop, the send queue (one write in flight), close and abort, and which step failed how
// (WsHandlers::on_close, called once). ws_client.cpp dials TCP (and TLS) first, then hands the
// stream over; tests run it over Beast's test::stream to reach each failure point without a
// network. Everything runs on the stream's executor, which must be a strand when the io_context
// has several threads. Internal to ws_client.cpp and its test: it brings Boost.Beast's headers.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "exporter/sources/notifications/ws_client.h"
#include "exporter/sources/notifications/ws_url.h"

namespace gx {

template <class NextLayer>
class WsStreamSession : public WsSession, public std::enable_shared_from_this<WsStreamSession<NextLayer>> {
 public:
  // `stream_args` build the next layer: its executor first (a TLS context after it, for TLS).
  template <class... StreamArgs>
  WsStreamSession(WsUrl url, const WsOptions& opts, WsHandlers handlers, StreamArgs&&... stream_args)
      : ws_(std::forward<StreamArgs>(stream_args)...),
        url_(std::move(url)),
        opts_(opts),
        handlers_(std::move(handlers)) {}

  // For a stream that is already connected: upgrades it, then reads until the end.
  void Start() {
    boost::asio::dispatch(ws_.get_executor(), [self = this->shared_from_this()] { self->Upgrade(); });
  }

  void Send(std::string text) override {
    boost::asio::post(ws_.get_executor(), [self = this->shared_from_this(), text = std::move(text)]() mutable {
      if (self->done_ || self->closing_) return;
      self->queue_.push_back(std::move(text));
      if (self->open_ && self->queue_.size() == 1) self->Write();
    });
  }

  void Close() override {
    boost::asio::post(ws_.get_executor(), [self = this->shared_from_this()] {
      if (self->done_ || self->closing_) return;
      self->closing_ = true;
      if (!self->open_) return self->Cancel("close");
      self->ws_.async_close(boost::beast::websocket::close_code::normal,
                            boost::beast::bind_front_handler(&WsStreamSession::OnClose, self));
    });
  }

  void Abort() override {
    boost::asio::post(ws_.get_executor(), [self = this->shared_from_this()] {
      if (self->done_) return;
      self->aborted_ = true;
      self->Cancel("abort");
    });
  }

 protected:
  // Ends the transport so that whatever is pending fails with operation_aborted.
  virtual void CloseTransport() { boost::beast::get_lowest_layer(ws_).close(); }

  void Upgrade() {
    boost::beast::websocket::stream_base::timeout t;
    t.handshake_timeout = HandshakeTimeout();
    t.idle_timeout = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(opts_.idle_timeout_seconds));
    t.keep_alive_pings = false;  // Genesys documents an application-level ping instead
    ws_.set_option(t);
    ws_.read_message_max(opts_.max_message_bytes);
    ws_.set_option(boost::beast::websocket::stream_base::decorator(
        [ua = opts_.user_agent](boost::beast::websocket::request_type& req) {
          req.set(boost::beast::http::field::user_agent, ua);
        }));
    const bool default_port = url_.port == (url_.tls ? "443" : "80");
    std::string host = url_.host.find(':') != std::string::npos ? "[" + url_.host + "]" : url_.host;
    if (!default_port) host += ":" + url_.port;
    ws_.async_handshake(host, url_.target,
                        boost::beast::bind_front_handler(&WsStreamSession::OnHandshake, this->shared_from_this()));
  }

  void Cancel(const char* step) {
    CloseTransport();
    // Whatever was pending now fails with operation_aborted; report once, here.
    Finish(step, closing_ && !aborted_ ? "" : "aborted");
  }

  void Fail(boost::beast::error_code ec, const char* step) {
    if (ec == boost::beast::websocket::error::message_too_big) return Finish("oversized", ec.message());
    if (closing_ && !aborted_ &&
        (ec == boost::asio::error::operation_aborted || ec == boost::beast::websocket::error::closed)) {
      return Finish("close", "");
    }
    Finish(step, ec.message());
  }

  std::chrono::steady_clock::duration HandshakeTimeout() const {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(opts_.handshake_timeout_seconds));
  }

  boost::beast::websocket::stream<NextLayer> ws_;
  const WsUrl url_;
  const WsOptions opts_;
  bool closing_ = false;

 private:
  void OnHandshake(boost::beast::error_code ec) {
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
    ws_.async_read(buffer_, boost::beast::bind_front_handler(&WsStreamSession::OnRead, this->shared_from_this()));
  }

  void OnRead(boost::beast::error_code ec, std::size_t) {
    if (ec) return Fail(ec, "read");
    // A whole message is one contiguous buffer in a flat_buffer: handed over in place, no copy.
    const auto data = buffer_.cdata();
    if (handlers_.on_message && !done_) {
      handlers_.on_message(std::string_view(static_cast<const char*>(data.data()), data.size()));
    }
    buffer_.consume(buffer_.size());
    Read();
  }

  void Write() {
    ws_.text(true);
    ws_.async_write(boost::asio::buffer(queue_.front()),
                    boost::beast::bind_front_handler(&WsStreamSession::OnWrite, this->shared_from_this()));
  }

  void OnWrite(boost::beast::error_code ec, std::size_t) {
    if (ec) return Fail(ec, "write");
    queue_.pop_front();
    if (!queue_.empty() && !closing_) Write();
  }

  void OnClose(boost::beast::error_code ec) {
    if (ec && ec != boost::asio::error::operation_aborted) return Fail(ec, "close");
    Finish("close", "");
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

  boost::beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  WsHandlers handlers_;
  bool open_ = false;
  bool aborted_ = false;
  bool done_ = false;
};

}  // namespace gx
