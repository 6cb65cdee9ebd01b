#include "simulator/org.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace gx::sim {

std::string MakeId(std::mt19937_64& rng) {
  std::uint64_t a = rng(), b = rng();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffull));
  return buf;
}

namespace {

template <typename T>
int FindIn(const std::unordered_map<std::string, int>& index, const std::vector<T>& items,
           const std::string& key) {
  if (auto it = index.find(key); it != index.end()) return it->second;
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].name == key) return static_cast<int>(i);
  }
  size_t i = 0;
  auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), i);
  if (ec == std::errc() && end == key.data() + key.size() && !key.empty() && i < items.size()) {
    return static_cast<int>(i);
  }
  return -1;
}

std::string Pad(int n, int width) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%0*d", width, n);
  return buf;
}

struct PhoneKind {
  const char* manufacturer;
  const char* model;
  const char* firmware;
};
constexpr PhoneKind kHardware[] = {{"Poly", "VVX 450", "6.4.3.5018"},
                                   {"Yealink", "T54W", "96.86.0.70"},
                                   {"Cisco", "CP-8845", "sip88xx.14-1-1"},
                                   {"Poly", "Edge E350", "8.0.2.0417"}};

}  // namespace

void Org::RebuildPhoneIndexes() {
  phones_by_name.clear();
  phones_by_id.clear();
  site_phones.assign(sites.size(), {});
  for (size_t i = 0; i < phones.size(); ++i) {
    if (phones[i].deleted) continue;
    phones_by_name.push_back(static_cast<int>(i));
  }
  auto by_name = [this](int a, int b) {
    if (phones[a].name != phones[b].name) return phones[a].name < phones[b].name;
    return phones[a].id < phones[b].id;
  };
  std::sort(phones_by_name.begin(), phones_by_name.end(), by_name);
  for (int p : phones_by_name) site_phones[phones[p].site].push_back(p);
  phones_by_id = phones_by_name;
  std::sort(phones_by_id.begin(), phones_by_id.end(),
            [this](int a, int b) { return phones[a].id < phones[b].id; });
}

int Org::FindPhone(const std::string& key) const { return FindIn(phone_index, phones, key); }
int Org::FindTrunk(const std::string& key) const { return FindIn(trunk_index, trunks, key); }
int Org::FindEdge(const std::string& key) const { return FindIn(edge_index, edges, key); }
int Org::FindUser(const std::string& key) const { return FindIn(user_index, users, key); }

