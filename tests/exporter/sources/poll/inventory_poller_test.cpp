// The inventory pollers' one cycle: each listing page is merged into the state as it arrives,
// and only a complete listing removes what it did not name and counts the inventory loaded.
// Shown with the phones and trunks kinds over a fake API that pages an org held in memory.
#include "exporter/sources/poll/inventory_poller.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "exporter/sources/poll/phones_poller.h"
#include "exporter/sources/poll/trunks_poller.h"

namespace gx {
namespace {

constexpr UnixNanos kT0 = 1'700'000'000 * kNanosPerSecond;

std::int64_t QueryNumber(const std::string& path, const std::string& key) {
  const auto at = path.find(key + "=");
  return at == std::string::npos ? 0 : std::stoll(path.substr(at + key.size() + 1));
}

// Pages `listings[endpoint]` (entity JSON objects, in listing order) as Genesys does; `before`
// runs ahead of every answer (it may change the org, or fail the request by setting `fail`).
class FakeApi final : public ApiClient {
 public:
  ApiResponse Get(const std::string& path, const std::string& endpoint) override {
    ++requests;
    const std::int64_t size = QueryNumber(path, "pageSize");
    const std::int64_t number = QueryNumber(path, "pageNumber");
    fail = false;
    if (before) before(endpoint, number);
    ApiResponse r;
    if (fail) {
      r.status = 500;
      r.error = "HTTP 500";
      return r;
    }
    const auto& all = listings[endpoint];
    const auto total = static_cast<std::int64_t>(all.size());
    std::string entities;
    for (std::int64_t i = (number - 1) * size; i < std::min(total, number * size); ++i) {
      if (!entities.empty()) entities += ',';
      entities += all[static_cast<std::size_t>(i)];
    }
    r.status = 200;
    r.body = R"({"entities":[)" + entities + R"(],"pageNumber":)" + std::to_string(number) +
             R"(,"pageSize":)" + std::to_string(size) + R"(,"total":)" + std::to_string(total) +
             R"(,"pageCount":)" + std::to_string(std::max<std::int64_t>(1, (total + size - 1) / size)) + "}";
    return r;
  }
  ApiResponse Send(const std::string&, const std::string& path, const std::string&, const std::string& e) override {
    return Get(path, e);
  }

  std::map<std::string, std::vector<std::string>> listings;
  std::function<void(const std::string& endpoint, std::int64_t page)> before;
  bool fail = false;
  int requests = 0;
};

std::string PhoneJson(const std::string& id, const std::string& name = "") {
  return R"({"id":")" + id + R"(","name":")" + (name.empty() ? id : name) +
         R"(","site":{"id":"s1","name":"HQ"},"lines":[{"id":"l-)" + id +
         R"("}],"status":{"operationalStatus":"OPERATIONAL","lines":[{"id":"l-)" + id + R"(","reachable":true}]}})";
}

class InventoryPollerTest : public ::testing::Test {
 protected:
  void SetOrg(int n) {
    auto& phones = api_.listings[kPhonesEndpoint];
    phones.clear();
    for (int i = 1; i <= n; ++i) phones.push_back(PhoneJson("p" + std::to_string(i)));
  }
  CycleResult Run() {
    clock_.Advance(kNanosPerSecond);
    return phones_.RunCycle(CycleRequest{});
  }
  std::size_t Phones() const { return state_.Snapshot()->phones.size(); }
  bool Has(const std::string& id) const { return state_.Snapshot()->phones.contains(id); }

  FakeApi api_;
  TelephonyState state_;
  ManualClock clock_{kT0};
  PhonesPoller phones_{api_, state_, clock_, 2};  // pages of 2 phones
};

// What keeps a listing's memory to one page: the state has page k before page k+1 is asked for.
TEST_F(InventoryPollerTest, EachPageIsInTheStateBeforeTheNextIsRequested) {
  SetOrg(5);
  std::vector<std::size_t> held_at_request;
  api_.before = [&](const std::string&, std::int64_t) { held_at_request.push_back(Phones()); };
  const CycleResult r = Run();
  ASSERT_TRUE(r.ok()) << r.status.error();
  EXPECT_EQ(r.requests, 3u);
  EXPECT_EQ(held_at_request, (std::vector<std::size_t>{0, 2, 4}));
  EXPECT_EQ(Phones(), 5u);
  EXPECT_TRUE(state_.Snapshot()->phones_loaded);
  EXPECT_EQ(phones_.EstimatedRequests(), 3);
}

