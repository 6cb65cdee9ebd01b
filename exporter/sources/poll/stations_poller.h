// Polls, for each followed user, that user's station (GET /api/v2/users/{userId}/station),
// then those stations only (GET /api/v2/stations?id=<ids>, at most 100 ids a request): the
// state needs a station just to find a followed user's phone, so the org's whole station
// list (one page per 500 stations) is never read. Stations are replaced, and users updated,
// only when every request of the cycle succeeded. While the push stream covers the followed
// users' associations (v2.users.{id}.station), a run that is not a resync reads only the
// stations those associations name (lineAppearanceId and webRtcUserId, which find the
// user's phone, have no topic); HasUnread() says when one is named that no cycle has
// asked for. One cycle at a time.
#pragma once

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "exporter/genesys/api/api_client.h"
#include "exporter/sources/poll/page_fetcher.h"
#include "exporter/sources/poll/poller.h"
#include "exporter/state/telephony_state.h"

namespace gx {

inline const std::string kStationsEndpoint = "/api/v2/stations";
inline const std::string kUserStationEndpoint = "/api/v2/users/{userId}/station";

class StationsPoller final : public Poller {
 public:
  StationsPoller(ApiClient& api, TelephonyState& state, const Clock& clock, int page_size,
                 std::vector<std::string> followed_users);
  const std::string& name() const override;
  CycleResult RunCycle(const CycleRequest& request) override;
  std::int64_t EstimatedRequests() const override;
  bool HasUnread() const override;

  // The stations with these ids (every page of each batch of at most 100 ids).
  FetchResult<Station> GetStations(const std::vector<std::string>& ids);
  // A user unknown to Genesys (404) has no station; other failures are errors.
  bool GetUserStation(const std::string& user_id, UserStation& out, std::string& error);

 private:
  ApiClient& api_;
  TelephonyState& state_;
  const Clock& clock_;
  PageSize page_size_;
  std::vector<std::string> users_;
  std::atomic<std::int64_t> last_count_{0};
  mutable std::mutex mu_;
  std::set<std::string> asked_;  // guarded by mu_: the station ids the last cycle read (found or not)
};

}  // namespace gx
