// libFuzzer target: a DER certificate as a TLS peer presents it, turned into the
// facts the state keeps (exporter/sources/tls/cert_facts): dates, serial, names,
// fingerprint. OpenSSL decodes; the helpers must cope with whatever it accepts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include <openssl/x509.h>

#include "exporter/sources/tls/cert_facts.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const unsigned char* p = data;
  X509* cert = d2i_X509(nullptr, &p, static_cast<long>(size));
  if (cert == nullptr) return 0;
  std::vector<gx::CertificateFacts> chain = {gx::tls::FactsOf(cert, 0), gx::tls::FactsOf(cert, 1)};
  const auto earliest = gx::tls::EarliestExpiry(chain);
  if (!earliest || *earliest != chain[0].not_after) std::abort();
  if (chain[0].sha256_fingerprint.size() != 64) std::abort();
  X509_free(cert);
  return 0;
}
