#include "exporter/outputs/http/tls_context.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <map>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/verify_context.hpp>
#include <vector>

#include "exporter/util/read_file.h"

namespace gx {
namespace {

namespace ssl = boost::asio::ssl;

// Go's tls.CipherSuites() (the secure ones; exporter-toolkit accepts only these), by the IANA
// name that Go and OpenSSL share. TLS 1.3's three are set with SSL_CTX_set_ciphersuites.
struct GoCipher {
  std::string_view name;
  bool tls13;
};
constexpr std::array<GoCipher, 13> kGoCiphers = {{
    {"TLS_AES_128_GCM_SHA256", true},
    {"TLS_AES_256_GCM_SHA384", true},
    {"TLS_CHACHA20_POLY1305_SHA256", true},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", false},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", false},
    {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", false},
    {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", false},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", false},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", false},
    {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", false},
    {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", false},
    {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", false},
    {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", false},
}};

// TLS 1.2's suites when cipher_suites names none: forward-secret (ECDHE) AEAD suites only, in
// Go's order. OpenSSL's DEFAULT would add RSA key exchange and CBC suites. Go's own default
// (and so exporter-toolkit's) also has the four ECDHE CBC-SHA suites; they are added only when
// min_version asks for TLS 1.0 or 1.1, which have no AEAD suite (or listed in cipher_suites).
constexpr std::array<std::string_view, 6> kDefaultTls12Ciphers = {
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",       "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",       "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
};
constexpr std::array<std::string_view, 4> kDefaultOldProtocolCiphers = {
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
};

struct GoCurve {
  std::string_view name;
  const char* openssl;  // a group name for SSL_CTX_set1_groups_list
};
constexpr std::array<GoCurve, 4> kGoCurves = {{
    {"CurveP256", "P-256"}, {"CurveP384", "P-384"}, {"CurveP521", "P-521"}, {"X25519", "X25519"}}};

const GoCipher* FindCipher(std::string_view name) {
  for (const auto& c : kGoCiphers) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// OpenSSL's reason for the last failure, and an empty error queue for the next call.
std::string OpenSslReason() {
  const unsigned long code = ERR_peek_last_error();
  std::string reason;
  if (code != 0) {
    const char* r = ERR_reason_error_string(code);
    reason = r ? r : "error " + std::to_string(code);
  }
  ERR_clear_error();
  return reason.empty() ? "unknown OpenSSL error" : reason;
}

// Never prompts on a terminal for a pass phrase (OpenSSL's default for an encrypted key).
int NoPassphrase(char*, int, int, void*) { return -1; }

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

std::unique_ptr<BIO, BioFree> MemoryBio(const std::string& pem) {
  return std::unique_ptr<BIO, BioFree>(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// Every certificate in PEM text, in order.
std::vector<X509Ptr> ReadCertificates(const std::string& pem) {
  std::vector<X509Ptr> certs;
  auto bio = MemoryBio(pem);
  while (bio) {
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr));
    if (!cert) break;
    certs.push_back(std::move(cert));
  }
  ERR_clear_error();  // the end of the text reads as "no start line"
  return certs;
}

// Errors about tls_server_config keys, each at the "file:line" that wrote its key.
class KeyErrors {
 public:
  KeyErrors(const TlsServerConfig& config, const std::string& web_config_file)
      : where_(config.where), file_(web_config_file) {}
  Status operator()(const std::string& key, const std::string& message) const {
    const auto at = where_.find(key);
    return Status::Error((at != where_.end() ? at->second : file_) + ": tls_server_config." + key + ": " + message);
  }

 private:
  const std::map<std::string, std::string>& where_;
  const std::string& file_;
};

// The key that gives a PEM: the file key (cert_file) when set, else its inline twin (cert).
const char* PemKey(const std::string& file, const char* file_key, const char* inline_key) {
  return file.empty() ? inline_key : file_key;
}

// The PEM of a file key or of its inline twin.
Result<std::string> ReadPem(const std::string& file, const std::string& inline_pem, const char* file_key,
                            const KeyErrors& fail) {
  if (file.empty()) return inline_pem;
  Result<std::string> read = ReadFileBounded(file, kMaxPemBytes);
  if (!read) return fail(file_key, read.error());
  return read;
}

Status UseCertificateAndKey(SSL_CTX* ctx, const TlsServerConfig& c, const KeyErrors& fail) {
  const char* cert_key = PemKey(c.cert_file, "cert_file", "cert");
  const Result<std::string> cert_pem = ReadPem(c.cert_file, c.cert, cert_key, fail);
  if (!cert_pem) return cert_pem.status();
  std::vector<X509Ptr> chain = ReadCertificates(*cert_pem);
  if (chain.empty()) return fail(cert_key, "no PEM certificate found");
  if (SSL_CTX_use_certificate(ctx, chain.front().get()) != 1) {
    return fail(cert_key, "the certificate cannot be used: " + OpenSslReason());
  }
  for (size_t i = 1; i < chain.size(); ++i) {
    if (SSL_CTX_add1_chain_cert(ctx, chain[i].get()) != 1) {
      return fail(cert_key,
                  "certificate " + std::to_string(i + 1) + " of the chain cannot be used: " + OpenSslReason());
    }
  }
  const char* key_key = PemKey(c.key_file, "key_file", "key");
  Result<std::string> key_pem = ReadPem(c.key_file, c.key, key_key, fail);
  if (!key_pem) return key_pem.status();
  std::string& pem = key_pem.value();
  auto bio = MemoryBio(pem);
  std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr) : nullptr, EVP_PKEY_free);
  const bool encrypted = pem.find("ENCRYPTED") != std::string::npos;
  OPENSSL_cleanse(pem.data(), pem.size());
  if (!key) {
    ERR_clear_error();
    return fail(key_key, encrypted ? "the private key is encrypted (pass phrases are not supported: decrypt it with "
                                     "openssl pkey)"
                                   : "no PEM private key found");
  }
  if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    return fail(key_key, "the private key does not match the certificate (" + OpenSslReason() + ")");
  }
  return Status::Ok();
}

Status UseClientCa(SSL_CTX* ctx, const TlsServerConfig& c, const KeyErrors& fail) {
  if (c.client_ca_file.empty() && c.client_ca.empty()) return Status::Ok();
  const char* ca_key = PemKey(c.client_ca_file, "client_ca_file", "client_ca");
  const Result<std::string> pem = ReadPem(c.client_ca_file, c.client_ca, ca_key, fail);
  if (!pem) return pem.status();
  std::vector<X509Ptr> cas = ReadCertificates(*pem);
  // Go's AppendCertsFromPEM skips what it cannot read: an empty pool refuses every client, silently.
  if (cas.empty()) return fail(ca_key, "no PEM certificate found");
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  for (const auto& ca : cas) {
    // The client is told which CAs are accepted (its names go in the CertificateRequest).
    if (X509_STORE_add_cert(store, ca.get()) != 1 || SSL_CTX_add_client_CA(ctx, ca.get()) != 1) {
      return fail(ca_key, "a client CA cannot be used: " + OpenSslReason());
    }
  }
  return Status::Ok();
}

// Every subject alternative name, as Go's VerifyPeerCertificate of exporter-toolkit lists them:
// DNS names, e-mail addresses, IP addresses and URIs.
std::vector<std::string> SubjectAltNames(X509* cert) {
  std::vector<std::string> out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    const ASN1_STRING* s = nullptr;
    switch (name->type) {
      case GEN_DNS: s = name->d.dNSName; break;
      case GEN_EMAIL: s = name->d.rfc822Name; break;
      case GEN_URI: s = name->d.uniformResourceIdentifier; break;
      case GEN_IPADD: {
        const ASN1_OCTET_STRING* ip = name->d.iPAddress;
        char text[INET6_ADDRSTRLEN] = {};
        const int len = ASN1_STRING_length(ip);
        if ((len == 4 && inet_ntop(AF_INET, ASN1_STRING_get0_data(ip), text, sizeof text)) ||
            (len == 16 && inet_ntop(AF_INET6, ASN1_STRING_get0_data(ip), text, sizeof text))) {
          out.emplace_back(text);
        }
        break;
      }
      default: break;
    }
    if (s) out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s));
  }
  GENERAL_NAMES_free(names);
  return out;
}

Status SetVerify(ssl::context& context, const TlsServerConfig& c, const KeyErrors& fail) {
  SSL_CTX* ctx = context.native_handle();
  int mode = SSL_VERIFY_NONE;
  bool check_chain = true;
  switch (c.client_auth_type) {
    case ClientAuthType::kNoClientCert: break;
    case ClientAuthType::kRequestClientCert: mode = SSL_VERIFY_PEER; check_chain = false; break;
    case ClientAuthType::kRequireAnyClientCert:
      mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
      check_chain = false;
      break;
    case ClientAuthType::kVerifyClientCertIfGiven: mode = SSL_VERIFY_PEER; break;
    case ClientAuthType::kRequireAndVerifyClientCert: mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT; break;
  }
  SSL_CTX_set_verify(ctx, mode, nullptr);
  if (mode == SSL_VERIFY_NONE) return Status::Ok();
  // With client certificates, resumed sessions need an id context (else OpenSSL refuses them).
  static constexpr unsigned char kSessionContext[] = "genesys_exporter";
  SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);
  if (check_chain && c.client_allowed_sans.empty()) return Status::Ok();
  boost::system::error_code ec;
  context.set_verify_callback(
      [check_chain, sans = c.client_allowed_sans](bool preverified, ssl::verify_context& v) {
        X509_STORE_CTX* store = v.native_handle();
        if (!check_chain) preverified = true;  // any certificate will do; it still proves its key
        if (!preverified) return false;
        if (sans.empty() || X509_STORE_CTX_get_error_depth(store) != 0) return true;
        for (const auto& name : SubjectAltNames(X509_STORE_CTX_get_current_cert(store))) {
          if (std::find(sans.begin(), sans.end(), name) != sans.end()) return true;
        }
        X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
        return false;
      },
      ec);
  if (ec) return fail("client_auth_type", "cannot set the verify callback: " + ec.message());
  return Status::Ok();
}

