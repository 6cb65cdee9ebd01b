// Pure helpers that turn one X.509 certificate (as OpenSSL holds it) into the
// plain facts the state keeps: dates, serial, names, fingerprint. No I/O, no
// shared state: safe to call from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <openssl/asn1.h>
#include <openssl/x509.h>

#include "exporter/state/certificates.h"

namespace gx::tls {

// ASN1_TIME (UTCTime or GeneralizedTime) as Unix nanoseconds. Times past what
// int64 nanoseconds hold (after 2262-04-11, e.g. the RFC 5280 "no expiry" date
// 9999-12-31) saturate at the largest value; nullopt when the time is malformed.
std::optional<UnixNanos> Asn1TimeToUnixNanos(const ASN1_TIME* time);

// Serial number as upper-case hex with an even number of digits, as
// `openssl x509 -serial` prints it (e.g. "0A1B2C"). Negative serials keep a '-'.
std::string SerialHex(const X509* cert);

// The last commonName of a name (the most specific one), UTF-8; empty when none.
std::string CommonName(const X509_NAME* name);

// SHA-256 over the DER encoding, lower-case hex without separators.
std::string Sha256Fingerprint(const X509* cert);

// DNS names of the subjectAltName extension, in order.
std::vector<std::string> DnsNames(const X509* cert);

// All facts of one certificate; `position` 0 is the leaf.
CertificateFacts FactsOf(const X509* cert, int position);

// Earliest notAfter among the certificates; nullopt for an empty chain.
std::optional<UnixNanos> EarliestExpiry(const std::vector<CertificateFacts>& chain);

}  // namespace gx::tls
