// genesys_phone_registered: one series per phone with `per_phone`, else per phone of a
// followed user. Written straight as text: at 50,000 phones this is most of /metrics.
//
// The cache keeps, per phone in id order (the phones table's own order), its series prefix
// `genesys_phone_registered{phone_id="…",phone_name="…",site="…"} ` escaped once, so a
// re-render after a status change is one pass of memcpy and one byte per phone. The rows
// hold no pointers into a snapshot: they are read in step with the phones they were built
// from. An unchanged phones table (its version) needs no check; a changed one keeps the
// rows while every phone still has the same labels.
#include <algorithm>
#include <unordered_set>

#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/text_exposition.h"
#include "exporter/state/registration.h"

namespace gx {
namespace {

constexpr std::string_view kName = "genesys_phone_registered";
constexpr std::string_view kHelp =
    "1 when every line of the phone is reachable (registered) on its primary edge. Cached state, refreshed by "
    "polling (phones collector, default every 60s) or pushed.";

struct Row {
  std::uint32_t begin;   // the series prefix in PhoneSeriesCache::prefixes
  std::uint32_t length;
  std::uint32_t labels;  // the raw labels (id, name, site) in PhoneSeriesCache::labels
};

// Belongs to one state's renderer: a table version identifies a phones table of that state only.
struct PhoneSeriesCache {
  bool per_phone = false;
  std::uint64_t phones_version = 0;  // the phones table the rows were last found valid for
  std::vector<Row> rows;             // by phone id
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
  cache.rows.clear();
  cache.prefixes.clear();
  cache.labels.clear();
  cache.rows.reserve(selected.size());
  for (const PhoneEntry* e : selected) {
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
    cache.rows.push_back({begin, static_cast<std::uint32_t>(cache.prefixes.size()) - begin, labels});
  }
}

// The phones that get a series, in id order.
std::vector<const PhoneEntry*> Selected(const CollectInput& in) {
  const TelephonyData& t = in.telephony;
  std::vector<const PhoneEntry*> selected;
  if (in.options.per_phone) {
    selected.reserve(t.phones.size());
    for (const auto& [id, entry] : t.phones) selected.push_back(&entry);  // the table iterates in id order
    return selected;
  }
  // Followed users' phones: few, so sorting them here is cheap.
  std::unordered_set<const PhoneEntry*> seen;
  for (const auto& [user_id, p] : t.PhonesOfUsers()) {
    if (seen.insert(p).second) selected.push_back(p);
  }
  std::sort(selected.begin(), selected.end(),
            [](const PhoneEntry* a, const PhoneEntry* b) { return a->phone.id < b->phone.id; });
  return selected;
}

// Whether the rows still describe `selected`, row by row: the same phones with the same labels.
// Only per_phone rows are kept (the followed users' few are rebuilt every time).
bool StillValid(const PhoneSeriesCache& cache, const CollectInput& in, const std::vector<const PhoneEntry*>& selected) {
  if (cache.per_phone != in.options.per_phone || !in.options.per_phone) return false;
  if (cache.rows.size() != selected.size()) return false;
  if (cache.phones_version == in.telephony.phones.version()) return true;  // the same table: the same phones
  for (std::size_t i = 0; i < selected.size(); ++i) {
    if (!SameLabels(cache.labels, cache.rows[i].labels, selected[i]->phone)) return false;
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
  }
  cache.phones_version = in.telephony.phones.version();
  // A phone without a status has an unknown registration: no series.
  std::size_t with_status = 0;
  for (const PhoneEntry* e : selected) with_status += e->phone.status.has_value() ? 1 : 0;
  if (with_status == 0) return;
  out.reserve(out.size() + kName.size() * 2 + kHelp.size() + 32 + cache.prefixes.size() + 2 * cache.rows.size());
  AppendFamilyHeader(out, kName, kHelp, "gauge");
  for (std::size_t i = 0; i < selected.size(); ++i) {
    const Phone& p = selected[i]->phone;
    const Row& row = cache.rows[i];
    if (!p.status) continue;
    out.append(cache.prefixes, row.begin, row.length);
    out.push_back(PhoneRegistered(p) ? '1' : '0');
    out.push_back('\n');
  }
}

}  // namespace gx
