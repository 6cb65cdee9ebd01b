// A small asynchronous WebSocket client (Boost.Beast underneath, kept out of
// this header): WsClient owns one I/O thread and the TLS context; each
// Connect() makes a new WsSession that runs on its own strand with at most one
// write in flight. ws:// and wss:// (certificate chain and host name verified).
// Thread-safe: every WsSession method may be called from any thread; the
// handlers run on the I/O thread and must not block.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "exporter/sources/notifications/ws_url.h"
#include "exporter/util/result.h"

namespace gx {

struct WsOptions {
  std::string ca_file;                  // extra trust anchors for wss://; the system store is always used
  double handshake_timeout_seconds = 10;  // resolve + connect + TLS + upgrade
  double idle_timeout_seconds = 120;      // backstop: no frame at all for this long ends the session
  std::size_t max_message_bytes = 1u << 20;
  std::string user_agent = "genesys_exporter";
};

struct WsHandlers {
  std::function<void()> on_open;
  // The text is valid during the call only (it is the session's read buffer, not a copy).
  std::function<void(std::string_view text)> on_message;
  // Called exactly once when the session ends: `step` names where (resolve,
  // connect, tls_handshake, handshake, read, write, close; "oversized" when a
  // frame exceeded max_message_bytes), `error` is empty
  // after a clean close that this side asked for.
  std::function<void(const std::string& step, const std::string& error)> on_close;
};

class WsSession {
 public:
  virtual ~WsSession() = default;
  virtual void Send(std::string text) = 0;  // queued behind earlier writes
  virtual void Close() = 0;                 // close frame, then on_close
  virtual void Abort() = 0;                 // drop the TCP connection without a close frame
};

class WsClient {
 public:
  explicit WsClient(WsOptions options);
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // Loads the trust store and starts the I/O thread. False (and a message) when
  // the CA file cannot be read.
  Status Start();
  // Stops the I/O thread promptly; pending handlers are not called.
  void Stop();

  // A new session per connection. Errors (a bad URL included) arrive via on_close.
  std::shared_ptr<WsSession> Connect(const std::string& url, WsHandlers handlers);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gx