Status SetCiphersAndCurves(SSL_CTX* ctx, const TlsServerConfig& c, const KeyErrors& fail) {
  std::string tls12, tls13;
  // Appended, not ":" + temporary: GCC 12 -O3 warns falsely on that (-Wrestrict).
  const auto add = [](std::string& list, std::string_view name) {
    if (!list.empty()) list += ':';
    list += OpenSslCipherName(name);
  };
  for (const auto& name : c.cipher_suites) {
    const GoCipher* cipher = FindCipher(name);
    if (!cipher) continue;  // the parser has refused it
    add(cipher->tls13 ? tls13 : tls12, name);
  }
  if (tls12.empty()) {
    for (std::string_view name : kDefaultTls12Ciphers) add(tls12, name);
    if (c.min_version < TlsVersion::kTls12) {
      for (std::string_view name : kDefaultOldProtocolCiphers) add(tls12, name);
    }
  }
  if (SSL_CTX_set_cipher_list(ctx, tls12.c_str()) != 1) {
    return fail("cipher_suites", "OpenSSL refuses " + tls12 + ": " + OpenSslReason());
  }
  if (!tls13.empty() && SSL_CTX_set_ciphersuites(ctx, tls13.c_str()) != 1) {
    return fail("cipher_suites", "OpenSSL refuses " + tls13 + ": " + OpenSslReason());
  }
  std::string groups;
  for (const auto& name : c.curve_preferences) {
    for (const auto& curve : kGoCurves) {
      if (curve.name == name) groups.append(groups.empty() ? "" : ":").append(curve.openssl);
    }
  }
  if (!groups.empty() && SSL_CTX_set1_groups_list(ctx, groups.c_str()) != 1) {
    return fail("curve_preferences", "OpenSSL refuses " + groups + ": " + OpenSslReason());
  }
  if (c.prefer_server_cipher_suites) SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
  // OpenSSL 3 refuses TLS 1.0 and 1.1 above security level 0 (their handshakes sign with SHA-1);
  // Go's crypto/tls, and so exporter-toolkit, serve them when min_version asks for them. Level 0
  // holds for the whole context (weak client keys too), so only then; otherwise the system's
  // level (Debian: 2) stays.
  if (c.min_version < TlsVersion::kTls12) SSL_CTX_set_security_level(ctx, 0);
  return Status::Ok();
}

}  // namespace

