// The simulator's HTTP server (cpp-httplib): OAuth, /api/v2 and /sim/v1 on one 127.0.0.1 port.
// Thread-safe; requests are served by a pool of threads.
#pragma once

#include <memory>
#include <string>
#include <thread>

namespace gx::sim {

class SimCore;
class Simulator;

class HttpFront {
 public:
  HttpFront(SimCore& core, Simulator& sim);
  ~HttpFront();
  bool Start(int port, std::string* error);
  void Stop();
  int port() const { return port_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace gx::sim
