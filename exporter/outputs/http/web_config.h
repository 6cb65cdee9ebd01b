// The --web.config.file of prometheus/exporter-toolkit (docs/web-configuration.md): TLS,
// basic auth users and response headers, read strictly (an unknown key is an error, as
// yaml.UnmarshalStrict makes it) into plain structs. File names are relative to the file's
// folder, as exporter-toolkit makes them. The files it names are read later, when the policy
// is built (web_policy_loader.h). Thread-safe (no state).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exporter/config/config_loader.h"

namespace gx {

// The most a web config file may hold (exporter-toolkit's are a few hundred bytes).
inline constexpr std::size_t kMaxWebConfigBytes = 1 << 20;

// Go's tls.ClientAuthType, by its exporter-toolkit name.
enum class ClientAuthType {
  kNoClientCert,
  kRequestClientCert,           // asks for a certificate, accepts any or none
  kRequireAnyClientCert,        // requires one, does not verify it ("RequireClientCert" too)
  kVerifyClientCertIfGiven,     // verifies one when it is sent
  kRequireAndVerifyClientCert,  // requires one and verifies it against the client CA
};

// The protocol's version numbers, which are OpenSSL's TLS1_x_VERSION.
enum class TlsVersion { kTls10 = 0x0301, kTls11 = 0x0302, kTls12 = 0x0303, kTls13 = 0x0304 };

struct TlsServerConfig {
  // Files (already joined to the web config's folder) or inline PEM; one of each pair.
  std::string cert_file, key_file, client_ca_file;
  std::string cert, key, client_ca;  // key is a secret
  ClientAuthType client_auth_type = ClientAuthType::kNoClientCert;
  TlsVersion min_version = TlsVersion::kTls12;  // exporter-toolkit's defaults
  TlsVersion max_version = TlsVersion::kTls13;
  std::vector<std::string> cipher_suites;  // Go names, checked (tls_context.h)
  bool prefer_server_cipher_suites = true;
  std::vector<std::string> curve_preferences;  // Go names, checked
  std::vector<std::string> client_allowed_sans;
  // "file:line" of each key that was written, for the errors found when the TLS context is
  // built from the files.
  std::map<std::string, std::string> where;
};

struct WebConfigFile {
  std::optional<TlsServerConfig> tls;  // set: TLS on (a certificate or client auth is configured)
  std::vector<std::pair<std::string, std::string>> headers;  // http_server_config.headers
  std::map<std::string, std::string> basic_auth_users;       // user -> bcrypt hash (a secret)
  // The files it names, which a change of is a reload.
  std::vector<std::string> Files() const;
};

// Parses YAML text (`source_name` is used in messages; relative files join `dir`).
void ParseWebConfigYaml(const std::string& text, const std::string& source_name, const std::string& dir,
                        WebConfigFile& config, ConfigErrors& errors);

// Reads (bounded) and parses the file at `path`.
ConfigErrors ReadWebConfigFile(const std::string& path, WebConfigFile& config);

}  // namespace gx
