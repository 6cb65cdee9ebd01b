// Polls, for each followed user, that user's station (GET /api/v2/users/{userId}/station),
// then those stations only (GET /api/v2/stations?id=<ids>, at most 100 ids a request, all
// batches one listing of the InventoryPoller cycle): the state needs a station just to find
// a followed user's phone, so the org's whole station list (one page per 500 stations) is
// never read. Stations are swept, and users updated, only when every request of the cycle
// succeeded. While the push stream covers the followed users' associations
// (v2.users.{id}.station), a run that is not a resync reads only the stations those
// associations name (lineAppearanceId and webRtcUserId, which find the user's phone, have no
// topic); HasUnread() says when one is named that no cycle has asked for. One cycle at a time.
#pragma once

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "exporter/sources/poll/inventory_poller.h"

namespace gx {

inline const std::string kStationsEndpoint = "/api/v2/stations";
inline const std::string kUserStationEndpoint = "/api/v2/users/{userId}/station";

class StationsPoller final : public InventoryPoller<Station> {
 public:
  StationsPoller(ApiClient& api, TelephonyState& state, const Clock& clock, int page_size,
                 std::vector<std::string> followed_users);
  std::int64_t EstimatedRequests() const override;
  bool HasUnread() const override;

 private:
  // A user unknown to Genesys (404) has no station; other failures are errors.
  Result<UserStation> GetUserStation(const std::string& user_id);
  // The associations: read (a request per user), or from the state while pushed.
  std::optional<CycleResult> Prepare(const CycleRequest& request, UnixNanos& observed_at, CycleResult& cycle) override;
  std::vector<std::string> Queries(const CycleRequest& request) override;
  void Finished(const CycleRequest& request, const CycleResult& cycle, const ListingMarks& marks) override;

  std::vector<std::string> users_;
  std::vector<UserStation> read_;           // cycle thread only: this cycle's associations, when read
  std::vector<std::string> station_ids_;    // cycle thread only: the stations this cycle lists, sorted
  UnixNanos observed_at_ = 0;               // cycle thread only
  std::atomic<std::int64_t> last_count_{0};
  mutable std::mutex mu_;
  std::set<std::string> asked_;  // guarded by mu_: the station ids the last cycle read (found or not)
};

}  // namespace gx
