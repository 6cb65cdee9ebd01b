// Value types for TLS probe targets and results (carrier SIP-TLS hosts).
// No behaviour, no locking.
#pragma once

#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "exporter/util/clock.h"

namespace gx {

struct TlsTarget {
  std::string host;
  int port = 5061;
  std::string server_name;            // SNI; defaults to host
  std::string source;                 // "config" or "trunk"
  std::vector<std::string> trunk_ids;  // trunks this host serves (discovered targets)
  // host:port, with an IPv6 host in brackets: the `target` label.
  std::string key() const {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
  }
  bool operator==(const TlsTarget&) const = default;
};

// Facts about one certificate the server presented. position 0 is the leaf.
struct CertificateFacts {
  int position = 0;
  std::string serial;  // upper-case hex
  std::string subject_cn;
  std::string issuer_cn;
  std::string sha256_fingerprint;  // lower-case hex
  UnixNanos not_before = 0;
  UnixNanos not_after = 0;
  std::vector<std::string> dns_names;
  bool operator==(const CertificateFacts&) const = default;
};

// Optional SIP OPTIONS ping over the probe's TLS connection.
struct SipOptionsResult {
  bool attempted = false;
  std::optional<int> status_code;  // final response, e.g. 200
  double rtt_seconds = 0;          // request sent to final status line read; valid with status_code
  std::string failure;             // without status_code: malformed, limit, timeout or connection
  std::string error;               // without status_code: what went wrong, for the log
  bool operator==(const SipOptionsResult&) const = default;
};

// Where a probe failed.
enum class ProbeStage { kNone, kSetup, kResolve, kConnect, kHandshake };

// The `stage` label of genesys_tls_probe_error_info: setup, resolve, connect, handshake; empty for kNone.
constexpr std::string_view StageLabel(ProbeStage stage) {
  switch (stage) {
    case ProbeStage::kNone: return "";
    case ProbeStage::kSetup: return "setup";
    case ProbeStage::kResolve: return "resolve";
    case ProbeStage::kConnect: return "connect";
    case ProbeStage::kHandshake: return "handshake";
  }
  return "";
}

struct TlsProbeResult {
  std::string target;  // host:port
  bool success = false;  // connect + handshake + chain + hostname all ok
  bool connected = false;
  bool handshake_ok = false;
  bool chain_verified = false;
  bool hostname_verified = false;
  double duration_seconds = 0;
  std::string server_name;
  std::string tls_version;  // e.g. TLSv1.3
  std::string cipher;
  std::string verify_result;  // "ok" or the verification error text; empty when no chain was received
  std::string error;          // connect/handshake/timeout error, empty when none
  ProbeStage failed_stage = ProbeStage::kNone;
  bool cancelled = false;  // cut short by a shutdown: not a measurement, never kept
  std::vector<CertificateFacts> chain;  // as presented, leaf first
  // Earliest notAfter of the chain OpenSSL built to a trust anchor (may differ
  // from the presented one); only when the chain verified.
  std::optional<UnixNanos> verified_chain_earliest_expiry;
  SipOptionsResult sip_options;
  UnixNanos probed_at = 0;
  bool operator==(const TlsProbeResult&) const = default;
};

}  // namespace gx