TEST_F(InventoryPollerTest, AListingThatFailsMidwayRemovesNothing) {
  SetOrg(6);
  ASSERT_TRUE(Run().ok());
  auto& org = api_.listings[kPhonesEndpoint];
  org.erase(org.begin());                   // p1 is deleted
  org.push_back(PhoneJson("p7"));           // p7 is added
  org[0] = PhoneJson("p2", "Renamed");      // p2 renamed (on page 1 now)
  api_.before = [&](const std::string&, std::int64_t page) { api_.fail = page == 2; };
  const CycleResult r = Run();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status.error(), kPhonesEndpoint + " page 2: HTTP 500");
  EXPECT_EQ(r.requests, 2u);
  EXPECT_TRUE(Has("p1")) << "a failed listing deletes nothing";
  EXPECT_EQ(state_.Snapshot()->phones.at("p2").phone.name, "Renamed") << "page 1 was merged";
  EXPECT_FALSE(Has("p7"));
  api_.before = nullptr;
  ASSERT_TRUE(Run().ok());
  EXPECT_FALSE(Has("p1"));
  EXPECT_TRUE(Has("p7"));
  EXPECT_EQ(Phones(), 6u);
}

TEST_F(InventoryPollerTest, AFirstListingThatFailsLeavesTheInventoryNotLoaded) {
  SetOrg(6);
  api_.before = [&](const std::string&, std::int64_t page) { api_.fail = page == 3; };
  ASSERT_FALSE(Run().ok());
  EXPECT_FALSE(state_.Snapshot()->phones_loaded);
  EXPECT_EQ(Phones(), 4u);  // what arrived is real, but not the whole inventory
  api_.before = nullptr;
  ASSERT_TRUE(Run().ok());
  EXPECT_TRUE(state_.Snapshot()->phones_loaded);
}

// A phone added ahead while the listing pages shifts the pages by one: the last phone of page
// 1 shows up again on page 2. It is kept once, with the later copy, and checked once.
TEST_F(InventoryPollerTest, APhoneShownOnTwoPagesIsKeptOnceWithTheLaterCopy) {
  SetOrg(4);
  api_.before = [&](const std::string&, std::int64_t page) {
    if (page != 2) return;
    auto& org = api_.listings[kPhonesEndpoint];
    org[1] = PhoneJson("p2", "Later");
    org.insert(org.begin(), PhoneJson("p0"));
  };
  ASSERT_TRUE(Run().ok());
  const TelephonySnapshot s = state_.Snapshot();
  EXPECT_EQ(s->phones.at("p2").phone.name, "Later");
  EXPECT_EQ(s->phones.size(), 4u) << "p0 came after its page was read";
  EXPECT_EQ(s->registration_checks, 4u);
}

// Trunks: the bases are read after the trunk pages, and the trunks are swept only when the
// bases arrived too.
TEST(TrunksInventory, FailingBasesLeaveTheTrunksUnswept) {
  FakeApi api;
  TelephonyState state;
  ManualClock clock{kT0};
  TrunksPoller trunks{api, state, clock, 25};
  auto trunk = [](const std::string& id) {
    return R"({"id":")" + id + R"(","name":")" + id + R"(","trunkType":"EXTERNAL","trunkBase":{"id":"b1"}})";
  };
  api.listings[kTrunksEndpoint] = {trunk("t1"), trunk("t2")};
  api.listings[kTrunkBasesEndpoint] = {R"({"id":"b1","name":"b1"})"};
  ASSERT_TRUE(trunks.RunCycle(CycleRequest{}).ok());
  ASSERT_EQ(state.Snapshot()->trunks.size(), 2u);
  ASSERT_EQ(state.Snapshot()->trunk_bases.size(), 1u);

  api.listings[kTrunksEndpoint] = {trunk("t2")};
  api.before = [&](const std::string& endpoint, std::int64_t) { api.fail = endpoint == kTrunkBasesEndpoint; };
  const CycleResult r = trunks.RunCycle(CycleRequest{});  // a resync: the bases are read
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status.error(), kTrunkBasesEndpoint + " page 1: HTTP 500");
  EXPECT_EQ(r.requests, 2u);
  EXPECT_EQ(state.Snapshot()->trunks.size(), 2u) << "t1 stays until a complete cycle";

  api.before = nullptr;
  CycleRequest between;
  between.resync = false;
  ASSERT_TRUE(trunks.RunCycle(between).ok());
  EXPECT_EQ(state.Snapshot()->trunks.size(), 1u);
  EXPECT_EQ(api.requests, 5) << "no base named is new, and they were read: not again between resyncs";
}

}  // namespace
}  // namespace gx
