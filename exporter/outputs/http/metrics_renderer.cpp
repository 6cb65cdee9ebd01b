#include "exporter/outputs/http/metrics_renderer.h"

#include <chrono>
#include <exception>

#include <prometheus/text_serializer.h>

#include "exporter/outputs/metrics/text_exposition.h"
#include "exporter/outputs/http/process_metrics.h"
#include "exporter/util/logging.h"

namespace gx {

struct MetricsRenderer::Slot {
  bool rendered = false;  // `text` holds a complete render for `version` and `options`
  std::uint64_t version = 0;
  CollectorOptions options;
  bool shown = true;
  // Shared with the responses still being sent; rendered in place when no response holds it.
  std::shared_ptr<std::string> text = std::make_shared<std::string>();
  std::shared_ptr<void> cache;  // the collector's own (WriteFn)
  GzipChunks gz;
  bool gz_current = false;  // gz.last() is `text` compressed
  double seconds = 0;       // this scrape's time for the collector
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
  for (size_t i = 0; i < collectors.size(); ++i) {
    const NamedCollector& c = collectors[i];
    Slot& s = slots_[i];
    const auto start = std::chrono::steady_clock::now();
    const bool shown = !c.shown || c.shown(health);
    if (!(c.reads == CollectorReads::kTelephony && s.rendered && s.version == t.version && s.options == options &&
          s.shown == shown)) {
      if (s.text.use_count() > 1) s.text = std::make_shared<std::string>();
      s.text->clear();  // keeps its capacity: the next render reuses the buffer
      s.gz_current = false;
      try {
        WriteCollector(c, in, s.cache, *s.text);
        s.ok = true;
      } catch (const std::exception& e) {
        s.text->clear();
        s.cache.reset();
        s.ok = false;
        LogWarn("a /metrics collector failed; its families are left out of this scrape",
                {{"collector", c.name}, {"err", e.what()}});
      }
      s.rendered = s.ok;
      s.version = t.version;
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
  {
    MetricFamilies process;
    CollectProcessMetrics(process);
    AppendFamilies(*tail, process);
  }
  *tail += prometheus::TextSerializer().Serialize(registry_.Collect());

  EncodedBody body;
  body.gzip = gzip;
  if (gzip) {
    std::vector<const DeflatedText*> pieces;
    for (Slot& s : slots_) {
      if (!s.gz_current) {
        s.gz.Compress(*s.text);
        s.gz_current = true;
      }
      pieces.push_back(&s.gz.last());
    }
    pieces.push_back(&tail_gz_.Compress(*tail));
    body.text = GzipJoin(pieces);
  } else {
    // No copy: the response shares the kept texts.
    for (const Slot& s : slots_) {
      if (!s.text->empty()) body.parts.push_back(s.text);
    }
    body.parts.push_back(std::move(tail));
  }
  (gzip ? gzip_seconds_ : plain_seconds_)
      ->Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - scrape_start).count());
  return body;
}

}  // namespace gx
