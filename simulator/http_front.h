// The simulator's HTTP server (cpp-httplib): OAuth, /api/v2 and /sim/v1 on one 127.0.0.1 port.
// Thread-safe; requests are served by a pool of threads.
#pragma once

#include <memory>
#include <string>

#include "exporter/util/result.h"

namespace gx::sim {

class SimCore;
class Simulator;

class HttpFront {
 public:
  HttpFront(SimCore& core, Simulator& sim);
  ~HttpFront();
  // Binds 127.0.0.1:port (0 = any free port; a busy port fails) and serves.
  Status Start(int port);
  // Returns once the listener has closed, however soon after Start. Idempotent.
  void Stop();
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gx::sim
