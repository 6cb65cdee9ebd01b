// The notification WebSocket server (Boost.Beast): serves /channels/<channelId> as ws:// or
// wss://, binds each socket to its channel in the registry (a second connection replaces the
// first) and answers {"message":"ping"} with a pong. One I/O thread; thread-safe.
#pragma once

#include <memory>
#include <string>

#include "exporter/util/result.h"

namespace gx::sim {

class SimCore;

class StreamingServer {
 public:
  explicit StreamingServer(SimCore& core);
  ~StreamingServer();
  // tls: serve wss:// with the given PEM certificate chain and key.
  Status Start(bool tls, const std::string& cert_pem, const std::string& key_pem);
  void Stop();
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gx::sim
