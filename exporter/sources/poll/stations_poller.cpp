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
  ParseStatus st = ParseUserStation(res.body, user_id, out);
  if (!st.ok()) {
    error = kUserStationEndpoint + " (" + user_id + "): " + st.error;
    return false;
  }
  return true;
}

CycleResult StationsPoller::RunCycle(const CycleRequest&) {
  UnixNanos observed_at = clock_.Now();
  CycleResult r;
  std::vector<UserStation> users;
  users.reserve(users_.size());
  std::vector<std::string> station_ids;
  for (const auto& id : users_) {
    UserStation us;
    ++r.requests;
    if (!GetUserStation(id, us, r.error)) return r;
    if (!us.station_id.empty()) station_ids.push_back(us.station_id);
    users.push_back(std::move(us));
  }
  std::sort(station_ids.begin(), station_ids.end());
  station_ids.erase(std::unique(station_ids.begin(), station_ids.end()), station_ids.end());
  auto fetched = GetStations(station_ids);
  r.requests += fetched.requests;
  if (!fetched.ok) {
    r.error = std::move(fetched.error);
    return r;
  }
  last_count_.store(static_cast<std::int64_t>(station_ids.size()));
  state_.ReplaceStations(std::move(fetched.entities), observed_at);
  for (const auto& us : users) state_.ApplyUserStation(us, observed_at);
  r.ok = true;
  return r;
}

std::int64_t StationsPoller::EstimatedRequests() const {
  return BatchesFor(last_count_.load()) + static_cast<std::int64_t>(users_.size());
}

}  // namespace gx
