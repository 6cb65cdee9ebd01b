#include "simulator/tls_listeners.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace gx::sim {
namespace {

constexpr long kDay = 86400;

struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertDeleter {
  void operator()(X509* c) const { X509_free(c); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using CertPtr = std::unique_ptr<X509, CertDeleter>;

KeyPtr NewKey() { return KeyPtr(EVP_EC_gen("P-256")); }

bool AddExt(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// issuer == nullptr: self-signed.
CertPtr MakeCert(const std::string& cn, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key,
                 long not_before_s, long not_after_s, bool ca, const std::string& san, long serial) {
  CertPtr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), not_before_s);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), not_after_s);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("genesys_sim"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  AddExt(cert.get(), signer, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  AddExt(cert.get(), signer, NID_key_usage,
         ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,keyEncipherment");
  AddExt(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (issuer) AddExt(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  if (!ca) AddExt(cert.get(), signer, NID_ext_key_usage, "serverAuth");
  if (!san.empty()) AddExt(cert.get(), signer, NID_subject_alt_name, san.c_str());
  X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256());
  return cert;
}

std::string CertPem(X509* c) {
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(b, c);
  char* data;
  long n = BIO_get_mem_data(b, &data);
  std::string s(data, static_cast<size_t>(n));
  BIO_free(b);
  return s;
}

std::string KeyPem(EVP_PKEY* k) {
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(b, k, nullptr, nullptr, 0, nullptr, nullptr);
  char* data;
  long n = BIO_get_mem_data(b, &data);
  std::string s(data, static_cast<size_t>(n));
  BIO_free(b);
  return s;
}

const char* kGoodSan = "DNS:localhost,IP:127.0.0.1";

}  // namespace

struct TlsListeners::Listener {
  std::string name;
  bool expect_verified = false;
  int fd = -1;
  int port = 0;
  SSL_CTX* ctx = nullptr;
  ~Listener() {
    if (fd >= 0) ::close(fd);
    if (ctx) SSL_CTX_free(ctx);
  }
};

TlsListeners::TlsListeners() = default;

TlsListeners::~TlsListeners() {
  Stop();
  listeners_.clear();
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

Status TlsListeners::Init(bool listeners, int expiring_days, int intermediate_days) {
  char tmpl[] = "/tmp/genesys_sim-XXXXXX";
  if (!mkdtemp(tmpl)) return Status::Error("cannot create a temp directory for certificates");
  dir_ = tmpl;
  long serial = 1000 + (static_cast<long>(getpid()) % 1000) * 100;
  KeyPtr ca_key = NewKey();
  CertPtr ca = MakeCert("genesys_sim test CA", ca_key.get(), nullptr, nullptr, -kDay, 3650 * kDay, true, "", serial++);
  ca_path_ = dir_ + "/ca.pem";
  {
    std::ofstream out(ca_path_);
    out << CertPem(ca.get());
  }
  KeyPtr wss_key = NewKey();
  CertPtr wss = MakeCert("localhost", wss_key.get(), ca.get(), ca_key.get(), -kDay, 365 * kDay, false, kGoodSan, serial++);
  server_cert_pem_ = CertPem(wss.get());
  server_key_pem_ = KeyPem(wss_key.get());
  if (!listeners) return Status::Ok();

  struct Case {
    const char* name;
    bool verified;
  };
  const Case cases[] = {{"valid", true},        {"expiring", true},   {"expired", false},
                        {"self_signed", false}, {"wrong_host", false}, {"intermediate_expiring", true}};
  KeyPtr inter_key = NewKey();
  CertPtr inter = MakeCert("genesys_sim intermediate CA", inter_key.get(), ca.get(), ca_key.get(), -kDay,
                           intermediate_days * kDay, true, "", serial++);
  for (const auto& c : cases) {
    auto l = std::make_unique<Listener>();
    l->name = c.name;
    l->expect_verified = c.verified;
    KeyPtr key = NewKey();
    CertPtr cert;
    std::string n = c.name;
    if (n == "valid") {
      cert = MakeCert("localhost", key.get(), ca.get(), ca_key.get(), -kDay, 365 * kDay, false, kGoodSan, serial++);
    } else if (n == "expiring") {
      cert = MakeCert("localhost", key.get(), ca.get(), ca_key.get(), -30 * kDay, expiring_days * kDay, false, kGoodSan, serial++);
    } else if (n == "expired") {
      cert = MakeCert("localhost", key.get(), ca.get(), ca_key.get(), -400 * kDay, -2 * kDay, false, kGoodSan, serial++);
    } else if (n == "self_signed") {
      cert = MakeCert("localhost", key.get(), nullptr, nullptr, -kDay, 365 * kDay, false, kGoodSan, serial++);
    } else if (n == "wrong_host") {
      cert = MakeCert("sip.wrong-host.invalid", key.get(), ca.get(), ca_key.get(), -kDay, 365 * kDay, false,
                      "DNS:sip.wrong-host.invalid", serial++);
    } else {
      cert = MakeCert("localhost", key.get(), inter.get(), inter_key.get(), -kDay, 365 * kDay, false, kGoodSan, serial++);
    }
    l->ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_min_proto_version(l->ctx, TLS1_2_VERSION);
    if (SSL_CTX_use_certificate(l->ctx, cert.get()) != 1 || SSL_CTX_use_PrivateKey(l->ctx, key.get()) != 1) {
      return Status::Error("cannot load generated certificate for " + n);
    }
    if (n == "intermediate_expiring") SSL_CTX_add1_chain_cert(l->ctx, inter.get());
    {
      std::ofstream out(dir_ + "/" + n + ".pem");
      out << CertPem(cert.get());
      if (n == "intermediate_expiring") out << CertPem(inter.get());
    }
    l->fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(l->fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(l->fd, 64) != 0) {
      return Status::Error("cannot bind a TLS listener on 127.0.0.1: " + std::string(std::strerror(errno)));
    }
    socklen_t len = sizeof addr;
    getsockname(l->fd, reinterpret_cast<sockaddr*>(&addr), &len);
    l->port = ntohs(addr.sin_port);
    listeners_.push_back(std::move(l));
  }
  return Status::Ok();
}

void TlsListeners::Start() {
  stop_ = false;
  for (auto& l : listeners_) threads_.emplace_back([this, p = l.get()] { Serve(p); });
}

void TlsListeners::Stop() {
  stop_ = true;
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

std::vector<TlsEndpointInfo> TlsListeners::endpoints() const {
  std::vector<TlsEndpointInfo> out;
  for (const auto& l : listeners_) {
    out.push_back({l->name, "127.0.0.1:" + std::to_string(l->port), l->expect_verified});
  }
  return out;
}

void TlsListeners::Serve(Listener* l) {
  while (!stop_) {
    pollfd pfd{l->fd, POLLIN, 0};
    if (::poll(&pfd, 1, 100) <= 0) continue;
    int c = ::accept4(l->fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    timeval tv{1, 0};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    SSL* ssl = SSL_new(l->ctx);
    SSL_set_fd(ssl, c);
    if (SSL_accept(ssl) == 1) {
      char buf[4096];
      int n = SSL_read(ssl, buf, sizeof buf - 1);
      if (n > 0) {
        std::string req(buf, static_cast<size_t>(n));
        if (req.rfind("OPTIONS ", 0) == 0) {
          // Echo the dialog headers, as a SIP UAS answering OPTIONS must.
          std::string resp = "SIP/2.0 200 OK\r\n";
          size_t pos = req.find("\r\n");
          while (pos != std::string::npos && pos + 2 < req.size()) {
            size_t end = req.find("\r\n", pos + 2);
            if (end == std::string::npos || end == pos + 2) break;
            std::string line = req.substr(pos + 2, end - pos - 2);
            for (const char* h : {"Via:", "From:", "To:", "Call-ID:", "CSeq:", "v:", "f:", "t:", "i:"}) {
              if (strncasecmp(line.c_str(), h, std::strlen(h)) == 0) {
                resp += line + "\r\n";
                break;
              }
            }
            pos = end;
          }
          resp += "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE\r\nServer: genesys_sim\r\nContent-Length: 0\r\n\r\n";
          SSL_write(ssl, resp.data(), static_cast<int>(resp.size()));
        }
      }
      SSL_shutdown(ssl);
    }
    SSL_free(ssl);
    ERR_clear_error();
    ::close(c);
  }
}

}  // namespace gx::sim
