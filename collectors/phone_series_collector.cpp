// genesys_phone_registered: one series per phone with `per_phone`, else per phone of a
// followed user. Written straight as text: at 50,000 phones this is most of /metrics.
//
// The cache keeps, per phone in id order, its series prefix
// `genesys_phone_registered{phone_id="…",phone_name="…",site="…"} ` escaped once, so a
// re-render after a status change is one pass of memcpy and one byte per phone.
// The state has no phones-table version yet (TelephonyData::version counts every change),
// so the index is checked against the table instead: the same entries in the same hash
// order, with the same labels. Once the state keeps its phones in id order with a table
// version (the snapshots work), the sorted index and the check can go.
#include <algorithm>
#include <unordered_set>

#include "collectors/collectors.h"
#include "collectors/text_exposition.h"
#include "exporter/state/registration.h"

namespace gx {
namespace {

constexpr std::string_view kName = "genesys_phone_registered";
constexpr std::string_view kHelp =
    "1 when every line of the phone is reachable (registered) on its primary edge. Cached state, refreshed by "
    "polling (phones collector, default every 60s) or pushed.";

struct Row {
  const PhoneEntry* entry;
  std::uint32_t begin;   // the series prefix in PhoneSeriesCache::prefixes
  std::uint32_t length;
  std::uint32_t labels;  // the raw labels (id, name, site) in PhoneSeriesCache::labels
};

struct PhoneSeriesCache {
  bool per_phone = false;
  std::vector<const PhoneEntry*> hash_order;  // t.phones' iteration order the rows were built from
  std::vector<Row> rows;                      // by phone id
  std::string prefixes;
  std::string labels;  // per row: id '\0' name '\0' site '\0'
};

void AppendRawLabels(std::string& out, const Phone& p) {
  out += p.id;
  out.push_back('\0');
  out += p.name;
  out.push_back('\0');
  out += PhoneSiteLabel(p);
  out.push_back('\0');
}

// True when the row's stored labels are still the phone's: compares without building a string.
bool SameLabels(const std::string& labels, std::uint32_t at, const Phone& p) {
  std::string_view rest(labels.data() + at, labels.size() - at);
  for (const std::string* field : {&p.id, &p.name, &PhoneSiteLabel(p)}) {
    if (rest.size() <= field->size() || rest.compare(0, field->size(), *field) != 0 || rest[field->size()] != '\0') {
      return false;
    }
    rest.remove_prefix(field->size() + 1);
  }
  return true;
}

void Build(PhoneSeriesCache& cache, const std::vector<const PhoneEntry*>& selected) {
  std::vector<const PhoneEntry*> sorted = selected;
  std::sort(sorted.begin(), sorted.end(),
            [](const PhoneEntry* a, const PhoneEntry* b) { return a->phone.id < b->phone.id; });
  cache.rows.clear();
  cache.prefixes.clear();
  cache.labels.clear();
  cache.rows.reserve(sorted.size());
  for (const PhoneEntry* e : sorted) {
    const Phone& p = e->phone;
    const auto begin = static_cast<std::uint32_t>(cache.prefixes.size());
    const auto labels = static_cast<std::uint32_t>(cache.labels.size());
    cache.prefixes += kName;
    cache.prefixes += "{phone_id=\"";
    AppendLabelValue(cache.prefixes, p.id);
    cache.prefixes += "\",phone_name=\"";
    AppendLabelValue(cache.prefixes, p.name);
    cache.prefixes += "\",site=\"";
    AppendLabelValue(cache.prefixes, PhoneSiteLabel(p));
    cache.prefixes += "\"} ";
    AppendRawLabels(cache.labels, p);
    cache.rows.push_back({e, begin, static_cast<std::uint32_t>(cache.prefixes.size()) - begin, labels});
  }
}

// The phones that get a series, in the table's iteration order.
std::vector<const PhoneEntry*> Selected(const CollectInput& in) {
  const TelephonyData& t = in.telephony;
  std::vector<const PhoneEntry*> selected;
  if (in.options.per_phone) {
    selected.reserve(t.phones.size());
    for (const auto& [id, entry] : t.phones) selected.push_back(&entry);
  } else {
    std::unordered_set<const PhoneEntry*> seen;
    for (const auto& [user_id, p] : t.PhonesOfUsers()) {
      if (seen.insert(p).second) selected.push_back(p);
    }
  }
  return selected;
}

// Whether the rows still describe `selected`: the same entries (the table's own nodes, in
// the same order) with the same labels. Only entries of the current table are dereferenced.
bool StillValid(const PhoneSeriesCache& cache, const CollectInput& in, const std::vector<const PhoneEntry*>& selected) {
  if (cache.per_phone != in.options.per_phone || !in.options.per_phone) return false;
  if (selected != cache.hash_order) return false;
  for (const Row& row : cache.rows) {
    if (!SameLabels(cache.labels, row.labels, row.entry->phone)) return false;
  }
  return true;
}

}  // namespace

void WritePhoneSeries(const CollectInput& in, std::shared_ptr<void>& cache_ptr, std::string& out) {
  if (!cache_ptr) cache_ptr = std::make_shared<PhoneSeriesCache>();
  auto& cache = *static_cast<PhoneSeriesCache*>(cache_ptr.get());
  std::vector<const PhoneEntry*> selected = Selected(in);
  if (!StillValid(cache, in, selected)) {
    Build(cache, selected);
    cache.per_phone = in.options.per_phone;
    cache.hash_order = std::move(selected);
  }
  // A phone without a status has an unknown registration: no series.
  std::size_t with_status = 0;
  for (const Row& row : cache.rows) with_status += row.entry->phone.status.has_value() ? 1 : 0;
  if (with_status == 0) return;
  out.reserve(out.size() + kName.size() * 2 + kHelp.size() + 32 + cache.prefixes.size() + 2 * cache.rows.size());
  AppendFamilyHeader(out, kName, kHelp, "gauge");
  for (const Row& row : cache.rows) {
    const Phone& p = row.entry->phone;
    if (!p.status) continue;
    out.append(cache.prefixes, row.begin, row.length);
    out.push_back(PhoneRegistered(p) ? '1' : '0');
    out.push_back('\n');
  }
}

}  // namespace gx
