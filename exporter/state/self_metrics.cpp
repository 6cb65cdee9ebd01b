#include "exporter/state/self_metrics.h"

namespace gx {

SelfMetrics::SelfMetrics()
    : api_requests_(prometheus::BuildCounter()
                        .Name("genesys_api_requests_total")
                        .Help("Genesys Cloud API requests by endpoint (path template) and HTTP status, or error for "
                              "a transport failure.")
                        .Register(registry_)),
      api_durations_(prometheus::BuildHistogram()
                         .Name("genesys_api_request_duration_seconds")
                         .Help("Genesys Cloud API request duration.")
                         .Register(registry_)) {}

void SelfMetrics::ObserveApiRequest(const std::string& endpoint, const std::string& code, double seconds) {
  // Family::Add returns the series already registered for these labels.
  api_requests_.Add({{"endpoint", endpoint}, {"code", code}}).Increment();
  api_durations_.Add({{"endpoint", endpoint}}, ApiDurationBuckets()).Observe(seconds);
}

std::uint64_t SelfMetrics::ApiRequests(const std::string& endpoint, const std::string& code) const {
  for (const auto& family : registry_.Collect()) {
    if (family.name != "genesys_api_requests_total") continue;
    for (const auto& m : family.metric) {
      std::string e, c;
      for (const auto& l : m.label) (l.name == "endpoint" ? e : l.name == "code" ? c : e) = l.value;
      if (e == endpoint && c == code) return static_cast<std::uint64_t>(m.counter.value);
    }
  }
  return 0;
}

}  // namespace gx
