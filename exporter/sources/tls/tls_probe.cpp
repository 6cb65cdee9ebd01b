#include "exporter/sources/tls/tls_probe.h"

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "exporter/sources/tls/cert_facts.h"
#include "exporter/sources/tls/deadline_socket.h"
#include "exporter/sources/tls/sip_ping.h"

namespace gx::tls {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct CtxDeleter {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslDeleter {
  void operator()(SSL* s) const { SSL_free(s); }
};
struct StoreCtxDeleter {
  void operator()(X509_STORE_CTX* c) const { X509_STORE_CTX_free(c); }
};

// Verifies the presented chain against the trust store without any name check,
// to tell a chain problem from a hostname problem.
bool VerifyChainOnly(SSL_CTX* ctx, SSL* ssl, X509* leaf, STACK_OF(X509)* chain, time_t at) {
  std::unique_ptr<X509_STORE_CTX, StoreCtxDeleter> sctx(X509_STORE_CTX_new());
  if (!sctx || X509_STORE_CTX_init(sctx.get(), SSL_CTX_get_cert_store(ctx), leaf, chain) != 1) return false;
  X509_STORE_CTX_set_default(sctx.get(), "ssl_server");
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(sctx.get());
  X509_VERIFY_PARAM_set_time(param, at);
  X509_VERIFY_PARAM_set_auth_level(param, SSL_get_security_level(ssl));
  return X509_verify_cert(sctx.get()) == 1;
}

bool HostnameMatches(X509* leaf, const std::string& name) {
  if (IsIpLiteral(name)) return X509_check_ip_asc(leaf, name.c_str(), 0) == 1;
  return X509_check_host(leaf, name.data(), name.size(), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr) == 1;
}

void Fail(TlsProbeResult& r, ProbeStage stage, std::string error) {
  r.failed_stage = stage;
  r.error = std::move(error);
}

void Fail(TlsProbeResult& r, ProbeStage stage, const IoError& error) {
  Fail(r, stage, error.message);
  r.cancelled = error.kind == IoFailure::kCancelled;
}

}  // namespace

TlsProbeResult ProbeTls(const TlsTarget& target, const TlsProbeSettings& settings, Deadline deadline,
                        const Clock& clock) {
  const auto started = SteadyClock::now();
  SigpipeGuard sigpipe_guard;
  TlsProbeResult r;
  r.target = target.key();
  r.probed_at = clock.Now();
  const std::string name = target.server_name.empty() ? target.host : target.server_name;
  r.server_name = name;
  const time_t verify_at = static_cast<time_t>(r.probed_at / kNanosPerSecond);
  auto finish = [&]() -> TlsProbeResult {
    r.duration_seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
    ERR_clear_error();
    return r;
  };

  // The context is per probe: each target may have its own trust anchors and client certificate.
  std::unique_ptr<SSL_CTX, CtxDeleter> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) {
    Fail(r, ProbeStage::kSetup, OpenSslError("cannot create TLS context"));
    return finish();
  }
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx.get(), TLS1_3_VERSION);
  // Verification always runs and its result is read below; VERIFY_NONE only keeps
  // a failure from aborting the handshake, so that a broken chain is still read.
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  if (!settings.ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(ctx.get(), settings.ca_file.c_str(), nullptr) != 1) {
      Fail(r, ProbeStage::kSetup, "cannot load ca_file " + settings.ca_file + ": " + OpenSslError("unreadable"));
      return finish();
    }
  } else if (SSL_CTX_set_default_verify_paths(ctx.get()) != 1) {
    Fail(r, ProbeStage::kSetup, "cannot load the system trust store: " + OpenSslError("unreadable"));
    return finish();
  }
  if (!settings.cert_file.empty()) {
    const std::string& key = settings.key_file.empty() ? settings.cert_file : settings.key_file;
    if (SSL_CTX_use_certificate_chain_file(ctx.get(), settings.cert_file.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx.get(), key.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx.get()) != 1) {
      Fail(r, ProbeStage::kSetup, "cannot load client certificate " + settings.cert_file + ": " + OpenSslError("unreadable"));
      return finish();
    }
  }

  const WaitLimit limit{deadline, settings.cancel};
  IoError error;
  std::vector<Address> addrs = Resolve(target.host, target.port, limit, error);
  if (addrs.empty()) {
    Fail(r, ProbeStage::kResolve, error);
    return finish();
  }
  Fd fd = Connect(addrs, limit, error);
  if (fd.get() < 0) {
    Fail(r, ProbeStage::kConnect, error);
    return finish();
  }
  r.connected = true;

  std::unique_ptr<SSL, SslDeleter> ssl(SSL_new(ctx.get()));
  if (!ssl || SSL_set_fd(ssl.get(), fd.get()) != 1) {
    Fail(r, ProbeStage::kSetup, OpenSslError("cannot create TLS session"));
    return finish();
  }
  const bool name_is_ip = IsIpLiteral(name);
  if (!name_is_ip) SSL_set_tlsext_host_name(ssl.get(), name.c_str());
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl.get());
  X509_VERIFY_PARAM_set_time(param, verify_at);
  if (name_is_ip) {
    X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
  } else {
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size());
  }

  SSL* s = ssl.get();
  r.handshake_ok = DriveSsl(s, fd.get(), [s] { return SSL_connect(s); }, limit, "handshake", error) > 0;
  if (!r.handshake_ok) Fail(r, ProbeStage::kHandshake, error);

  // The chain the server presented, read whether or not it verifies.
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(s);
  if (chain != nullptr && sk_X509_num(chain) > 0) {
    for (int i = 0; i < sk_X509_num(chain); ++i) r.chain.push_back(FactsOf(sk_X509_value(chain, i), i));
    const long v = SSL_get_verify_result(s);
    r.verify_result = v == X509_V_OK ? "ok" : X509_verify_cert_error_string(v);
    X509* leaf = sk_X509_value(chain, 0);
    if (v == X509_V_OK) {
      r.chain_verified = true;
      r.hostname_verified = true;
      if (STACK_OF(X509)* verified = SSL_get0_verified_chain(s)) {
        for (int i = 0; i < sk_X509_num(verified); ++i) {
          auto t = Asn1TimeToUnixNanos(X509_get0_notAfter(sk_X509_value(verified, i)));
          if (t && (!r.verified_chain_earliest_expiry || *t < *r.verified_chain_earliest_expiry))
            r.verified_chain_earliest_expiry = t;
        }
      }
    } else {
      r.hostname_verified = HostnameMatches(leaf, name);
      // A name mismatch is found before signatures and dates are checked, so the chain is re-verified alone.
      r.chain_verified = VerifyChainOnly(ctx.get(), s, leaf, chain, verify_at);
      if (r.chain_verified && r.hostname_verified) r.chain_verified = false;  // the verdict of record is v
    }
  }
  if (r.handshake_ok) {
    r.tls_version = SSL_get_version(s);
    r.cipher = SSL_get_cipher_name(s);
    if (settings.sip_options) r.sip_options = PingSipOptions(s, fd.get(), target.host, target.port, limit, r.cancelled);
    SSL_shutdown(s);  // best effort close_notify; never waited for
  }
  r.success = r.handshake_ok && r.verify_result == "ok" && r.chain_verified && r.hostname_verified;
  return finish();
}

}  // namespace gx::tls
