#include "exporter/outputs/http/metrics_renderer.h"

#include <chrono>
#include <exception>
#include <optional>
#include <unordered_map>

#include <prometheus/text_serializer.h>

#include "exporter/outputs/metrics/text_exposition.h"
#include "exporter/outputs/http/process_stats_reader.h"
#include "exporter/state/self_metrics.h"
#include "exporter/util/logging.h"

namespace gx {

struct MetricsRenderer::Slot {
  bool rendered = false;  // `pieces` hold a complete render for `key` and `options`
  std::vector<std::uint64_t> key;  // ReadKey of the tables the collector reads
  CollectorOptions options;
  bool shown = true;
  // Immutable once written: shared with the responses still being sent, and kept pieces
  // (a phone chunk's text) are the same objects from one render to the next.
  std::vector<std::shared_ptr<const std::string>> pieces;
  // pieces[i] deflated, or null until a gzip scrape needs it; kept with its piece.
  std::vector<std::shared_ptr<const DeflatedText>> deflated;
  // The CRC-32 and length of the pieces' texts joined, once every piece is deflated: a gzip
  // scrape of a kept slot combines one checksum, not one per piece.
  std::optional<JoinedSum> sum;
  std::shared_ptr<void> cache;  // the collector's own
  double seconds = 0;  // this scrape's time for the collector
  bool ok = true;
};

namespace {

// The framework's families: node_exporter's scrape_collector_* for the /metrics collectors.
void AppendCollectorFamilies(std::string& out, std::span<const NamedCollector> collectors,
                             const std::vector<double>& seconds, const std::vector<bool>& ok) {
  AppendFamilyHeader(out, "genesys_scrape_collector_duration_seconds",
                     "Time the /metrics collector took in this scrape (near 0 when its text was reused: "
                     "the state had not changed).",
                     "gauge");
  for (size_t i = 0; i < collectors.size(); ++i) {
    out += "genesys_scrape_collector_duration_seconds{collector=\"";
    AppendLabelValue(out, collectors[i].name);
    out += "\"} ";
    AppendNumber(out, seconds[i]);
    out.push_back('\n');
  }
  AppendFamilyHeader(out, "genesys_scrape_collector_success",
                     "1 when the /metrics collector rendered in this scrape; 0 when it failed (its series are "
                     "missing).",
                     "gauge");
  for (size_t i = 0; i < collectors.size(); ++i) {
    out += "genesys_scrape_collector_success{collector=\"";
    AppendLabelValue(out, collectors[i].name);
    out += "\"} ";
    out.push_back(ok[i] ? '1' : '0');
    out.push_back('\n');
  }
}

}  // namespace

MetricsRenderer::MetricsRenderer(const TelephonyState& telephony, const HealthState& health, CollectorOptions options)
    : telephony_(telephony), health_(health), options_(options) {
  auto& family = prometheus::BuildHistogram()
                     .Name("genesys_scrape_duration_seconds")
                     .Help("Time to render /metrics (collectors, framework families, compression), by encoding; "
                           "the scrape in progress is not counted yet.")
                     .Register(registry_);
  const prometheus::Histogram::BucketBoundaries buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                           0.05,   0.1,   0.25,   0.5,   1,    2.5};
  plain_seconds_ = &family.Add({{"encoding", "identity"}}, buckets);
  gzip_seconds_ = &family.Add({{"encoding", "gzip"}}, buckets);
}

MetricsRenderer::~MetricsRenderer() = default;

