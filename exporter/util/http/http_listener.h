// Serves one configured httplib::Server: binds it, runs its listen loop on a thread of its
// own, and stops it at any moment, even before that loop has started (cpp-httplib 0.11's
// stop() does nothing until then, so a plain stop() + join() can hang forever). The one
// lifecycle used by the exporter's web server and by genesys_sim's HTTP front.
// Start, Stop and port belong to the owner's thread; handlers run on httplib's workers.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "exporter/util/result.h"

namespace httplib {
class Server;
}

namespace gx {

class HttpListener {
 public:
  // `server` (routes and options set) must outlive this listener.
  explicit HttpListener(httplib::Server& server);
  ~HttpListener();  // Stop()
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // Binds host:port (port 0 picks a free one) with SO_REUSEADDR only, so that a busy port
  // fails instead of being shared (httplib's default adds SO_REUSEPORT), a full listen
  // backlog and TCP_NODELAY, and starts serving.
  // Connections that arrive before the loop runs wait in the backlog. A failure says why
  // (e.g. "address already in use").
  Status Start(const std::string& host, int port);
  // Closes the listening socket and returns once the listen loop has ended. Idempotent;
  // a no-op when never started.
  void Stop();
  // The bound port; 0 before Start.
  int port() const { return port_; }

 private:
  httplib::Server& server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::condition_variable ended_cv_;
  bool ended_ = false;  // the listen loop returned
};

}  // namespace gx
