#include "exporter/sources/tls/tls_discovery.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>

namespace gx::tls {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && Lower(s.substr(0, prefix.size())) == prefix;
}

void AddTarget(std::map<std::string, TlsTarget>& out, const HostPort& hp, const std::string& trunk_id) {
  TlsTarget t;
  t.host = hp.host;
  t.port = hp.port;
  t.source = "trunk";
  auto [it, inserted] = out.try_emplace(t.key(), t);
  auto& ids = it->second.trunk_ids;
  if (std::find(ids.begin(), ids.end(), trunk_id) == ids.end()) ids.push_back(trunk_id);
}

}  // namespace

Result<HostPort> ParseHostPort(std::string_view address, int default_port) {
  using Parsed = Result<HostPort>;
  std::string_view s = Trim(address);
  if (StartsWithNoCase(s, "sips:")) s.remove_prefix(5);
  else if (StartsWithNoCase(s, "sip:")) s.remove_prefix(4);
  // URI parameters and headers, then any user part.
  if (size_t p = s.find_first_of(";?"); p != std::string_view::npos) s = s.substr(0, p);
  if (size_t at = s.rfind('@'); at != std::string_view::npos) s.remove_prefix(at + 1);
  if (s.empty()) return Parsed::Error("empty address");

  HostPort hp;
  hp.port = default_port;
  std::string_view port_text;
  if (s.front() == '[') {
    size_t close = s.find(']');
    if (close == std::string_view::npos) return Parsed::Error("missing ']' in IPv6 address");
    hp.host = Lower(s.substr(1, close - 1));
    std::string_view rest = s.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return Parsed::Error("unexpected text after ']'");
      port_text = rest.substr(1);
      if (port_text.empty()) return Parsed::Error("empty port");
    }
  } else if (std::count(s.begin(), s.end(), ':') > 1) {
    hp.host = Lower(s);  // a bare IPv6 address: no port possible
  } else if (size_t colon = s.find(':'); colon != std::string_view::npos) {
    hp.host = Lower(s.substr(0, colon));
    port_text = s.substr(colon + 1);
    if (port_text.empty()) return Parsed::Error("empty port");
  } else {
    hp.host = Lower(s);
  }
  if (hp.host.empty()) return Parsed::Error("empty host");
  for (unsigned char c : hp.host)
    if (std::isspace(c) || c == '/' || c == '[' || c == ']') return Parsed::Error("invalid host \"" + hp.host + "\"");
  if (!port_text.empty()) {
    int port = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port < 1 || port > 65535)
      return Parsed::Error("invalid port \"" + std::string(port_text) + "\"");
    hp.port = port;
  }
  return hp;
}

std::vector<TlsTarget> DiscoverTlsTargets(const TelephonyData& data) {
  std::map<std::string, TlsTarget> found;
  for (const auto& [id, entry] : data.trunks) {
    const Trunk& trunk = entry.trunk;
    if (Lower(trunk.trunk_type) != "external" || Lower(trunk.state) == "deleted") continue;
    auto base = data.trunk_bases.find(trunk.trunk_base.id);
    if (base == data.trunk_bases.end() || Lower(base->second.protocol_variant) != "tls") continue;
    std::vector<std::string> addresses = trunk.proxy_address_list;
    addresses.insert(addresses.end(), base->second.server_proxy_list.begin(), base->second.server_proxy_list.end());
    if (addresses.empty())
      for (const auto& p : trunk.options) addresses.push_back(p.proxy_address);
    for (const auto& a : addresses)
      if (auto hp = ParseHostPort(a)) AddTarget(found, *hp, trunk.id);
  }
  std::vector<TlsTarget> out;
  out.reserve(found.size());
  for (auto& [key, t] : found) {
    std::sort(t.trunk_ids.begin(), t.trunk_ids.end());
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<TlsTarget> ConfigTlsTargets(const TlsProbeConfig& config) {
  std::vector<TlsTarget> out;
  for (const auto& c : config.targets) {
    auto hp = ParseHostPort(c.address);
    if (!hp) continue;
    TlsTarget t;
    t.host = hp->host;
    t.port = hp->port;
    t.server_name = c.server_name;
    t.source = "config";
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<TlsTarget> MergeTlsTargets(const std::vector<TlsTarget>& configured,
                                       const std::vector<TlsTarget>& discovered) {
  std::map<std::string, TlsTarget> merged;
  for (const auto& t : configured) merged.try_emplace(t.key(), t);  // the first configuration wins
  for (const auto& t : discovered) {
    auto [it, inserted] = merged.try_emplace(t.key(), t);
    if (inserted) continue;
    auto& ids = it->second.trunk_ids;
    ids.insert(ids.end(), t.trunk_ids.begin(), t.trunk_ids.end());
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  }
  std::vector<TlsTarget> out;
  out.reserve(merged.size());
  for (auto& [key, t] : merged) out.push_back(std::move(t));
  return out;
}

}  // namespace gx::tls
