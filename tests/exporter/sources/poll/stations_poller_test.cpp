// The stations poller: a resync reads every followed user's association and their stations;
// while the push stream covers the associations, a run between resyncs reads only the
// stations they name, and HasUnread() says when one is named that no cycle asked for.
#include "exporter/sources/poll/stations_poller.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace gx {
namespace {

constexpr UnixNanos kT0 = 1'700'000'000 * kNanosPerSecond;

// Answers from `stations` (id -> type) and `users` (user -> station id); records every path.
class FakeApi final : public ApiClient {
 public:
  ApiResponse Get(const std::string& path, const std::string&) override {
    paths.push_back(path);
    ApiResponse r;
    r.status = 200;
    if (path.rfind("/api/v2/users/", 0) == 0) {
      const std::string user = path.substr(14, path.find("/station") - 14);
      const std::string& id = users[user];
      r.body = id.empty() ? "{}" : R"({"associatedStation":{"id":")" + id + R"(","name":")" + id + R"(","type":")" +
                                       stations[id] + R"("}})";
      return r;
    }
    std::string entities;
    for (const auto& [id, type] : stations) {
      if (path.find(id) == std::string::npos) continue;  // ?id=<ids>
      if (!entities.empty()) entities += ',';
      entities += R"({"id":")" + id + R"(","name":")" + id + R"(","type":")" + type + R"(","lineAppearanceId":"l-)" +
                  id + R"("})";
    }
    r.body = R"({"entities":[)" + entities + R"(],"pageNumber":1,"pageSize":25,"total":1,"pageCount":1})";
    return r;
  }
  ApiResponse Send(const std::string&, const std::string& path, const std::string&, const std::string& e) override {
    return Get(path, e);
  }
  std::size_t Count(const std::string& prefix) const {
    std::size_t n = 0;
    for (const auto& p : paths) n += p.rfind(prefix, 0) == 0;
    return n;
  }

  std::map<std::string, std::string> stations;
  std::map<std::string, std::string> users;
  std::vector<std::string> paths;
};

class StationsPollerTest : public ::testing::Test {
 protected:
  StationsPollerTest() {
    api_.stations = {{"st1", "inin_remote"}, {"st2", "inin_remote"}, {"st3", "inin_webrtc_softphone"}};
    api_.users = {{"u1", "st1"}, {"u2", "st2"}};
    state_.SetFollowedUsers({"u1", "u2"});
  }
  CycleResult Run(bool resync, bool covered) {
    CycleRequest r;
    r.resync = resync;
    r.pushed_live = covered;
    r.covered = covered;
    clock_.Advance(kNanosPerSecond);
    return poller_.RunCycle(r);
  }
  UserStation User(const std::string& id) {
    return state_.Read([&](const TelephonyData& d) { return d.users.at(id).station; });
  }

  FakeApi api_;
  TelephonyState state_;
  ManualClock clock_{kT0};
  StationsPoller poller_{api_, state_, clock_, 25, {"u1", "u2"}};
};

TEST_F(StationsPollerTest, APushedAssociationToAStationNotReadIsReadAloneBetweenResyncs) {
  ASSERT_TRUE(Run(true, true).ok());  // a resync: every association, then their stations
  EXPECT_EQ(api_.Count("/api/v2/users/"), 2u);
  EXPECT_EQ(api_.Count("/api/v2/stations"), 1u);
  EXPECT_FALSE(poller_.HasUnread());

  // u1 moves to st3, by push: the topic carries no type.
  ASSERT_TRUE(state_.ApplyUserStation({"u1", "st3", "st3", ""}, clock_.Now()));
  EXPECT_TRUE(poller_.HasUnread());
  api_.paths.clear();
  const CycleResult r = Run(false, true);
  ASSERT_TRUE(r.ok()) << r.status.error();
  EXPECT_EQ(r.requests, 1u);
  EXPECT_EQ(api_.Count("/api/v2/users/"), 0u) << "the associations came by push";
  ASSERT_EQ(api_.paths.size(), 1u);
  EXPECT_NE(api_.paths[0].find("st2"), std::string::npos);
  EXPECT_NE(api_.paths[0].find("st3"), std::string::npos);
  EXPECT_FALSE(poller_.HasUnread());
  EXPECT_EQ(User("u1").station_type, "inin_webrtc_softphone");
  EXPECT_TRUE(state_.Read([](const TelephonyData& d) { return d.stations.Find("st3") != nullptr; }));
}

TEST_F(StationsPollerTest, AStationTheApiDoesNotKnowIsAskedForOnceOnly) {
  ASSERT_TRUE(Run(true, true).ok());
  ASSERT_TRUE(state_.ApplyUserStation({"u1", "st-gone", "gone", ""}, clock_.Now()));
  EXPECT_TRUE(poller_.HasUnread());
  ASSERT_TRUE(Run(false, true).ok());
  EXPECT_FALSE(poller_.HasUnread()) << "asked for, not found: no run again until the resync";
}

TEST_F(StationsPollerTest, NotCoveredEveryCycleReadsTheAssociations) {
  ASSERT_TRUE(Run(true, false).ok());
  ASSERT_TRUE(Run(false, false).ok());
  EXPECT_EQ(api_.Count("/api/v2/users/"), 4u);
  // Covered but a resync (the hourly one, or after a gap): the associations are re-read too.
  ASSERT_TRUE(Run(true, true).ok());
  EXPECT_EQ(api_.Count("/api/v2/users/"), 6u);
}

}  // namespace
}  // namespace gx
