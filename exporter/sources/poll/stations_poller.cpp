#include "exporter/sources/poll/stations_poller.h"

#include <algorithm>

#include "exporter/sources/poll/metrics_pollers.h"
#include "exporter/sources/poll/request_cost.h"

namespace gx {

StationsPoller::StationsPoller(ApiClient& api, TelephonyState& state, const Clock& clock, int page_size,
                               std::vector<std::string> followed_users)
    : api_(api), state_(state), clock_(clock), page_size_(page_size), users_(std::move(followed_users)) {}

const std::string& StationsPoller::name() const {
  static const std::string kName = "stations";
  return kName;
}

FetchResult<Station> StationsPoller::GetStations(const std::vector<std::string>& ids) {
  FetchResult<Station> out;
  out.ok = true;
  for (const auto& batch : IdBatches(ids, kMaxMetricIds)) {
    auto page = FetchAllPages<Station>(api_, kStationsEndpoint, "id=" + batch, kStationsEndpoint, page_size_,
                                       ParseStationsPage, on_page_);
    out.requests += page.requests;
    if (!page.ok) {
      out.ok = false;
      out.error = std::move(page.error);
      return out;
    }
    for (auto& s : page.entities) out.entities.push_back(std::move(s));
  }
  return out;
}

bool StationsPoller::GetUserStation(const std::string& user_id, UserStation& out, std::string& error) {
  ApiResponse res = api_.Get("/api/v2/users/" + UrlEncode(user_id) + "/station", kUserStationEndpoint);
  if (res.status == 404) {
    out = UserStation{};
    out.user_id = user_id;
    return true;
  }
  if (!res.ok()) {
    error = kUserStationEndpoint + " (" + user_id + "): " + res.error;
    return false;
  }
  Status st = ParseUserStation(res.body, user_id, out);
  if (!st.ok()) {
    error = kUserStationEndpoint + " (" + user_id + "): " + st.error();
    return false;
  }
  return true;
}

namespace {

std::vector<std::string> Unique(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace

CycleResult StationsPoller::RunCycle(const CycleRequest& request) {
  UnixNanos observed_at = clock_.Now();
  CycleResult r;
  std::vector<UserStation> users;
  std::vector<std::string> station_ids;
  if (request.covered && request.pushed_live && !request.resync) {
    // The associations come by push: read only the stations they name.
    const TelephonySnapshot snapshot = state_.Snapshot();
    for (const auto& [id, user] : snapshot->users) {
      if (user.known && !user.station.station_id.empty()) station_ids.push_back(user.station.station_id);
    }
  } else {
    users.reserve(users_.size());
    for (const auto& id : users_) {
      UserStation us;
      ++r.requests;
      if (!GetUserStation(id, us, r.error)) return r;
      if (!us.station_id.empty()) station_ids.push_back(us.station_id);
      users.push_back(std::move(us));
    }
  }
  station_ids = Unique(std::move(station_ids));
  auto fetched = GetStations(station_ids);
  r.requests += fetched.requests;
  if (!fetched.ok) {
    r.error = std::move(fetched.error);
    return r;
  }
  last_count_.store(static_cast<std::int64_t>(station_ids.size()));
  {
    std::lock_guard lock(mu_);
    asked_ = {station_ids.begin(), station_ids.end()};
  }
  state_.ReplaceStations(std::move(fetched.entities), observed_at);
  for (const auto& us : users) state_.ApplyUserStation(us, observed_at);
  r.ok = true;
  return r;
}

std::int64_t StationsPoller::EstimatedRequests() const {
  return BatchesFor(last_count_.load()) + static_cast<std::int64_t>(users_.size());
}

bool StationsPoller::HasUnread() const {
  const TelephonySnapshot snapshot = state_.Snapshot();
  std::lock_guard lock(mu_);
  for (const auto& [id, user] : snapshot->users) {
    if (user.known && !user.station.station_id.empty() && !asked_.count(user.station.station_id)) return true;
  }
  return false;
}

}  // namespace gx
