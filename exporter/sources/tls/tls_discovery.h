// Which hosts to probe: targets from the configuration, targets discovered from
// the SIP-TLS carrier trunks in the state, and their merge. Pure functions over
// values; safe on any thread (call DiscoverTlsTargets inside TelephonyState::Read).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/state/certificates.h"
#include "exporter/state/telephony_state.h"
#include "exporter/util/result.h"

namespace gx::tls {

constexpr int kDefaultSipTlsPort = 5061;

struct HostPort {
  std::string host;  // lower-case; an IPv6 address without brackets
  int port = kDefaultSipTlsPort;
};

// Parses "host", "host:port", "[v6]:port", a bare IPv6 address, or a SIP URI
// ("sips:host:port;transport=tls"). A failure gives the precise reason.
Result<HostPort> ParseHostPort(std::string_view address, int default_port = kDefaultSipTlsPort);

// Targets of external trunks whose trunk base says trunk_transport_protocolVariant
// "tls": the trunk's proxyAddressList and the base's serverProxyList; the
// proxyAddress of optionsStatus only when neither lists any host. Source "trunk";
// duplicates merged, trunk ids sorted.
std::vector<TlsTarget> DiscoverTlsTargets(const TelephonyData& data);

// Configured targets (source "config"); addresses that do not parse are skipped
// (config validation reports them at start-up).
std::vector<TlsTarget> ConfigTlsTargets(const TlsProbeConfig& config);

// One target per host:port. A configured target keeps its settings and source
// "config", and gains the trunk ids of a discovered duplicate. Sorted by key.
std::vector<TlsTarget> MergeTlsTargets(const std::vector<TlsTarget>& configured,
                                       const std::vector<TlsTarget>& discovered);

}  // namespace gx::tls
