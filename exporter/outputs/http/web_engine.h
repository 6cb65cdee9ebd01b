// The web server's connection engine (Boost.Beast, asynchronous): one I/O thread serves
// every connection, and the route handlers run on a small pool of worker threads, so a
// slow scrape or thousands of idle or trickling connections never hold up another
// connection's I/O. Enforces the connection cap (the oldest idle connection is dropped to
// admit a new one), the timeouts and the request limits of WebLimits, the TLS handshake and
// the policy's authorization: a quick check (cached, or no credentials) is decided on the I/O thread,
// any other (bcrypt) on one thread of its own with a bounded queue, so that wrong passwords
// never hold the handlers, and a full queue is answered 503 at once. Routes are the `answer`
// function's. Start and Stop belong to the owner's thread; `answer` is called on worker
// threads, concurrently.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "exporter/outputs/http/listen_sockets.h"
#include "exporter/outputs/http/web_message.h"
#include "exporter/outputs/http/web_policy.h"
#include "exporter/util/clock.h"
#include "exporter/util/result.h"

namespace gx {

class HealthState;

struct WebLimits {
  std::size_t max_connections = 512;                  // --web.max-connections, as Prometheus
  UnixNanos header_timeout = 10 * kNanosPerSecond;    // TLS handshake + request header (slowloris)
  UnixNanos read_timeout = 300 * kNanosPerSecond;     // --web.read-timeout: a whole request, header and body
  UnixNanos idle_timeout = 300 * kNanosPerSecond;     // a kept-alive connection waiting for its next request
  UnixNanos write_timeout = 60 * kNanosPerSecond;     // writing one response
  std::size_t max_header_bytes = 32 * 1024;           // request line and header fields
  std::size_t max_header_fields = 100;
  std::size_t max_body_bytes = 64 * 1024;             // larger: 413 before any of it is read
  int handler_threads = 4;
  // Authorization checks that are not cached (bcrypt, one at a time) waiting at once; more
  // are answered 503 with Retry-After without being checked.
  std::size_t max_auth_waiting = 8;
};

class WebEngine {
 public:
  // `access`: what the policy's authorization decided (kAllowed when it has none).
  using Answer = std::function<WebReply(const WebRequest&, const WebPolicy&, WebAccess access)>;

  // `policy` empty: plain HTTP, every request allowed. `health` (optional) gets the
  // connection counters (HealthData::web).
  WebEngine(WebLimits limits, WebPolicySource policy, Answer answer, HealthState* health);
  ~WebEngine();  // Stop()
  WebEngine(const WebEngine&) = delete;
  WebEngine& operator=(const WebEngine&) = delete;

  // Serves the listening sockets (owned from now on, closed by Stop); every connection starts
  // with a TLS handshake in the current policy's context when `tls`. When one of them cannot
  // be served, closes them all, serves none and fails naming it.
  Status Start(std::vector<ListenSocket> sockets, bool tls);
  // Closes the listening sockets and every connection, waits for running handlers. Idempotent.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gx