bool IsKnownCipherSuite(std::string_view go_name) { return FindCipher(go_name) != nullptr; }

std::string OpenSslCipherName(std::string_view go_name) {
  // OpenSSL knows the IANA names too; "(NONE)" for one it does not.
  return OPENSSL_cipher_name(std::string(go_name).c_str());
}

bool IsKnownCurve(std::string_view go_name) {
  return std::any_of(kGoCurves.begin(), kGoCurves.end(), [&](const GoCurve& c) { return c.name == go_name; });
}

Result<std::shared_ptr<ssl::context>> MakeServerTlsContext(const TlsServerConfig& config,
                                                            const std::string& web_config_file) {
  const KeyErrors fail(config, web_config_file);
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* ctx = context->native_handle();
  // Client-initiated renegotiation costs the server a handshake per request of the client.
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  if (SSL_CTX_set_min_proto_version(ctx, static_cast<int>(config.min_version)) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, static_cast<int>(config.max_version)) != 1) {
    return fail("min_version", "OpenSSL refuses the versions: " + OpenSslReason());
  }
  Status made = UseCertificateAndKey(ctx, config, fail);
  if (made) made = UseClientCa(ctx, config, fail);
  if (made) made = SetVerify(*context, config, fail);
  if (made) made = SetCiphersAndCurves(ctx, config, fail);
  if (!made) {
    ERR_clear_error();
    return made;
  }
  return context;
}

}  // namespace gx