Org GenerateOrg(const Scenario& sc, UnixNanos now, const std::vector<TlsTarget>& tls_targets) {
  std::mt19937_64 rng(sc.seed);
  auto uniform = [&rng](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  };
  auto ago = [&](double max_days) {
    return now - static_cast<UnixNanos>(uniform(0.01, max_days) * 86400.0 * 1e9);
  };
  Org org;
  org.org_id = MakeId(rng);
  org.division_id = MakeId(rng);

  std::vector<SiteSpec> specs = sc.sites;
  if (specs.empty()) {
    for (int i = 0; i < sc.site_count; ++i) {
      SiteSpec s;
      s.name = "Site " + Pad(i + 1, 3);
      s.edges = sc.edges_per_site;
      s.phones = sc.phones / sc.site_count + (i < sc.phones % sc.site_count ? 1 : 0);
      specs.push_back(s);
    }
  }

  for (size_t si = 0; si < specs.size(); ++si) {
    SiteModel site;
    site.id = MakeId(rng);
    site.name = specs[si].name;
    for (int e = 0; e < specs[si].edges; ++e) {
      EdgeModel edge;
      edge.id = MakeId(rng);
      std::string slug = specs[si].name;
      std::replace(slug.begin(), slug.end(), ' ', '-');
      std::transform(slug.begin(), slug.end(), slug.begin(), [](unsigned char c) { return std::tolower(c); });
      edge.name = slug + "-edge-" + std::to_string(e + 1);
      edge.site = static_cast<int>(si);
      edge.serial = "SN" + Pad(static_cast<int>(rng() % 100000000), 8);
      edge.version = "1.0.0." + std::to_string(7000 + rng() % 500);
      edge.created = ago(400);
      edge.boot_time = ago(30);
      edge.online_time = edge.boot_time;
      site.edges.push_back(static_cast<int>(org.edges.size()));
      org.edge_index[edge.id] = static_cast<int>(org.edges.size());
      org.edges.push_back(std::move(edge));
    }
    org.site_index[site.id] = static_cast<int>(si);
    org.sites.push_back(std::move(site));
  }

  // Phones; WebRTC phones each get their own user as webRtcUser.
  for (size_t si = 0; si < specs.size(); ++si) {
    const auto& site = org.sites[si];
    for (int n = 0; n < specs[si].phones; ++n) {
      PhoneModel p;
      p.id = MakeId(rng);
      p.status_id = MakeId(rng);
      p.secondary_status_id = MakeId(rng);
      p.site = static_cast<int>(si);
      p.edge = site.edges[static_cast<size_t>(n) % site.edges.size()];
      p.edge2 = site.edges[static_cast<size_t>(n + 1) % site.edges.size()];
      p.webrtc = uniform(0, 1) < sc.webrtc_fraction;
      p.name = site.name + (p.webrtc ? " WebRTC " : " Desk ") + Pad(n + 1, 5);
      p.created = ago(300);
      p.provision_time = ago(20);
      p.status_time = ago(5);
      p.digits = static_cast<int>(rng() % 10);
      if (p.webrtc) {
        p.manufacturer = "inin";
        p.model = "WebRTC";
        p.firmware = "";
      } else {
        const auto& k = kHardware[rng() % std::size(kHardware)];
        p.manufacturer = k.manufacturer;
        p.model = k.model;
        p.firmware = k.firmware;
      }
      char mac[20];
      std::snprintf(mac, sizeof mac, "%012llx", static_cast<unsigned long long>(rng() & 0xffffffffffffull));
      p.hardware_id = mac;
      int nlines = (!p.webrtc && uniform(0, 1) < sc.two_line_fraction) ? 2 : 1;
      for (int l = 0; l < nlines; ++l) {
        LineModel line;
        line.id = MakeId(rng);
        line.name = "line" + std::to_string(l + 1) + "_" + p.hardware_id;
        line.reachable_time = p.status_time;
        p.lines.push_back(std::move(line));
      }
      if (p.webrtc) {
        UserModel u;
        u.id = MakeId(rng);
        u.name = "WebRTC User " + Pad(static_cast<int>(org.users.size()) + 1, 5);
        p.webrtc_user = static_cast<int>(org.users.size());
        org.user_index[u.id] = static_cast<int>(org.users.size());
        org.users.push_back(std::move(u));
      }
      org.phone_index[p.id] = static_cast<int>(org.phones.size());
      org.phones.push_back(std::move(p));
    }
  }

  // One station per phone, whose line appearance is the phone's first line.
  for (size_t pi = 0; pi < org.phones.size(); ++pi) {
    auto& p = org.phones[pi];
    StationModel st;
    st.id = MakeId(rng);
    st.name = p.name;
    st.type = p.webrtc ? "inin_webrtc_softphone" : "inin_remote";
    st.phone = static_cast<int>(pi);
    st.webrtc_user = p.webrtc_user;
    if (p.webrtc_user >= 0) org.users[p.webrtc_user].default_station = static_cast<int>(org.stations.size());
    org.station_index[st.id] = static_cast<int>(org.stations.size());
    org.stations.push_back(std::move(st));
  }

  // `users` associated users, spread over the org: WebRTC phones associate their own user,
  // hardware phones get a new user.
  int associate = std::min<int>(sc.users, static_cast<int>(org.phones.size()));
  for (int k = 0; k < associate; ++k) {
    size_t pi = org.phones.size() * static_cast<size_t>(k) / static_cast<size_t>(associate);
    auto& st = org.stations[pi];
    int user = org.phones[pi].webrtc_user;
    if (user < 0) {
      UserModel u;
      u.id = MakeId(rng);
      user = static_cast<int>(org.users.size());
      u.name = "Agent " + Pad(k + 1, 4);
      org.user_index[u.id] = user;
      org.users.push_back(std::move(u));
    }
    st.user = user;
    st.associated_time = ago(2);
    org.users[user].station = static_cast<int>(pi);
  }
  for (auto& u : org.users) {
    std::string local = u.name;
    std::replace(local.begin(), local.end(), ' ', '.');
    std::transform(local.begin(), local.end(), local.begin(), [](unsigned char c) { return std::tolower(c); });
    u.email = local + "@example.com";
  }

  // External carrier trunks: the first ones cover each local TLS listener; the rest are a mix.
  static const char* kCarriers[] = {"Acme Telecom", "Globex Voice", "Initech SIP", "Umbrella Carrier",
                                    "Hooli Connect", "Vandelay Networks"};
  auto add_trunk = [&](TrunkModel t, TrunkBaseModel b) {
    t.id = MakeId(rng);
    b.id = MakeId(rng);
    t.base = static_cast<int>(org.bases.size());
    t.created = b.created = ago(200);
    t.connected_time = ago(3);
    t.metrics_time = now;
    t.digits = static_cast<int>(rng() % 10);
    for (auto& px : t.proxies) px.options_time = px.register_time = t.connected_time;
    org.base_index[b.id] = static_cast<int>(org.bases.size());
    org.bases.push_back(std::move(b));
    org.trunk_index[t.id] = static_cast<int>(org.trunks.size());
    org.trunks.push_back(std::move(t));
  };
  const int ntls = static_cast<int>(tls_targets.size());
  for (int i = 0; i < sc.external_trunks; ++i) {
    TrunkModel t;
    TrunkBaseModel b;
    t.trunk_type = b.trunk_type = "EXTERNAL";
    b.type_property = "external.pcv.byoc.carrier";
    t.edge = static_cast<int>(rng() % org.edges.size());
    b.site = org.edges[t.edge].site;
    std::string carrier = kCarriers[i % std::size(kCarriers)];
    int nproxies = 1 + static_cast<int>(rng() % 4);
    bool tls = (i < ntls) || uniform(0, 1) < sc.sip_tls_fraction;
    if (tls && ntls > 0) {
      int first = i % ntls;
      t.tls_case = tls_targets[first].name;
      nproxies = std::min(nproxies, ntls);
      for (int k = 0; k < nproxies; ++k) b.proxies.push_back(tls_targets[(first + k) % ntls].address);
      t.name = i < ntls ? "Carrier TLS " + tls_targets[first].name
                        : carrier + " TLS " + Pad(i + 1, 4);
    } else {
      std::string host = carrier;
      std::replace(host.begin(), host.end(), ' ', '-');
      std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
      for (int k = 0; k < nproxies; ++k) {
        b.proxies.push_back("sip" + std::to_string(k + 1) + "." + host + ".invalid:" +
                            (tls ? "5061" : "5060"));
      }
      t.name = carrier + (tls ? " TLS " : " ") + Pad(i + 1, 4);
    }
    b.protocol = tls ? "tls" : (i % 2 ? "udp" : "tcp");
    b.name = t.name + " base";
    t.registers_enabled = (i % 3 == 1);
    for (const auto& a : b.proxies) {
      ProxyModel px;
      px.address = a;
      t.proxies.push_back(px);
    }
    t.ip = "198.51.100." + std::to_string(1 + i % 250);
    add_trunk(std::move(t), std::move(b));
  }
  // A phone trunk and an edge (tie) trunk per edge.
  for (size_t e = 0; e < org.edges.size(); ++e) {
    for (const char* type : {"PHONE", "EDGE"}) {
      TrunkModel t;
      TrunkBaseModel b;
      t.trunk_type = b.trunk_type = type;
      t.edge = static_cast<int>(e);
      b.site = org.edges[e].site;
      b.protocol = "tcp";
      b.type_property = std::string(type) == "PHONE" ? "station.cdm.webrtc" : "tie";
      t.name = org.edges[e].name + (std::string(type) == "PHONE" ? " phone trunk" : " tie trunk");
      b.name = t.name + " base";
      t.options_enabled = false;
      t.ip = "10.0." + std::to_string(e / 250) + "." + std::to_string(1 + e % 250);
      add_trunk(std::move(t), std::move(b));
    }
  }
  for (auto& t : org.trunks) {
    if (t.trunk_type != "EXTERNAL") continue;
    t.inbound = static_cast<int>(rng() % 12);
    t.outbound = static_cast<int>(rng() % 12);
  }
  org.RebuildPhoneIndexes();
  return org;
}

}  // namespace gx::sim
