#include "exporter/sources/poll/phones_poller.h"

#include "exporter/sources/poll/request_cost.h"
#include "exporter/util/heap_release.h"

namespace gx {
namespace {

// sortBy=id: any other sort caps the listing at 10,000 results.
constexpr const char* kPhonesQuery = "sortBy=id&expand=status,lines";

// The phone's inventory facts (what a status-only update would not carry) are as held.
bool SameInventory(const Phone& held, const Phone& read) {
  return held.name == read.name && held.site.id == read.site.id && held.line_ids == read.line_ids &&
         held.web_rtc_user_id == read.web_rtc_user_id && held.state == read.state;
}

}  // namespace

PhonesPoller::PhonesPoller(ApiClient& api, TelephonyState& state, const Clock& clock, int page_size)
    : InventoryPoller({"phones", kPhonesEndpoint, kPhonesQuery, ParsePhonesPage, &TelephonyWriter::UpsertPhones,
                       &TelephonyWriter::SweepPhones},
                      api, state, clock, page_size) {}

std::optional<CycleResult> PhonesPoller::Prepare(const CycleRequest& request, UnixNanos& observed_at,
                                                 CycleResult& cycle) {
  page_ids_.clear();
  if (!request.resync && request.pushed_live && layout_.known() && layout_.page_size() == page_size_.current()) {
    if (auto r = StatusPass(observed_at, cycle.requests)) {
      UpdateEstimate(true);
      return r;
    }
    observed_at = clock_.Now();  // the listing starts now
  }
  return std::nullopt;
}

void PhonesPoller::Saw(const std::vector<Phone>& page) {
  std::vector<std::string> ids;
  ids.reserve(page.size());
  for (const auto& p : page) ids.push_back(p.id);
  page_ids_.push_back(std::move(ids));
}

void PhonesPoller::Finished(const CycleRequest& request, const CycleResult& cycle, const ListingMarks& marks) {
  if (cycle.ok()) {
    layout_.Record(std::move(page_ids_), page_size_.current(), static_cast<std::int64_t>(marks.size()));
    ReleaseFreeHeap();  // the listing's pages are freed: give them back
  }
  page_ids_ = {};
  UpdateEstimate(request.pushed_live);
}

std::vector<std::int64_t> PhonesPoller::PagesToRead() const {
  return state_.Read([&](const TelephonyData& d) {
    return layout_.PagesToRead([&](const std::string& id) {
      const PhoneEntry* e = d.phones.Find(id);
      return e && e->pushed;
    });
  });
}

std::optional<CycleResult> PhonesPoller::StatusPass(UnixNanos observed_at, std::uint64_t& spent) {
  const auto pages = PagesToRead();
  CycleResult r;
  std::vector<Phone> read;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const std::int64_t number = pages[i];
    ApiResponse res = api_.Get(PagedPath(kPhonesEndpoint, layout_.page_size(), number, kPhonesQuery), kPhonesEndpoint);
    ++r.requests;
    Result<Page<Phone>> page = PageOf<Phone>(res, kPhonesEndpoint, number, ParsePhonesPage);
    if (!page.ok()) {
      r.status = page.status();
      return r;
    }
    if (on_page_) on_page_(static_cast<std::int64_t>(i) + 1, static_cast<std::int64_t>(pages.size()));
    if (!layout_.Unchanged(number, page->entities, page->info.total.value_or(-1))) {
      spent += r.requests;
      return std::nullopt;  // phones were added or removed: the pages moved
    }
    for (auto& p : page->entities) read.push_back(std::move(p));
  }
  const bool same = state_.Read([&](const TelephonyData& d) {
    for (const auto& p : read) {
      const PhoneEntry* held = d.phones.Find(p.id);
      if (!held || !SameInventory(held->phone, p)) return false;
    }
    return true;
  });
  if (!same) {
    spent += r.requests;
    return std::nullopt;  // a phone changed beyond its status: re-read the inventory
  }
  std::vector<PhoneStatusUpdate> updates;
  updates.reserve(read.size());
  for (auto& p : read) {
    PhoneStatusUpdate& update = updates.emplace_back();
    update.phone_id = p.id;
    update.status = std::move(p.status);
    update.secondary_status = std::move(p.secondary_status);
  }
  state_.ApplyPhoneStatuses(updates, observed_at);
  return r;
}

void PhonesPoller::UpdateEstimate(bool pushed_live) {
  if (!pushed_live || !layout_.known()) {
    estimate_.store(PagesFor(layout_.total(), page_size_.current()));
    return;
  }
  estimate_.store(static_cast<std::int64_t>(PagesToRead().size()));
}

std::int64_t PhonesPoller::EstimatedRequests() const { return estimate_.load(); }

}  // namespace gx
