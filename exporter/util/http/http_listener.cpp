#include "exporter/util/http/http_listener.h"

#include <httplib.h>

#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "exporter/util/thread_name.h"

namespace gx {
namespace {

// How often Stop looks again for a listen loop that has not started yet.
constexpr auto kStartPoll = std::chrono::milliseconds(1);
// The kernel caps it at net.core.somaxconn.
constexpr int kListenBacklog = 4096;

}  // namespace

HttpListener::HttpListener(httplib::Server& server) : server_(server) {}

HttpListener::~HttpListener() { Stop(); }

Status HttpListener::Start(const std::string& host, int port) {
  if (thread_.joinable()) return Status::Error("already listening on port " + std::to_string(port_));
  int listening = -1;
  server_.set_socket_options([&listening](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listening = sock;  // the last socket tried is the one bound
  });
  // Small responses on a kept-alive connection must not wait for the client's delayed ACK
  // (~40 ms); accepted sockets inherit the option from the listening one.
  server_.set_tcp_nodelay(true);
  errno = 0;
  const int bound = port == 0 ? server_.bind_to_any_port(host) : (server_.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) return Status::Error(errno != 0 ? std::strerror(errno) : "bind failed");
  // cpp-httplib 0.11 listens with a backlog of 5 (compiled into the library): a burst of
  // connections would be refused or retried. listen() again only raises it.
  if (listening >= 0) ::listen(listening, kListenBacklog);
  port_ = bound;
  {
    std::lock_guard lock(mu_);
    ended_ = false;
  }
  thread_ = std::thread([this] {
    NameThisThread("gx-http");
    server_.listen_after_bind();
    std::lock_guard lock(mu_);
    ended_ = true;
    ended_cv_.notify_all();
  });
  return Status::Ok();
}

void HttpListener::Stop() {
  if (!thread_.joinable()) return;
  std::unique_lock lock(mu_);
  // The thread always enters the loop (so the bound socket is always closed), and stop()
  // only works once it has: call it exactly once, as soon as the loop runs. A loop that
  // ends by itself (accept failure) ends the wait too.
  bool stop_sent = false;
  while (!ended_) {
    if (!stop_sent && server_.is_running()) {
      server_.stop();
      stop_sent = true;
    }
    ended_cv_.wait_for(lock, kStartPoll);
  }
  lock.unlock();
  thread_.join();
}

}  // namespace gx
