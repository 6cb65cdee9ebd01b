// genesys_phone_registered: one series per phone with `per_phone`, else per phone of a
// followed user. Written straight as text: at 50,000 phones this is most of /metrics.
//
// With `per_phone` the text is kept per chunk of the phones table (ChunkMemo), in the table's
// id order, with the labels escaped once: after a pushed change only the changed chunk (about
// sqrt(n) phones) is written again, and every other chunk's text is shared with the response
// as it is, not copied.
#include <algorithm>
#include <unordered_set>

#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/text_exposition.h"
#include "exporter/state/chunk_memo.h"
#include "exporter/state/registration.h"

namespace gx {
namespace {

constexpr std::string_view kName = "genesys_phone_registered";
constexpr std::string_view kHelp =
    "1 when every line of the phone is reachable (registered) on its primary edge. Cached state, refreshed by "
    "polling (phones collector, default every 60s) or pushed.";

// A phone without a status has an unknown registration: no series.
bool HasSeries(const PhoneEntry& e) { return e.phone.status.has_value(); }

void AppendSeries(std::string& out, const Phone& p) {
  out += kName;
  out += "{phone_id=\"";
  AppendLabelValue(out, p.id);
  out += "\",phone_name=\"";
  AppendLabelValue(out, p.name);
  out += "\",site=\"";
  AppendLabelValue(out, PhoneSiteLabel(p));
  out += "\"} ";
  out.push_back(PhoneRegistered(p) ? '1' : '0');
  out.push_back('\n');
}

struct ChunkText {
  std::shared_ptr<const std::string> text;  // null when no phone of the chunk has a series
};

ChunkText WriteChunk(ChunkMemo<PhoneEntry, ChunkText>::Nodes nodes) {
  auto text = std::make_shared<std::string>();
  for (const auto& node : nodes) {
    if (HasSeries(node->second)) AppendSeries(*text, node->second.phone);
  }
  if (text->empty()) return {};
  text->shrink_to_fit();
  return {std::move(text)};
}

// Belongs to one renderer slot.
struct PhoneSeriesCache {
  ChunkMemo<PhoneEntry, ChunkText> memo;
};

// Followed users' phones: few, so they are written afresh, in id order.
void WriteFollowed(const TelephonyData& t, TextPieces& out) {
  std::vector<const PhoneEntry*> selected;
  std::unordered_set<const PhoneEntry*> seen;
  for (const auto& [user_id, p] : t.PhonesOfUsers()) {
    if (HasSeries(*p) && seen.insert(p).second) selected.push_back(p);
  }
  if (selected.empty()) return;
  std::sort(selected.begin(), selected.end(),
            [](const PhoneEntry* a, const PhoneEntry* b) { return a->phone.id < b->phone.id; });
  std::string& text = out.Text();
  AppendFamilyHeader(text, kName, kHelp, "gauge");
  for (const PhoneEntry* e : selected) AppendSeries(text, e->phone);
}

}  // namespace

void WritePhoneSeries(const CollectInput& in, std::shared_ptr<void>& cache_ptr, TextPieces& out) {
  if (!in.options.per_phone) {
    WriteFollowed(in.telephony, out);
    return;
  }
  if (!cache_ptr) cache_ptr = std::make_shared<PhoneSeriesCache>();
  auto& cache = *static_cast<PhoneSeriesCache*>(cache_ptr.get());
  cache.memo.Update(in.telephony.phones, WriteChunk);
  const auto& chunks = cache.memo.entries();
  if (std::none_of(chunks.begin(), chunks.end(), [](const auto& c) { return c.summary.text != nullptr; })) return;
  AppendFamilyHeader(out.Text(), kName, kHelp, "gauge");
  for (const auto& c : chunks) out.Share(c.summary.text);
}

}  // namespace gx
