// Phones and lines per site, and registration counters (per-phone series: phone_series_collector.cpp).
#include <algorithm>
#include <array>
#include <map>
#include <string_view>
#include <unordered_map>

#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/family_builder.h"
#include "exporter/state/registration.h"

namespace gx {
namespace {

// Always present for every site, in this order; other API values follow sorted.
constexpr std::array<std::string_view, 4> kStandardStatuses = {"OPERATIONAL", "DEGRADED", "OFFLINE", "UNKNOWN"};

struct SiteAggregate {
  std::array<std::int64_t, kStandardStatuses.size()> standard{};
  std::map<std::string_view, std::int64_t> other;
  std::int64_t lines = 0;
  std::int64_t reachable = 0;
  std::int64_t registered = 0;
};

void AddStatus(SiteAggregate& agg, std::string_view status) {
  for (size_t i = 0; i < kStandardStatuses.size(); ++i) {
    if (kStandardStatuses[i] == status) {
      ++agg.standard[i];
      return;
    }
  }
  ++agg.other[status];
}

constexpr const char* kCached = " Cached state, refreshed by polling (phones collector, default every 60s) or pushed.";

}  // namespace

void CollectPhones(const CollectInput& in, MetricFamilies& out) {
  const TelephonyData& t = in.telephony;

  // Aggregate under string_view keys: the labels live in the snapshot we read.
  std::unordered_map<std::string_view, SiteAggregate> sites;
  for (const auto& [id, entry] : t.phones) {
    const Phone& p = entry.phone;
    SiteAggregate& agg = sites[PhoneSiteLabel(p)];
    AddStatus(agg, PhoneOperationalStatus(p));
    agg.lines += PhoneLineCount(p);
    agg.reachable += PhoneReachableLineCount(p);
    agg.registered += PhoneRegistered(p) ? 1 : 0;
  }
  std::vector<std::pair<std::string_view, const SiteAggregate*>> ordered;
  ordered.reserve(sites.size());
  for (const auto& [site, agg] : sites) ordered.emplace_back(site, &agg);
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });

  auto phones = Gauge("genesys_phones", std::string("Phones per site by status.operationalStatus (UNKNOWN when the "
                                                    "API sent none).") + kCached);
  auto lines = Gauge("genesys_phone_lines", std::string("Phone lines known per site.") + kCached);
  auto reachable = Gauge("genesys_phone_lines_reachable",
                         std::string("Phone lines whose primary lineStatuses[].reachable is true, per site.") + kCached);
  auto registered = Gauge("genesys_phones_registered",
                          std::string("Phones per site whose lines are all reachable.") + kCached);
  for (const auto& [site_view, agg] : ordered) {
    const std::string site(site_view);
    for (size_t i = 0; i < kStandardStatuses.size(); ++i) {
      phones.Add({{"site", site}, {"status", std::string(kStandardStatuses[i])}},
                 static_cast<double>(agg->standard[i]));
    }
    for (const auto& [status, n] : agg->other) {
      phones.Add({{"site", site}, {"status", std::string(status)}}, static_cast<double>(n));
    }
    lines.Add({{"site", site}}, static_cast<double>(agg->lines));
    reachable.Add({{"site", site}}, static_cast<double>(agg->reachable));
    registered.Add({{"site", site}}, static_cast<double>(agg->registered));
  }
  phones.MoveTo(out);
  lines.MoveTo(out);
  reachable.MoveTo(out);
  registered.MoveTo(out);

  // Counters outlive the phones that fed them, so they iterate their own sites.
  auto checks = Counter("genesys_phone_registration_checks_total",
                        "Observations of a phone's registration state, polled or pushed.");
  auto failures = Counter("genesys_phone_registration_failures_total",
                          "Observations in which the phone was not registered.");
  auto transitions = Counter("genesys_phone_line_transitions_total",
                             "Real changes of a line's reachability, counted once however they were observed.");
  for (const auto& [site, c] : t.registration_by_site) {
    checks.Add({{"site", site}}, static_cast<double>(c.checks));
    failures.Add({{"site", site}}, static_cast<double>(c.failures));
    transitions.Add({{"site", site}, {"to", "reachable"}}, static_cast<double>(c.to_reachable));
    transitions.Add({{"site", site}, {"to", "unreachable"}}, static_cast<double>(c.to_unreachable));
  }
  checks.MoveTo(out);
  failures.MoveTo(out);
  transitions.MoveTo(out);

}

}  // namespace gx
