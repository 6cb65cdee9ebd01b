// Builds prometheus::MetricFamily values tersely. Not thread-safe; one per scrape.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include <prometheus/metric_family.h>

namespace gx {

using Labels = std::vector<std::pair<std::string, std::string>>;

class FamilyBuilder {
 public:
  FamilyBuilder(std::string name, std::string help, prometheus::MetricType type);

  FamilyBuilder& Add(const Labels& labels, double value);
  bool empty() const { return family_.metric.empty(); }
  // Moves the family into `out`; families without series are dropped unless `keep_empty`.
  void MoveTo(std::vector<prometheus::MetricFamily>& out, bool keep_empty = false);

 private:
  prometheus::MetricFamily family_;
};

inline FamilyBuilder Gauge(std::string name, std::string help) {
  return FamilyBuilder(std::move(name), std::move(help), prometheus::MetricType::Gauge);
}
inline FamilyBuilder Counter(std::string name, std::string help) {
  return FamilyBuilder(std::move(name), std::move(help), prometheus::MetricType::Counter);
}

}  // namespace gx
