// TLS certificates of carrier SIP hosts: a view of TelephonyData::tls, which the
// TLS prober fills (default every 300 s). A target that was never probed has
// only its target_info; a probe that got no chain has no certificate series
// (no sentinel dates) and no genesys_tls_cert_verified either: the alert rules
// tell "unreachable" (probe_success 0 alone) from "bad certificate"
// (cert_verified 0) by that absence. genesys_collector_up{collector="tls"} is exported by the
// exporter health collector from the prober's recorded runs.
#include <string>

#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/family_builder.h"
#include "exporter/state/certificates.h"

namespace gx {
namespace {

constexpr const char* kCached = " Cached result of the last TLS probe (tls_probes.interval, default every 300s).";

std::string Help(const char* text) { return std::string(text) + kCached; }

double Bool(bool b) { return b ? 1.0 : 0.0; }

double EarliestNotAfter(const std::vector<CertificateFacts>& chain) {
  UnixNanos earliest = chain.front().not_after;
  for (const auto& c : chain)
    if (c.not_after < earliest) earliest = c.not_after;
  return ToSeconds(earliest);
}

}  // namespace

void CollectTls(const CollectInput& in, MetricFamilies& out) {
  auto success = Gauge("genesys_tls_probe_success",
                       Help("1 when connect, TLS handshake, chain verification and hostname verification all "
                            "succeeded."));
  auto duration = Gauge("genesys_tls_probe_duration_seconds",
                        Help("Wall time of the last probe: resolve, connect, handshake (and SIP OPTIONS when on)."));
  auto verified = Gauge("genesys_tls_cert_verified",
                        Help("1 when the chain and the hostname verified; only when a chain was received."));
  auto chain_verified = Gauge("genesys_tls_cert_chain_verified",
                              Help("1 when the presented chain verified to a trusted root, hostname aside."));
  auto hostname_verified = Gauge("genesys_tls_cert_hostname_verified",
                                 Help("1 when the leaf certificate matches the expected server name."));
  auto earliest = Gauge("genesys_tls_earliest_cert_expiry_timestamp_seconds",
                        Help("Earliest notAfter among the presented certificates, verified or not."));
  auto verified_earliest =
      Gauge("genesys_tls_verified_chain_earliest_expiry_timestamp_seconds",
            Help("Earliest notAfter of the chain built to a trust anchor; only when the chain verified."));
  auto not_after = Gauge("genesys_tls_cert_not_after_timestamp_seconds",
                         Help("notAfter of each presented certificate; position 0 is the leaf."));
  auto not_before = Gauge("genesys_tls_cert_not_before_timestamp_seconds",
                          Help("notBefore of each presented certificate; position 0 is the leaf."));
  auto sha256 = Gauge("genesys_tls_cert_sha256_info",
                      Help("SHA-256 fingerprint of each presented certificate (lower-case hex); the value is 1."));
  auto probe_info = Gauge("genesys_tls_probe_info",
                          Help("TLS session facts; verify_result is ok or the verification error. The value is 1."));
  auto error_info = Gauge("genesys_tls_probe_error_info",
                          Help("Why the last probe failed before verification (stage resolve, connect, handshake or "
                               "setup); the value is 1."));
  auto probed_at = Gauge("genesys_tls_probe_timestamp_seconds", Help("When the last probe started."));
  auto target_info = Gauge("genesys_tls_target_info",
                           "Probed TLS targets: source is config or trunk (discovered from SIP-TLS carrier "
                           "trunks), one series per trunk served; the value is 1.");
  auto sip_up = Gauge("genesys_tls_sip_options_up",
                      Help("1 when a SIP OPTIONS sent over the TLS connection got a final response (tls_probes."
                           "sip_options)."));
  auto sip_code = Gauge("genesys_tls_sip_options_status_code",
                        Help("Status code of the final response to SIP OPTIONS over TLS."));
  auto sip_rtt = Gauge("genesys_tls_sip_options_rtt_seconds",
                       Help("Time from sending SIP OPTIONS over TLS to its final response."));
  auto sip_failures = Counter("genesys_tls_sip_options_failures_total",
                              "SIP OPTIONS pings over TLS that got no final response, by reason: timeout, "
                              "connection, malformed (not SIP, bad Content-Length) or limit (a size or count "
                              "bound was exceeded). Counted since the target was first probed.");

  for (const auto& [key, entry] : in.telephony.tls) {
    const Labels target = {{"target", key}};
    if (entry.target.source == "config" || entry.target.trunk_ids.empty())
      target_info.Add({{"target", key}, {"source", entry.target.source}, {"trunk_id", ""}}, 1);
    for (const auto& id : entry.target.trunk_ids)
      target_info.Add({{"target", key}, {"source", "trunk"}, {"trunk_id", id}}, 1);

    for (const auto& [reason, count] : entry.sip_failures)
      sip_failures.Add({{"target", key}, {"reason", reason}}, static_cast<double>(count));

    if (!entry.result) continue;
    const TlsProbeResult& r = *entry.result;
    success.Add(target, Bool(r.success));
    duration.Add(target, r.duration_seconds);
    probed_at.Add(target, ToSeconds(r.probed_at));
    if (!r.error.empty()) {
      error_info.Add({{"target", key}, {"stage", std::string(StageLabel(r.failed_stage))}, {"error", r.error}}, 1);
    }

    const bool got_chain = !r.chain.empty();
    if (got_chain || r.handshake_ok) {
      probe_info.Add({{"target", key},
                      {"server_name", r.server_name},
                      {"tls_version", r.tls_version},
                      {"cipher", r.cipher},
                      {"verify_result", r.verify_result}},
                     1);
    }
    if (got_chain) {
      verified.Add(target, Bool(r.chain_verified && r.hostname_verified && r.verify_result == "ok"));
      chain_verified.Add(target, Bool(r.chain_verified));
      hostname_verified.Add(target, Bool(r.hostname_verified));
      earliest.Add(target, EarliestNotAfter(r.chain));
      if (r.verified_chain_earliest_expiry) verified_earliest.Add(target, ToSeconds(*r.verified_chain_earliest_expiry));
      for (const auto& c : r.chain) {
        const Labels cert = {{"target", key},
                             {"position", std::to_string(c.position)},
                             {"serial", c.serial},
                             {"subject_cn", c.subject_cn},
                             {"issuer_cn", c.issuer_cn}};
        not_after.Add(cert, ToSeconds(c.not_after));
        not_before.Add(cert, ToSeconds(c.not_before));
        sha256.Add({{"target", key}, {"position", std::to_string(c.position)}, {"sha256", c.sha256_fingerprint}}, 1);
      }
    }

    if (r.sip_options.attempted) {
      sip_up.Add(target, Bool(r.sip_options.status_code.has_value()));
      if (r.sip_options.status_code) {
        sip_code.Add(target, *r.sip_options.status_code);
        sip_rtt.Add(target, r.sip_options.rtt_seconds);
      }
    }
  }

  success.MoveTo(out);
  duration.MoveTo(out);
  verified.MoveTo(out);
  chain_verified.MoveTo(out);
  hostname_verified.MoveTo(out);
  earliest.MoveTo(out);
  verified_earliest.MoveTo(out);
  not_after.MoveTo(out);
  not_before.MoveTo(out);
  sha256.MoveTo(out);
  probe_info.MoveTo(out);
  error_info.MoveTo(out);
  probed_at.MoveTo(out);
  target_info.MoveTo(out);
  sip_up.MoveTo(out);
  sip_code.MoveTo(out);
  sip_rtt.MoveTo(out);
  sip_failures.MoveTo(out);
}

}  // namespace gx
