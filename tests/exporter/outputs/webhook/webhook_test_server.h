// A local webhook receiver for the tests: httplib::Server on 127.0.0.1, port 0 (served by
// the one HttpListener lifecycle), recording every request and answering with a status the
// test chooses.
#pragma once

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "exporter/util/http/http_listener.h"

namespace gx::testing {

struct ReceivedRequest {
  std::string path;
  std::string id, timestamp, signature;
  std::string body;
  int answered = 0;
};

class TestReceiver {
 public:
  TestReceiver() {
    server_.Post(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard l(mu_);
      ReceivedRequest r{req.path, req.get_header_value("webhook-id"), req.get_header_value("webhook-timestamp"),
                        req.get_header_value("webhook-signature"), req.body, status_};
      requests_.push_back(r);
      res.status = status_;
      if (!retry_after_.empty()) res.set_header("Retry-After", retry_after_);
      res.set_content("{}", "application/json");
    });
    if (Status started = listener_.Start("127.0.0.1", 0); !started) {
      throw std::runtime_error("test receiver: " + started.error());
    }
  }
  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(listener_.port()) + path;
  }
  void Answer(int status, std::string retry_after = "") {
    std::lock_guard l(mu_);
    status_ = status;
    retry_after_ = std::move(retry_after);
  }
  std::vector<ReceivedRequest> requests() {
    std::lock_guard l(mu_);
    return requests_;
  }
  std::vector<ReceivedRequest> delivered() {
    std::lock_guard l(mu_);
    std::vector<ReceivedRequest> out;
    for (const auto& r : requests_)
      if (r.answered >= 200 && r.answered < 300) out.push_back(r);
    return out;
  }

 private:
  httplib::Server server_;
  std::mutex mu_;
  int status_ = 200;
  std::string retry_after_;
  std::vector<ReceivedRequest> requests_;
  HttpListener listener_{server_};  // last: stops (and ends the handlers) before the rest goes
};

// A loopback port with nothing listening (bound, then released).
inline int DeadPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

}  // namespace gx::testing
