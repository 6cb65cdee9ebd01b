#include "exporter/sources/tls/cert_facts.h"

#include <ctime>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "exporter/util/time_math.h"

namespace gx::tls {

std::optional<UnixNanos> Asn1TimeToUnixNanos(const ASN1_TIME* time) {
  if (time == nullptr) return std::nullopt;
  std::tm tm{};
  if (ASN1_TIME_to_tm(time, &tm) != 1) return std::nullopt;
  // timegm works on 64-bit time_t, so years up to 9999 are exact in seconds; past 2262
  // they saturate as nanoseconds.
  return SecondsToNanos(static_cast<std::int64_t>(timegm(&tm)));
}

std::string SerialHex(const X509* cert) {
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
  if (serial == nullptr) return {};
  BIGNUM* bn = ASN1_INTEGER_to_BN(serial, nullptr);
  if (bn == nullptr) return {};
  std::string out;
  if (BN_is_zero(bn)) {
    out = "00";
  } else if (char* hex = BN_bn2hex(bn)) {
    out = hex;
    OPENSSL_free(hex);
    // BN_bn2hex prints whole bytes already; keep the guarantee explicit.
    const bool negative = !out.empty() && out[0] == '-';
    if ((out.size() - (negative ? 1 : 0)) % 2 != 0) out.insert(out.begin() + (negative ? 1 : 0), '0');
  }
  BN_free(bn);
  return out;
}

std::string CommonName(const X509_NAME* name) {
  if (name == nullptr) return {};
  int index = -1;
  int last = -1;
  while ((index = X509_NAME_get_index_by_NID(name, NID_commonName, index)) >= 0) last = index;
  if (last < 0) return {};
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, last));
  unsigned char* utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) return {};
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

std::string Sha256Fingerprint(const X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &len) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0x0f]);
  }
  return out;
}

std::vector<std::string> DnsNames(const X509* cert) {
  std::vector<std::string> out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, i);
    if (gn->type != GEN_DNS) continue;
    const ASN1_IA5STRING* s = gn->d.dNSName;
    out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<size_t>(ASN1_STRING_length(s)));
  }
  GENERAL_NAMES_free(names);
  return out;
}

CertificateFacts FactsOf(const X509* cert, int position) {
  CertificateFacts f;
  f.position = position;
  f.serial = SerialHex(cert);
  f.subject_cn = CommonName(X509_get_subject_name(cert));
  f.issuer_cn = CommonName(X509_get_issuer_name(cert));
  f.sha256_fingerprint = Sha256Fingerprint(cert);
  f.not_before = Asn1TimeToUnixNanos(X509_get0_notBefore(cert)).value_or(0);
  f.not_after = Asn1TimeToUnixNanos(X509_get0_notAfter(cert)).value_or(0);
  f.dns_names = DnsNames(cert);
  return f;
}

std::optional<UnixNanos> EarliestExpiry(const std::vector<CertificateFacts>& chain) {
  std::optional<UnixNanos> earliest;
  for (const auto& c : chain)
    if (!earliest || c.not_after < *earliest) earliest = c.not_after;
  return earliest;
}

}  // namespace gx::tls
