// A SIP OPTIONS ping over an established TLS connection: writes one request and
// reads until the first final status, within the probe's deadline and at most
// kMaxSipReads reads (a byte-trickling peer is cut off). The bytes are judged by
// sip_options.h. Blocking; any thread.
#pragma once

#include <string>

#include <openssl/ssl.h>

#include "exporter/sources/tls/deadline_socket.h"
#include "exporter/state/certificates.h"

namespace gx::tls {

// A real answer takes one or two reads; each scan is linear in what arrived, so this
// also bounds the scanning work.
inline constexpr int kMaxSipReads = 1024;

// `ssl` is connected on `fd`; the request is OPTIONS sip:<host>:<port>. `cancelled`
// is set when the ping was cut short by the cancel flag (the result is then no answer).
SipOptionsResult PingSipOptions(SSL* ssl, int fd, const std::string& host, int port, const WaitLimit& limit,
                                bool& cancelled);

}  // namespace gx::tls
