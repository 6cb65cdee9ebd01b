// Phones and lines per site, registration counters, and opt-in per-phone series.
#include <algorithm>
#include <array>
#include <map>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "collectors/collectors.h"
#include "collectors/family_builder.h"
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

void CollectPerPhone(const CollectInput& in, MetricFamilies& out) {
  const TelephonyData& t = in.telephony;
  std::vector<const PhoneEntry*> selected;
  if (in.options.per_phone) {
    selected.reserve(t.phones.size());
    for (const auto& [id, entry] : t.phones) selected.push_back(&entry);
  } else {
    // The phones of followed users always get a series.
    std::unordered_set<const PhoneEntry*> seen;
    for (const auto& [user_id, p] : t.PhonesOfUsers()) {
      if (seen.insert(p).second) selected.push_back(p);
    }
  }
  // A phone without a status has an unknown registration: no series.
  std::erase_if(selected, [](const PhoneEntry* p) { return !p->phone.status.has_value(); });
  std::sort(selected.begin(), selected.end(),
            [](const PhoneEntry* a, const PhoneEntry* b) { return a->phone.id < b->phone.id; });

  prometheus::MetricFamily family;
  family.name = "genesys_phone_registered";
  family.help = std::string("1 when every line of the phone is reachable (registered) on its primary edge.") + kCached;
  family.type = prometheus::MetricType::Gauge;
  family.metric.resize(selected.size());
  for (size_t i = 0; i < selected.size(); ++i) {
    const Phone& p = selected[i]->phone;
    prometheus::ClientMetric& m = family.metric[i];
    m.label.resize(3);
    m.label[0].name = "phone_id";
    m.label[0].value = p.id;
    m.label[1].name = "phone_name";
    m.label[1].value = p.name;
    m.label[2].name = "site";
    m.label[2].value = PhoneSiteLabel(p);
    m.gauge.value = PhoneRegistered(p) ? 1 : 0;
  }
  if (!family.metric.empty()) out.push_back(std::move(family));
}

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

  CollectPerPhone(in, out);
}

}  // namespace gx
