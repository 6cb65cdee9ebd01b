#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/text_exposition.h"

namespace gx {

std::span<const NamedCollector> AllCollectors() {
  constexpr std::uint32_t kUsersPhones = kReadsUsers | kReadsStations | kReadsPhones;
  static const NamedCollector kCollectors[] = {
      {"build_info", kReadsHealth, CollectBuildInfo},
      {"exporter_health", kReadsHealth, CollectExporterHealth},
      {"config", kReadsHealth, CollectConfig},
      {"phones", kReadsPhones | kReadsRegistration, nullptr, nullptr, nullptr, CollectPhones},
      // Without per_phone, the series are the followed users' phones.
      {"phone_series", kUsersPhones, nullptr, WritePhoneSeries},
      {"users", kUsersPhones, CollectUsers},
      {"trunks", kReadsTrunks | kReadsTrunkMetrics, CollectTrunks},
      {"edges", kReadsEdges | kReadsEdgeMetrics, CollectEdges},
      {"freshness",
       kReadsPhones | kReadsStations | kReadsTrunks | kReadsTrunkMetrics | kReadsEdges | kReadsEdgeMetrics, nullptr,
       nullptr, nullptr, CollectFreshness},
      {"tls", kReadsTls, CollectTls},
      {"notifications", kReadsHealth, CollectNotifications, nullptr, NotificationsRan},
      {"push_coverage", kReadsPhones | kReadsTrunks | kReadsEdges, nullptr, nullptr, NotificationsRan,
       CollectPushCoverage},
      {"alerts", kReadsHealth, CollectAlerts},
      {"spool", kReadsHealth, CollectSpool},
      {"web", kReadsHealth, CollectWeb},
      {"web_config", kReadsHealth, CollectWebConfig},
      {"process", kReadsProcess, CollectProcess},
  };
  return kCollectors;
}

std::vector<std::uint64_t> ReadKey(const TelephonyData& t, std::uint32_t reads) {
  std::vector<std::uint64_t> key;
  auto add = [&](Reads bit, auto... versions) {
    if (reads & bit) (key.push_back(versions), ...);
  };
  add(kReadsPhones, t.phones.version(), t.phone_by_line.version(), t.phone_by_webrtc_user.version(),
      std::uint64_t{t.phones_loaded} | std::uint64_t{t.phone_index_built} << 1);
  add(kReadsRegistration, t.registration_by_site.version());
  add(kReadsStations, t.stations.version(), std::uint64_t{t.stations_loaded});
  add(kReadsUsers, t.users.version());
  add(kReadsTrunks, t.trunks.version(), std::uint64_t{t.trunks_loaded});
  add(kReadsTrunkBases, t.trunk_bases.version());
  add(kReadsTrunkMetrics, t.trunk_metrics.version(), std::uint64_t{t.trunk_metrics_loaded});
  add(kReadsEdges, t.edges.version(), std::uint64_t{t.edges_loaded});
  add(kReadsEdgeMetrics, t.edge_metrics.version());
  add(kReadsTls, t.tls.version(), std::uint64_t{t.tls_targets_complete});
  return key;
}

std::string& TextPieces::Text() {
  if (!open_) {
    open_ = std::make_shared<std::string>();
    pieces_.push_back(open_);
  }
  return *open_;
}

void TextPieces::Share(std::shared_ptr<const std::string> piece) {
  open_.reset();
  if (piece && !piece->empty()) pieces_.push_back(std::move(piece));
}

std::string TextPieces::Joined() const {
  std::string out;
  for (const auto& p : pieces_) out += *p;
  return out;
}

void WriteCollector(const NamedCollector& c, const CollectInput& in, std::shared_ptr<void>& cache, TextPieces& out) {
  if (c.shown && !c.shown(in.health)) return;
  if (c.write) {
    c.write(in, cache, out);
    return;
  }
  MetricFamilies families;
  if (c.collect_kept) {
    c.collect_kept(in, cache, families);
  } else {
    c.collect(in, families);
  }
  AppendFamilies(out.Text(), families);
}

void WriteCollector(const NamedCollector& c, const CollectInput& in, std::shared_ptr<void>& cache, std::string& out) {
  TextPieces pieces;
  WriteCollector(c, in, cache, pieces);
  for (const auto& p : pieces.pieces()) out += *p;
}

std::string WriteAllCollectors(const CollectInput& in) {
  std::string out;
  for (const auto& c : AllCollectors()) {
    std::shared_ptr<void> cache;
    WriteCollector(c, in, cache, out);
  }
  return out;
}

}  // namespace gx
