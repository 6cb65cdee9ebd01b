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
    : api_(api), state_(state), clock_(clock), page_size_(page_size) {}

const std::string& PhonesPoller::name() const {
  static const std::string kName = "phones";
  return kName;
}

FetchResult<Phone> PhonesPoller::GetPhones() {
  return FetchAllPages<Phone>(api_, kPhonesEndpoint, kPhonesQuery, kPhonesEndpoint, page_size_, ParsePhonesPage,
                              on_page_);
}

CycleResult PhonesPoller::RunCycle(const CycleRequest& request) {
  UnixNanos observed_at = clock_.Now();
  std::uint64_t spent = 0;
  if (!request.resync && request.pushed_live && layout_.known() && layout_.page_size() == page_size_.current()) {
    if (auto r = StatusPass(observed_at, spent)) {
      UpdateEstimate(true);
      return *r;
    }
    observed_at = clock_.Now();
  }
  CycleResult r = FullListing(observed_at);
  r.requests += spent;
  UpdateEstimate(request.pushed_live);
  return r;
}

CycleResult PhonesPoller::FullListing(UnixNanos observed_at) {
  auto fetched = GetPhones();
  CycleResult r;
  r.requests = fetched.requests;
  if (!fetched.ok) {
    r.error = std::move(fetched.error);
    return r;
  }
  layout_.Record(fetched.entities, page_size_.current());
  state_.ReplacePhones(std::move(fetched.entities), observed_at);
  fetched = {};
  ReleaseFreeHeap();  // the listing's burst is freed: give it back
  r.ok = true;
  return r;
}

std::vector<std::int64_t> PhonesPoller::PagesToRead() const {
  return state_.Read([&](const TelephonyData& d) {
    return layout_.PagesToRead([&](const std::string& id) {
      auto it = d.phones.find(id);
      return it != d.phones.end() && it->second.pushed;
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
    if (!res.ok()) {
      r.error = kPhonesEndpoint + " page " + std::to_string(number) + ": " + res.error;
      return r;
    }
    Page<Phone> page;
    if (Status st = ParsePhonesPage(res.body, page); !st.ok()) {
      r.error = kPhonesEndpoint + " page " + std::to_string(number) + ": " + st.error();
      return r;
    }
    if (on_page_) on_page_(static_cast<std::int64_t>(i) + 1, static_cast<std::int64_t>(pages.size()));
    if (!layout_.Unchanged(number, page.entities, page.info.total.value_or(-1))) {
      spent += r.requests;
      return std::nullopt;  // phones were added or removed: the pages moved
    }
    for (auto& p : page.entities) read.push_back(std::move(p));
  }
  const bool same = state_.Read([&](const TelephonyData& d) {
    for (const auto& p : read) {
      auto it = d.phones.find(p.id);
      if (it == d.phones.end() || !SameInventory(it->second.phone, p)) return false;
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
  r.ok = true;
  return r;
}

void PhonesPoller::UpdateEstimate(bool pushed_live) {
  if (!pushed_live || !layout_.known()) {
    estimate_.store(PagesFor(layout_.total(), page_size_.current()));
    return;
  }
  const auto pages = PagesToRead();
  estimate_.store(static_cast<std::int64_t>(pages.size()));
}

std::int64_t PhonesPoller::EstimatedRequests() const { return estimate_.load(); }

}  // namespace gx