EncodedBody MetricsRenderer::Render(bool gzip) const {
  std::lock_guard render(render_mu_);
  const auto scrape_start = std::chrono::steady_clock::now();
  const HealthData health = health_.Read([](const HealthData& h) { return h; });
  CollectorOptions options;
  {
    std::lock_guard lock(mu_);
    options = options_;
  }
  const auto collectors = AllCollectors();
  slots_.resize(collectors.size());
  // One snapshot for every collector: consistent, and no writer waits for the scrape.
  const TelephonySnapshot snapshot = telephony_.Snapshot();
  const TelephonyData& t = *snapshot;
  CollectInput in{t, health, options};
  std::optional<ProcessStats> process;
  for (size_t i = 0; i < collectors.size(); ++i) {
    const NamedCollector& c = collectors[i];
    Slot& s = slots_[i];
    const auto start = std::chrono::steady_clock::now();
    if (c.reads & kReadsProcess) {  // read here, so that the reading counts in the collector's time
      process = ReadProcessStats();
      in.process = process ? &*process : nullptr;
    }
    const bool shown = !c.shown || c.shown(health);
    std::vector<std::uint64_t> key = ReadKey(t, c.reads);
    if (!(!(c.reads & kReadsEveryScrape) && s.rendered && s.key == key && s.options == options && s.shown == shown)) {
      TextPieces out;
      try {
        WriteCollector(c, in, s.cache, out);
        s.ok = true;
      } catch (const std::exception& e) {
        out = TextPieces();
        s.cache.reset();
        s.ok = false;
        LogWarn("a /metrics collector failed; its families are left out of this scrape",
                {{"collector", c.name}, {"err", e.what()}});
      }
      // A piece kept from the last render keeps its compressed bytes.
      std::unordered_map<const std::string*, std::shared_ptr<const DeflatedText>> kept;
      for (std::size_t p = 0; p < s.pieces.size(); ++p) {
        if (s.deflated[p]) kept.emplace(s.pieces[p].get(), s.deflated[p]);
      }
      std::vector<std::shared_ptr<const DeflatedText>> deflated;
      for (const auto& piece : out.pieces()) {
        auto it = kept.find(piece.get());
        deflated.push_back(it == kept.end() ? nullptr : it->second);
      }
      s.pieces = out.pieces();
      s.deflated = std::move(deflated);
      s.sum.reset();
      s.rendered = s.ok;
      s.key = std::move(key);
      s.options = options;
      s.shown = shown;
    }
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  std::vector<double> seconds;
  std::vector<bool> ok;
  for (const Slot& s : slots_) {
    seconds.push_back(s.seconds);
    ok.push_back(s.ok);
  }
  auto tail = std::make_shared<std::string>();
  AppendCollectorFamilies(*tail, collectors, seconds, ok);
  // prometheus-cpp's own: the scrape histogram, and what the exporter counts as it happens.
  std::vector<prometheus::MetricFamily> own = health_.self_metrics().Collect();
  for (auto& f : registry_.Collect()) own.push_back(std::move(f));
  *tail += prometheus::TextSerializer().Serialize(own);

  EncodedBody body;
  body.gzip = gzip;
  if (gzip) {
    // No copy either: the kept deflated pieces are sent between a gzip header and trailer.
    // (A piece shares ownership with its DeflatedText.)
    auto bytes_of = [](const std::shared_ptr<const DeflatedText>& d) {
      return std::shared_ptr<const std::string>(d, &d->bytes);
    };
    body.parts.push_back(GzipHeader());
    JoinedSum sum;
    for (Slot& s : slots_) {
      for (std::size_t p = 0; p < s.pieces.size(); ++p) {
        if (!s.deflated[p]) s.deflated[p] = std::make_shared<const DeflatedText>(Deflate(*s.pieces[p]));
        body.parts.push_back(bytes_of(s.deflated[p]));
      }
      if (!s.sum) {
        s.sum.emplace();
        for (const auto& d : s.deflated) s.sum->Add(d->crc, d->length);
      }
      sum.Add(s.sum->crc, s.sum->length);
    }
    const auto tail_gz = std::make_shared<const DeflatedText>(Deflate(*tail));
    body.parts.push_back(bytes_of(tail_gz));
    sum.Add(tail_gz->crc, tail_gz->length);
    body.parts.push_back(std::make_shared<const std::string>(GzipTrailer(sum)));
  } else {
    // No copy: the response shares the kept texts.
    for (const Slot& s : slots_) body.parts.insert(body.parts.end(), s.pieces.begin(), s.pieces.end());
    body.parts.push_back(std::move(tail));
  }
  (gzip ? gzip_seconds_ : plain_seconds_)
      ->Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - scrape_start).count());
  return body;
}

}  // namespace gx
