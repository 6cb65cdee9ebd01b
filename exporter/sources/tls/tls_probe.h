// The TLS probe: one function over (target, settings, deadline) that connects,
// handshakes, verifies chain and hostname, reads the presented chain and,
// optionally, pings SIP OPTIONS. Blocking, but never past the deadline; safe to
// run many at once on different threads (no shared state besides OpenSSL's).
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "exporter/sources/tls/deadline_socket.h"
#include "exporter/state/certificates.h"
#include "exporter/util/clock.h"

namespace gx::tls {

struct TlsProbeSettings {
  std::string ca_file;    // trust anchors (PEM bundle); empty: the system store
  std::string cert_file;  // optional client certificate chain (PEM)
  std::string key_file;   // its private key (PEM); defaults to cert_file
  bool sip_options = false;
  // Checked while waiting on the network, so that shutdown does not wait for deadlines.
  const std::atomic<bool>* cancel = nullptr;
};

// Probes `target`. SNI and the verified name are target.server_name, or the host
// when that is empty (no SNI is sent for an IP address, which is then checked
// against the certificate's IP SANs). Certificate validity is judged at
// clock.Now(), which also stamps probed_at. Never throws.
TlsProbeResult ProbeTls(const TlsTarget& target, const TlsProbeSettings& settings, Deadline deadline,
                        const Clock& clock);

}  // namespace gx::tls
