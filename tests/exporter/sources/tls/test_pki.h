// Test-only helpers: certificates generated at test time with OpenSSL's X509
// builder, and a small loopback TLS/TCP server thread that presents them.
// Header-only so that every TLS test (and the integration test) can include it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include "tests/exporter/util/wait_for.h"

namespace gx::testpki {

struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertFree {
  void operator()(X509* c) const { X509_free(c); }
};
using KeyPtr = std::shared_ptr<EVP_PKEY>;
using CertPtr = std::shared_ptr<X509>;

// "2026-06-01T00:00:00Z" -> Unix seconds.
inline std::int64_t Utc(const std::string& iso) {
  std::tm tm{};
  if (strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) == nullptr) throw std::runtime_error("bad date " + iso);
  return static_cast<std::int64_t>(timegm(&tm));
}

inline KeyPtr NewKey() { return KeyPtr(EVP_EC_gen("P-256"), KeyFree()); }
inline KeyPtr NewRsaKey() { return KeyPtr(EVP_RSA_gen(2048), KeyFree()); }

struct CertSpec {
  std::string cn;
  std::string serial_hex = "01";
  std::string not_before;  // ISO UTC
  std::string not_after;
  bool ca = false;
  std::vector<std::string> dns;
  std::vector<std::string> ips;
};

inline void AddExt(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) throw std::runtime_error("bad extension " + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// Signs with issuer/issuer_key, or self-signs when issuer is null.
inline CertPtr MakeCert(const CertSpec& spec, EVP_PKEY* key, X509* issuer = nullptr, EVP_PKEY* issuer_key = nullptr) {
  CertPtr cert(X509_new(), CertFree());
  X509* c = cert.get();
  X509_set_version(c, 2);
  BIGNUM* bn = nullptr;
  BN_hex2bn(&bn, spec.serial_hex.c_str());
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c));
  BN_free(bn);
  ASN1_TIME_set(X509_getm_notBefore(c), static_cast<time_t>(Utc(spec.not_before)));
  ASN1_TIME_set(X509_getm_notAfter(c), static_cast<time_t>(Utc(spec.not_after)));
  X509_NAME* name = X509_get_subject_name(c);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("GX Test"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : name);
  X509_set_pubkey(c, key);
  X509* signer = issuer ? issuer : c;
  AddExt(c, signer, NID_subject_key_identifier, "hash");
  if (issuer) AddExt(c, signer, NID_authority_key_identifier, "keyid:always");
  if (spec.ca) {
    AddExt(c, signer, NID_basic_constraints, "critical,CA:TRUE");
    AddExt(c, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExt(c, signer, NID_basic_constraints, "CA:FALSE");
    AddExt(c, signer, NID_ext_key_usage, "serverAuth,clientAuth");
  }
  std::string san;
  for (const auto& d : spec.dns) san.append(san.empty() ? "" : ",").append("DNS:").append(d);
  for (const auto& i : spec.ips) san.append(san.empty() ? "" : ",").append("IP:").append(i);
  if (!san.empty()) AddExt(c, signer, NID_subject_alt_name, san);
  if (X509_sign(c, issuer_key ? issuer_key : key, EVP_sha256()) == 0) throw std::runtime_error("sign failed");
  return cert;
}

inline std::string Pem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(len));
  BIO_free(bio);
  return out;
}

inline std::string KeyPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(len));
  BIO_free(bio);
  return out;
}

// A fresh directory under the temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "gx_tls_XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& content) const {
    std::string p = (path_ / name).string();
    std::ofstream(p) << content;
    return p;
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A loopback server on 127.0.0.1:0 with one thread that serves connections one at a time.
class TestServer {
 public:
  enum class Mode {
    kTls,     // TLS handshake with the configured chain; optional SIP answer
    kSilent,  // accepts TCP and never answers
    kPlain,   // writes an HTTP response instead of TLS
  };
  struct Options {
    Mode mode = Mode::kTls;
    CertPtr leaf;
    KeyPtr key;
    std::vector<CertPtr> chain;  // sent after the leaf
    std::string sip_response;   // non-empty: answer one SIP request with these bytes
    CertPtr client_ca;          // non-null: require a client certificate issued by it
    // Non-empty: answers the first SIP request itself (a hostile peer), until `stop` or an error.
    std::function<void(SSL*, const std::atomic<bool>& stop)> sip_peer;
  };

