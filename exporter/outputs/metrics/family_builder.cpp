#include "exporter/outputs/metrics/family_builder.h"

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

void FamilyBuilder::MoveTo(std::vector<prometheus::MetricFamily>& out, bool keep_empty) {
  if (family_.metric.empty() && !keep_empty) return;
  out.push_back(std::move(family_));
}

}  // namespace gx
