// Carrier SIP-TLS stand-ins: generates a CA and one server certificate per case (valid,
// expiring, expired, self-signed, wrong hostname, intermediate expiring before the leaf) with
// OpenSSL at start, and serves each on its own 127.0.0.1 port, answering SIP OPTIONS with
// "SIP/2.0 200 OK". Also issues the certificate of the wss:// streaming server.
// Thread-safe after Init(); one accept thread per listener.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "exporter/util/result.h"
#include "simulator/simulator.h"

namespace gx::sim {

class TlsListeners {
 public:
  TlsListeners();
  ~TlsListeners();

  // Creates the PKI in a fresh temp directory; binds the listeners when `listeners`.
  Status Init(bool listeners, int expiring_days, int intermediate_days);
  void Start();
  void Stop();

  std::vector<TlsEndpointInfo> endpoints() const;
  const std::string& ca_path() const { return ca_path_; }
  const std::string& dir() const { return dir_; }
  // Leaf for 127.0.0.1 / localhost signed by the CA, for the wss:// server.
  const std::string& server_cert_pem() const { return server_cert_pem_; }
  const std::string& server_key_pem() const { return server_key_pem_; }

 private:
  struct Listener;
  void Serve(Listener* l);
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  std::string dir_, ca_path_, server_cert_pem_, server_key_pem_;
};

}  // namespace gx::sim