  explicit TestServer(Options options) : options_(std::move(options)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || ::listen(listen_fd_, 16) != 0)
      throw std::runtime_error("bind/listen failed");
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    if (options_.mode == Mode::kTls) SetupTls();
    thread_ = std::thread([this] { Serve(); });
  }
  ~TestServer() {
    stop_ = true;
    thread_.join();
    for (int fd : held_) ::close(fd);
    ::close(listen_fd_);
    if (ctx_) SSL_CTX_free(ctx_);
  }
  int port() const { return port_; }
  std::vector<std::string> server_names() const {
    std::lock_guard lock(mu_);
    return server_names_;
  }
  std::vector<std::string> sip_requests() const {
    std::lock_guard lock(mu_);
    return sip_requests_;
  }
  int accepted() const { return accepted_.load(); }

 private:
  void SetupTls() {
    ctx_ = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate(ctx_, options_.leaf.get());
    SSL_CTX_use_PrivateKey(ctx_, options_.key.get());
    for (const auto& c : options_.chain) SSL_CTX_add1_chain_cert(ctx_, c.get());
    if (options_.client_ca) {
      X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx_), options_.client_ca.get());
      SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    }
  }

  void Serve() {
    // A client that leaves early must not kill the test with SIGPIPE.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      ++accepted_;
      switch (options_.mode) {
        case Mode::kSilent: held_.push_back(fd); break;
        case Mode::kPlain: ServePlain(fd); break;
        case Mode::kTls: ServeTls(fd); break;
      }
    }
  }

  static void SetTimeouts(int fd) {
    timeval tv{2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  }

  void ServePlain(int fd) {
    SetTimeouts(fd);
    const std::string reply = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    char buf[1024];
    (void)::recv(fd, buf, sizeof(buf), 0);
    (void)::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
    ::shutdown(fd, SHUT_WR);
    while (::recv(fd, buf, sizeof(buf), 0) > 0) {
    }
    ::close(fd);
  }

  void ServeTls(int fd) {
    SetTimeouts(fd);
    SSL* ssl = SSL_new(ctx_);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
      const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
      {
        std::lock_guard lock(mu_);
        server_names_.push_back(sni ? sni : "");
      }
      std::string received;
      char buf[4096];
      int n;
      while ((n = SSL_read(ssl, buf, sizeof(buf))) > 0) {
        received.append(buf, static_cast<size_t>(n));
        if (options_.sip_peer && received.find("\r\n\r\n") != std::string::npos) {
          {
            std::lock_guard lock(mu_);
            sip_requests_.push_back(received);
          }
          options_.sip_peer(ssl, stop_);
          break;
        }
        if (!options_.sip_response.empty() && received.find("\r\n\r\n") != std::string::npos) {
          {
            std::lock_guard lock(mu_);
            sip_requests_.push_back(received);
          }
          SSL_write(ssl, options_.sip_response.data(), static_cast<int>(options_.sip_response.size()));
          received.clear();
        }
      }
      SSL_shutdown(ssl);
    }
    SSL_free(ssl);
    ::close(fd);
  }

  Options options_;
  SSL_CTX* ctx_ = nullptr;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::vector<int> held_;
  mutable std::mutex mu_;
  std::vector<std::string> server_names_;
  std::vector<std::string> sip_requests_;
  std::thread thread_;
};

// A hostile SIP peer for TestServer::Options::sip_peer: sends `bytes` one at a time, `pause`
// apart, until done, stopped or the connection fails.
inline std::function<void(SSL*, const std::atomic<bool>&)> SipTrickle(std::string bytes,
                                                                      std::chrono::milliseconds pause) {
  return [bytes, pause](SSL* ssl, const std::atomic<bool>& stop) {
    for (char c : bytes) {
      if (stop || SSL_write(ssl, &c, 1) <= 0) return;
      const auto next = std::chrono::steady_clock::now() + pause;
      while (!stop && std::chrono::steady_clock::now() < next)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  };
}

// A loopback port that nothing listens on (bound and closed at once).
inline int RefusedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

using gx::testing::WaitFor;

// Runs a shell command and returns its standard output.
inline std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[512];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

}  // namespace gx::testpki
