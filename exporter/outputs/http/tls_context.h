// The server's TLS context from --web.config.file's tls_server_config (OpenSSL 3 through
// Boost.Asio 1.81's ssl::context): certificate chain and key, client CA and verify mode,
// protocol versions, and Go's cipher suite and curve names mapped to OpenSSL's. Reads the
// files it names. Thread-safe (no state); connections share a context it returns, as OpenSSL
// allows once it is set up.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "exporter/outputs/http/web_config.h"
#include "exporter/util/result.h"

namespace boost::asio::ssl {
class context;
}

namespace gx {

// The most a certificate, key or CA file may hold.
inline constexpr std::size_t kMaxPemBytes = 1 << 20;

// A name of Go's tls.CipherSuites() (exporter-toolkit accepts no other), and its OpenSSL name.
bool IsKnownCipherSuite(std::string_view go_name);
std::string OpenSslCipherName(std::string_view go_name);
// A name of exporter-toolkit's curve_preferences: CurveP256, CurveP384, CurveP521, X25519.
bool IsKnownCurve(std::string_view go_name);

// Fails when a file cannot be read or OpenSSL refuses what it holds, naming the key it is about
// where that key was written: "web.yml:3: tls_server_config.cert_file: no PEM certificate found"
// (`web_config_file` in place of "web.yml:3" for a key that config.where does not locate).
Result<std::shared_ptr<boost::asio::ssl::context>> MakeServerTlsContext(const TlsServerConfig& config,
                                                                        const std::string& web_config_file);

}  // namespace gx
