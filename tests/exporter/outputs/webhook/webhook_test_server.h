// A local webhook receiver for the tests: httplib::Server on 127.0.0.1, port 0,
// recording every request and answering with a status the test chooses.
#pragma once

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

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
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~TestReceiver() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
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
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  int status_ = 200;
  std::string retry_after_;
  std::vector<ReceivedRequest> requests_;
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
