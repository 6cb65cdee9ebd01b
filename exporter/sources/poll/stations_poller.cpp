#include "exporter/sources/poll/stations_poller.h"

#include <algorithm>

#include "exporter/sources/poll/metrics_pollers.h"
#include "exporter/sources/poll/request_cost.h"

namespace gx {

StationsPoller::StationsPoller(ApiClient& api, TelephonyState& state, const Clock& clock, int page_size,
                               std::vector<std::string> followed_users)
    : InventoryPoller({"stations", kStationsEndpoint, "", ParseStationsPage, &TelephonyWriter::UpsertStations,
                       &TelephonyWriter::SweepStations},
                      api, state, clock, page_size),
      users_(std::move(followed_users)) {}

Result<UserStation> StationsPoller::GetUserStation(const std::string& user_id) {
  ApiResponse res = api_.Get("/api/v2/users/" + UrlEncode(user_id) + "/station", kUserStationEndpoint);
  UserStation out;
  out.user_id = user_id;
  if (res.status == 404) return out;
  const std::string where = kUserStationEndpoint + " (" + user_id + "): ";
  if (!res.ok()) return Result<UserStation>::Error(where + res.error);
  if (Status st = ParseUserStation(res.body, user_id, out); !st.ok()) return st.Prefixed(where);
  return out;
}

std::optional<CycleResult> StationsPoller::Prepare(const CycleRequest& request, UnixNanos& observed_at,
                                                   CycleResult& cycle) {
  observed_at_ = observed_at;
  read_.clear();
  station_ids_.clear();
  if (request.covered && request.pushed_live && !request.resync) {
    // The associations come by push: read only the stations they name.
    const TelephonySnapshot snapshot = state_.Snapshot();
    for (const auto& [id, user] : snapshot->users) {
      if (user.known && !user.station.station_id.empty()) station_ids_.push_back(user.station.station_id);
    }
  } else {
    read_.reserve(users_.size());
    for (const auto& id : users_) {
      ++cycle.requests;
      Result<UserStation> us = GetUserStation(id);
      if (!us.ok()) {
        cycle.status = us.status();
        return cycle;
      }
      if (!us->station_id.empty()) station_ids_.push_back(us->station_id);
      read_.push_back(std::move(us).value());
    }
  }
  std::sort(station_ids_.begin(), station_ids_.end());
  station_ids_.erase(std::unique(station_ids_.begin(), station_ids_.end()), station_ids_.end());
  return std::nullopt;
}

std::vector<std::string> StationsPoller::Queries(const CycleRequest&) {
  std::vector<std::string> queries;
  for (const auto& batch : IdBatches(station_ids_, kMaxMetricIds)) queries.push_back("id=" + batch);
  return queries;
}

void StationsPoller::Finished(const CycleRequest&, const CycleResult& cycle, const ListingMarks&) {
  if (!cycle.ok()) return;
  last_count_.store(static_cast<std::int64_t>(station_ids_.size()));
  {
    std::lock_guard lock(mu_);
    asked_ = {station_ids_.begin(), station_ids_.end()};
  }
  // After the stations: an association takes its station's type from the state.
  for (const auto& us : read_) state_.ApplyUserStation(us, observed_at_);
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
