// Renders /metrics: every collector over one consistent snapshot of the state (and, for the
// process collector, this process's /proc figures), in the collector list's order, then the
// framework's own families (per-collector duration and success) in text exposition format 0.0.4. The renderer's own
// instrumentation (genesys_scrape_duration_seconds) is a prometheus-cpp Registry, serialized by
// prometheus-cpp's TextSerializer and appended.
//
// Each collector's text is kept between scrapes, as pieces shared with the plain responses
// (not copied): a collector that reads only telephony tables is rendered again only when the
// version of a table it reads (or the options) changed, so a pushed phone change renders only
// the collectors that read phones, and those write again only the changed chunk of the phones
// table (ChunkMemo). The gzip body is kept the same way, one deflated piece per text piece: a
// gzip scrape compresses only the pieces written since the last one, and sends the kept ones
// between a gzip header and trailer, not copied. SetOptions() applies a configuration reload from the next
// scrape on. Thread-safe: scrapes are serialized (they share the buffers).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "exporter/outputs/metrics/collector.h"
#include "exporter/outputs/http/gzip_encoding.h"

namespace gx {

class MetricsRenderer {
 public:
  MetricsRenderer(const TelephonyState& telephony, const HealthState& health, CollectorOptions options);
  ~MetricsRenderer();

  void SetOptions(CollectorOptions options) {
    std::lock_guard lock(mu_);
    options_ = options;
  }
  // The exposition text; gzip-compressed when `gzip`.
  EncodedBody Render(bool gzip) const;

 private:
  struct Slot;
  const TelephonyState& telephony_;
  const HealthState& health_;
  mutable std::mutex mu_;
  CollectorOptions options_;  // guarded by mu_
  mutable std::mutex render_mu_;
  mutable std::vector<Slot> slots_;  // one per collector, guarded by render_mu_
  prometheus::Registry registry_;
  prometheus::Histogram* plain_seconds_;  // in registry_
  prometheus::Histogram* gzip_seconds_;
};

}  // namespace gx
