#include "exporter/outputs/metrics/family_builder.h"

#include <limits>

namespace gx {

FamilyBuilder::FamilyBuilder(std::string name, std::string help, prometheus::MetricType type) {
  family_.name = std::move(name);
  family_.help = std::move(help);
  family_.type = type;
}

FamilyBuilder& FamilyBuilder::Add(const Labels& labels, double value) {
  prometheus::ClientMetric m;
  m.label.reserve(labels.size());
  for (const auto& [k, v] : labels) m.label.push_back({k, v});
  switch (family_.type) {
    case prometheus::MetricType::Counter: m.counter.value = value; break;
    case prometheus::MetricType::Untyped: m.untyped.value = value; break;
    default: m.gauge.value = value; break;
  }
  family_.metric.push_back(std::move(m));
  return *this;
}

FamilyBuilder& FamilyBuilder::AddHistogram(const Labels& labels, const std::vector<double>& bounds,
                                           const std::vector<std::uint64_t>& bucket_counts,
                                           std::uint64_t count, double sum) {
  prometheus::ClientMetric m;
  for (const auto& [k, v] : labels) m.label.push_back({k, v});
  std::uint64_t cumulative = 0;
  for (size_t i = 0; i < bounds.size(); ++i) {
    cumulative += i < bucket_counts.size() ? bucket_counts[i] : 0;
    m.histogram.bucket.push_back({cumulative, bounds[i]});
  }
  m.histogram.bucket.push_back({count, std::numeric_limits<double>::infinity()});
  m.histogram.sample_count = count;
  m.histogram.sample_sum = sum;
  family_.metric.push_back(std::move(m));
  return *this;
}

void FamilyBuilder::MoveTo(std::vector<prometheus::MetricFamily>& out, bool keep_empty) {
  if (family_.metric.empty() && !keep_empty) return;
  out.push_back(std::move(family_));
}

}  // namespace gx
