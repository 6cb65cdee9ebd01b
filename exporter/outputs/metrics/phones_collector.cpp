// Phones and lines per site, and registration counters (per-phone series: phone_series_collector.cpp).
#include <array>
#include <map>
#include <string_view>

#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/family_builder.h"
#include "exporter/state/chunk_memo.h"
#include "exporter/state/registration.h"

namespace gx {
namespace {

// Always present for every site, in this order; other API values follow sorted.
constexpr std::array<std::string_view, 4> kStandardStatuses = {"OPERATIONAL", "DEGRADED", "OFFLINE", "UNKNOWN"};

struct SiteAggregate {
  std::int64_t phones = 0;
  std::array<std::int64_t, kStandardStatuses.size()> standard{};
  std::map<std::string, std::int64_t, std::less<>> other;
  std::int64_t lines = 0;
  std::int64_t reachable = 0;
  std::int64_t registered = 0;

  // Adds `sign` (1 or -1) times `a`; statuses that reach zero are dropped.
  void Add(const SiteAggregate& a, std::int64_t sign) {
    phones += sign * a.phones;
    for (size_t i = 0; i < standard.size(); ++i) standard[i] += sign * a.standard[i];
    for (const auto& [status, n] : a.other) {
      auto it = other.try_emplace(status, 0).first;
      if ((it->second += sign * n) == 0) other.erase(it);
    }
    lines += sign * a.lines;
    reachable += sign * a.reachable;
    registered += sign * a.registered;
  }
};

void AddStatus(SiteAggregate& agg, std::string_view status) {
  for (size_t i = 0; i < kStandardStatuses.size(); ++i) {
    if (kStandardStatuses[i] == status) {
      ++agg.standard[i];
      return;
    }
  }
  ++agg.other[std::string(status)];
}

using SiteAggregates = std::map<std::string, SiteAggregate, std::less<>>;

// One chunk of phones, by site.
SiteAggregates Summarize(ChunkMemo<PhoneEntry, SiteAggregates>::Nodes nodes) {
  SiteAggregates sites;
  for (const auto& node : nodes) {
    const Phone& p = node->second.phone;
    const std::string& site = PhoneSiteLabel(p);
    auto it = sites.find(site);
    if (it == sites.end()) it = sites.emplace(site, SiteAggregate{}).first;
    SiteAggregate& agg = it->second;
    ++agg.phones;
    AddStatus(agg, PhoneOperationalStatus(p));
    agg.lines += PhoneLineCount(p);
    agg.reachable += PhoneReachableLineCount(p);
    agg.registered += PhoneRegistered(p) ? 1 : 0;
  }
  return sites;
}

// The per-site totals, kept up to date chunk by chunk: a pushed change of one phone
// summarizes its chunk again and moves the totals by the difference.
struct PhonesCache {
  ChunkMemo<PhoneEntry, SiteAggregates> memo;
  SiteAggregates totals;
};

void Move(SiteAggregates& totals, const SiteAggregates& chunk, std::int64_t sign) {
  for (const auto& [site, agg] : chunk) {
    auto it = totals.try_emplace(site).first;
    it->second.Add(agg, sign);
    if (it->second.phones == 0) totals.erase(it);
  }
}

constexpr const char* kCached = " Cached state, refreshed by polling (phones collector, default every 60s) or pushed.";

}  // namespace

void CollectPhones(const CollectInput& in, std::shared_ptr<void>& cache_ptr, MetricFamilies& out) {
  const TelephonyData& t = in.telephony;
  if (!cache_ptr) cache_ptr = std::make_shared<PhonesCache>();
  auto& cache = *static_cast<PhonesCache*>(cache_ptr.get());
  cache.memo.Update(
      t.phones, Summarize, [&](const SiteAggregates& a) { Move(cache.totals, a, 1); },
      [&](const SiteAggregates& a) { Move(cache.totals, a, -1); });

  auto phones = Gauge("genesys_phones", std::string("Phones per site by status.operationalStatus (UNKNOWN when the "
                                                    "API sent none).") + kCached);
  auto lines = Gauge("genesys_phone_lines", std::string("Phone lines known per site.") + kCached);
  auto reachable = Gauge("genesys_phone_lines_reachable",
                         std::string("Phone lines whose primary lineStatuses[].reachable is true, per site.") + kCached);
  auto registered = Gauge("genesys_phones_registered",
                          std::string("Phones per site whose lines are all reachable.") + kCached);
  for (const auto& [site, agg] : cache.totals) {  // ordered by site
    for (size_t i = 0; i < kStandardStatuses.size(); ++i) {
      phones.Add({{"site", site}, {"status", std::string(kStandardStatuses[i])}},
                 static_cast<double>(agg.standard[i]));
    }
    for (const auto& [status, n] : agg.other) {
      phones.Add({{"site", site}, {"status", status}}, static_cast<double>(n));
    }
    lines.Add({{"site", site}}, static_cast<double>(agg.lines));
    reachable.Add({{"site", site}}, static_cast<double>(agg.reachable));
    registered.Add({{"site", site}}, static_cast<double>(agg.registered));
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
