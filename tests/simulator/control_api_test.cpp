// The /sim/v1 control API over HTTP (truth, mutations, faults, request log, TLS, streaming
// settings) and the scripted timeline played at a high time scale.
#include "tests/simulator/sim_test_util.h"

namespace gx::sim {
namespace {

using testing::Json;
using testing::SimClient;
using testing::WaitFor;

class ControlApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_ = std::make_unique<Simulator>(testing::SmallScenario());
    ASSERT_TRUE(sim_->Start());
    client_ = std::make_unique<SimClient>(*sim_);
    client_->Login();
  }
  Json Control(const std::string& method, const std::string& path, const std::string& body = "", int want = 200) {
    auto& c = client_->raw();
    auto r = method == "GET" ? c.Get(path) : method == "DELETE" ? c.Delete(path) : c.Post(path, body, "application/json");
    Json j;
    EXPECT_TRUE(r) << path;
    if (!r) return j;
    EXPECT_EQ(r->status, want) << path << " " << r->body;
    EXPECT_TRUE(j.Parse(r->body)) << r->body;
    return j;
  }
  std::unique_ptr<Simulator> sim_;
  std::unique_ptr<SimClient> client_;
};

TEST_F(ControlApiTest, TruthCountsPhonesLinesTrunksEdges) {
  Json t = Control("GET", "/sim/v1/truth");
  EXPECT_EQ(t.root["phones"].get_int64().value(), 65);
  EXPECT_EQ(t.root["edgesOnline"].get_int64().value(), 3);
  EXPECT_EQ(t.root["sites"].get_array().size(), 2u);
  auto hq = t.root["sites"].at(0);
  EXPECT_EQ(std::string(hq["name"].get_string().value()), "HQ");
  EXPECT_EQ(hq["phones"].get_int64().value(), 40);
  EXPECT_EQ(hq["phonesByStatus"]["OPERATIONAL"].get_int64().value(), 40);
  EXPECT_EQ(hq["lines"].get_int64().value(), hq["linesReachable"].get_int64().value());
  EXPECT_GT(t.root["trunks"].get_array().size(), 8u);
  EXPECT_EQ(t.root["users"].get_array().size(), 4u);
}

TEST_F(ControlApiTest, MutationsChangeTruthAndRest) {
  auto phone = sim_->PhoneIds()[0];
  Control("POST", "/sim/v1/mutations", R"({"action":"phone_line","target":")" + phone + R"(","line":0,"reachable":false})");
  Control("POST", "/sim/v1/mutations", R"({"action":"phone_status","target":"1","status":"OFFLINE"})");
  Control("POST", "/sim/v1/mutations", R"({"action":"trunk_connected","target":"0","connected":false})");
  Control("POST", "/sim/v1/mutations", R"({"action":"edge_online","target":"1","online":false})");
  Control("POST", "/sim/v1/mutations", R"({"action":"phone_line","target":"nope","reachable":false})", 404);
  Control("POST", "/sim/v1/mutations", R"({"action":"explode"})", 400);
  Control("POST", "/sim/v1/mutations", R"({"action":"edge_online","target":"99999999999999999999999"})", 404);
  Control("POST", "/sim/v1/mutations", "not json", 400);
  Json t = Control("GET", "/sim/v1/truth");
  auto hq = t.root["sites"].at(0);
  EXPECT_EQ(hq["phonesByStatus"]["OFFLINE"].get_int64().value(), 1);
  EXPECT_EQ(hq["phonesByStatus"]["OPERATIONAL"].get_int64().value(), 39);
  // Phone 0 lost one line, phone 1 (offline) all of its lines.
  EXPECT_LT(hq["linesReachable"].get_int64().value(), hq["lines"].get_int64().value() - 1);
  EXPECT_EQ(hq["phonesRegistered"].get_int64().value(), 38);
  EXPECT_FALSE(t.root["trunks"].at(0)["connected"].get_bool().value());
  EXPECT_EQ(t.root["edgesOnline"].get_int64().value(), 2);
  auto r = client_->Get("/api/v2/telephony/providers/edges/phones/" + phone);
  Json p;
  ASSERT_TRUE(p.Parse(r->body));
  EXPECT_FALSE(p.root["status"]["lineStatuses"].at(0)["reachable"].get_bool().value());
}

TEST_F(ControlApiTest, FaultsOverHttp) {
  Json f = Control("POST", "/sim/v1/faults", R"({"kind":"server_error","status":502,"count":1})", 201);
  EXPECT_GT(f.root["id"].get_int64().value(), 0);
  Json list = Control("GET", "/sim/v1/faults");
  EXPECT_EQ(list.root["faults"].get_array().size(), 1u);
  EXPECT_EQ(client_->Get("/api/v2/telephony/providers/edges")->status, 502);
  EXPECT_EQ(client_->Get("/api/v2/telephony/providers/edges")->status, 200);
  Control("POST", "/sim/v1/faults", R"({"kind":"nonsense"})", 400);
  Control("POST", "/sim/v1/faults", R"({"kind":"rate_limit"})", 201);
  EXPECT_EQ(client_->Get("/api/v2/stations")->status, 429);
  Control("POST", "/sim/v1/faults", R"({"kind":"rate_limit_exhausted","count":1,"retry_after_s":1000000000})", 201);
  EXPECT_EQ(client_->Get("/api/v2/stations")->get_header_value("inin-ratelimit-reset"), "1000000000");
  Control("DELETE", "/sim/v1/faults");
  EXPECT_EQ(client_->Get("/api/v2/stations")->status, 200);
  Json rv = Control("POST", "/sim/v1/tokens/revoke");
  EXPECT_EQ(rv.root["count"].get_int64().value(), 1);
  EXPECT_EQ(client_->Get("/api/v2/stations")->status, 401);
}

