// The collector seam: a collector is a pure view from one consistent state
// snapshot to exposition text. It does no I/O, takes no locks and reads no clock (the
// renderer reads this process's /proc figures for the process collector).
// Most build metric families (CollectFn) that the framework serializes; the large ones write
// text straight (WriteFn) or keep what they derived per table chunk (CollectKeptFn) in `cache`.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/metric_family.h>

#include "exporter/state/health_state.h"
#include "exporter/state/telephony_state.h"

namespace gx {

struct CollectorOptions {
  bool per_phone = false;
  std::int64_t qos_mismatch_threshold = 0;
  bool operator==(const CollectorOptions&) const = default;
};

struct ProcessStats;

struct CollectInput {
  const TelephonyData& telephony;
  const HealthData& health;
  const CollectorOptions& options;
  const ProcessStats* process = nullptr;  // none: the process collector writes nothing
};

using MetricFamilies = std::vector<prometheus::MetricFamily>;
using CollectFn = void (*)(const CollectInput&, MetricFamilies&);

// A collector's text as pieces: text written now, and pieces kept from an earlier scrape that
// are shared, not copied (the renderer compresses a kept piece only once, too).
class TextPieces {
 public:
  // Text to append to: the last piece when it was written now, else a new piece.
  std::string& Text();
  void Share(std::shared_ptr<const std::string> piece);
  const std::vector<std::shared_ptr<const std::string>>& pieces() const { return pieces_; }
  std::string Joined() const;

 private:
  std::vector<std::shared_ptr<const std::string>> pieces_;
  std::shared_ptr<std::string> open_;  // the last of pieces_, while it is being written
};

// `cache` belongs to the collector (the renderer keeps it between scrapes, one per collector).
using WriteFn = void (*)(const CollectInput&, std::shared_ptr<void>& cache, TextPieces& out);
// A collector of families that keeps what it derived between scrapes in `cache`.
using CollectKeptFn = void (*)(const CollectInput&, std::shared_ptr<void>& cache, MetricFamilies& out);

// What a collector's output depends on: the tables of the telephony data it reads (and the
// options), or the health data. Its text is reused while the versions of every table it
// reads and the options stay the same, so a pushed phone change renders only the collectors
// that read phones. A collector that reads health or the process figures renders every scrape.
enum Reads : std::uint32_t {
  kReadsPhones = 1u << 0,  // the phones, the phone index and phones_loaded
  kReadsRegistration = 1u << 1,  // registration_by_site
  kReadsStations = 1u << 2,
  kReadsUsers = 1u << 3,
  kReadsTrunks = 1u << 4,  // the trunks and trunks_loaded
  kReadsTrunkBases = 1u << 5,
  kReadsTrunkMetrics = 1u << 6,  // the trunk metrics and trunk_metrics_loaded
  kReadsEdges = 1u << 7,  // the edges and edges_loaded
  kReadsEdgeMetrics = 1u << 8,
  kReadsTls = 1u << 9,  // the TLS targets and tls_targets_complete
  kReadsProcess = 1u << 30,  // CollectInput::process, new every scrape
  kReadsHealth = 1u << 31,
};
// A collector that reads any of these renders every scrape.
inline constexpr std::uint32_t kReadsEveryScrape = kReadsHealth | kReadsProcess;

// The versions of what `reads` names in `t`: equal keys mean equal inputs (for one state).
std::vector<std::uint64_t> ReadKey(const TelephonyData& t, std::uint32_t reads);

struct NamedCollector {
  std::string_view name;
  std::uint32_t reads;          // Reads bits
  CollectFn collect = nullptr;  // exactly one of collect, write and collect_kept
  WriteFn write = nullptr;
  // When set and false, the collector has nothing to say (e.g. its source is off).
  bool (*shown)(const HealthData&) = nullptr;
  CollectKeptFn collect_kept = nullptr;
};

// The explicit list of collectors, in exposition order (collector_list.cpp).
std::span<const NamedCollector> AllCollectors();

// Appends one collector's text: its own writer, or its families serialized.
void WriteCollector(const NamedCollector& c, const CollectInput& in, std::shared_ptr<void>& cache, TextPieces& out);
void WriteCollector(const NamedCollector& c, const CollectInput& in, std::shared_ptr<void>& cache, std::string& out);
// Every collector's text, without caches (tests, benchmarks).
std::string WriteAllCollectors(const CollectInput& in);

}  // namespace gx