TEST_F(ControlApiTest, OutOfRangeFaultNumbersAreRefused) {
  // Regression: these were cast from double to int unchecked (undefined behaviour).
  for (const char* body : {R"({"kind":"rate_limit","retry_after_s":1e20})", R"({"kind":"server_error","status":1e12})",
                           R"({"kind":"server_error","count":-5})", R"({"kind":"slow","delay_s":1e300})",
                           R"({"kind":"server_error","duration_s":-1})", R"({"kind":"server_error","count":"nan"})"}) {
    Control("POST", "/sim/v1/faults", body, 400);
    Control("POST", "/sim/v1/mutations", std::string(R"({"action":"fault",)") + (body + 1), 400);
  }
  EXPECT_EQ(Control("GET", "/sim/v1/faults").root["faults"].get_array().size(), 0u);
}

TEST_F(ControlApiTest, RequestLogAndTls) {
  client_->Get("/api/v2/telephony/providers/edges/trunks?pageSize=5");
  Json r = Control("GET", "/sim/v1/requests");
  EXPECT_EQ(r.root["counts"]["/api/v2/telephony/providers/edges/trunks"]["200"].get_int64().value(), 1);
  bool found = false;
  for (auto e : r.root["entries"].get_array()) {
    if (e["endpoint"].get_string().value() == "/api/v2/telephony/providers/edges/trunks") {
      found = true;
      EXPECT_EQ(e["status"].get_int64().value(), 200);
      EXPECT_FALSE(e["correlationId"].get_string().value().empty());
    }
  }
  EXPECT_TRUE(found);
  Control("DELETE", "/sim/v1/requests");
  Json empty = Control("GET", "/sim/v1/requests");
  EXPECT_EQ(empty.root["entries"].get_array().size(), 0u);
  Json tls = Control("GET", "/sim/v1/tls");
  EXPECT_EQ(std::string(tls.root["caBundle"].get_string().value()), sim_->ca_bundle_path());
  EXPECT_EQ(tls.root["endpoints"].get_array().size(), 6u);
}

TEST_F(ControlApiTest, EntitiesCanBeAddedAndDeleted) {
  auto phone = sim_->PhoneIds()[5];
  Control("POST", "/sim/v1/entities/delete", R"({"kind":"phone","id":")" + phone + "\"}");
  EXPECT_EQ(client_->Get("/api/v2/telephony/providers/edges/phones/" + phone)->status, 404);
  Json added = Control("POST", "/sim/v1/entities/phones", R"({"site":"Branch","name":"Lobby phone"})", 201);
  std::string id(added.root["id"].get_string().value());
  auto r = client_->Get("/api/v2/telephony/providers/edges/phones?pageSize=100&name=Lobby*");
  Json j;
  ASSERT_TRUE(j.Parse(r->body));
  EXPECT_EQ(j.root["total"].get_int64().value(), 1);
  EXPECT_EQ(j.root["entities"].at(0)["id"].get_string().value(), id);
  EXPECT_EQ(sim_->GetTruth().phones, 65);
}

TEST(TimelineTest, ScriptedEventsPlayAtTheTimeScale) {
  Scenario s = testing::SmallScenario();
  s.time_scale = 100;  // 10 scenario seconds = 0.1 s
  TimelineEvent down;
  down.at_s = 10;
  down.action = "edge_online";
  down.target = "0";
  down.args["online"] = "false";
  TimelineEvent up = down;
  up.at_s = 30;
  up.args["online"] = "true";
  TimelineEvent fault;
  fault.at_s = 5;
  fault.action = "fault";
  fault.fault.kind = "server_error";
  fault.fault.status = 500;
  fault.fault.count = 1;
  fault.fault.path = "/api/v2/telephony";
  s.timeline = {down, up, fault};
  Simulator sim(s);
  ASSERT_TRUE(sim.Start());
  ASSERT_TRUE(WaitFor([&] { return sim.GetTruth().edges_online == 2; }));
  ASSERT_TRUE(WaitFor([&] { return sim.GetTruth().edges_online == 3; }));
  SimClient c(sim);
  c.Login();
  EXPECT_EQ(c.Get("/api/v2/telephony/providers/edges")->status, 500);
}

TEST(RandomWalkTest, WalkChangesStateDeterministicallyOverTime) {
  Scenario s = testing::SmallScenario();
  s.walk.enabled = true;
  s.walk.interval_s = 0.01;
  s.walk.phone_line_flip = 1.0;
  Simulator sim(s);
  ASSERT_TRUE(sim.Start());
  ASSERT_TRUE(WaitFor([&] {
    auto t = sim.GetTruth();
    return t.sites[0].lines_reachable + t.sites[1].lines_reachable < t.sites[0].lines + t.sites[1].lines;
  }));
}

}  // namespace
}  // namespace gx::sim
