// Helpers shared by the simulator tests: a small scenario, an authenticated httplib client,
// JSON parsing and polling with a deadline. Single-threaded use.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <simdjson.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "simulator/simulator.h"
#include "tests/exporter/util/wait_for.h"

namespace gx::sim::testing {

inline std::string Base64(const std::string& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int val = 0, bits = -6;
  for (unsigned char c : in) {
    val = (val << 8) + c;
    bits += 8;
    while (bits >= 0) {
      out.push_back(t[(val >> bits) & 0x3F]);
      bits -= 6;
    }
  }
  if (bits > -6) out.push_back(t[((val << 8) >> (bits + 8)) & 0x3F]);
  while (out.size() % 4) out.push_back('=');
  return out;
}

inline Scenario SmallScenario() {
  Scenario s;
  s.name = "test";
  s.seed = 1234;
  s.sites = {{"HQ", 2, 40}, {"Branch", 1, 25}};
  s.users = 4;
  s.external_trunks = 8;
  s.walk.enabled = false;
  s.heartbeat_s = 0.2;
  s.max_page_size = 100;
  return s;
}

using gx::testing::WaitFor;

struct Json {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  bool Parse(const std::string& text) {
    auto r = parser.parse(text);
    if (r.error()) return false;
    root = r.value();
    return true;
  }
};

class SimClient {
 public:
  explicit SimClient(const Simulator& sim) : cli_("127.0.0.1", sim.http_port()) {
    cli_.set_read_timeout(10, 0);
  }
  std::string Token(const std::string& id = "demo-client", const std::string& secret = "demo-secret") {
    httplib::Headers h = {{"Authorization", "Basic " + Base64(id + ":" + secret)}};
    auto r = cli_.Post("/oauth/token", h, "grant_type=client_credentials", "application/x-www-form-urlencoded");
    if (!r || r->status != 200) return "";
    simdjson::dom::parser p;
    auto doc = p.parse(r->body);
    std::string_view tok;
    if (doc["access_token"].get(tok)) return "";
    return std::string(tok);
  }
  void Login() { token_ = Token(); }
  httplib::Result Get(const std::string& path) { return cli_.Get(path, Auth()); }
  httplib::Result Post(const std::string& path, const std::string& body = "") {
    return cli_.Post(path, Auth(), body, "application/json");
  }
  httplib::Result Put(const std::string& path, const std::string& body) {
    return cli_.Put(path, Auth(), body, "application/json");
  }
  httplib::Result Head(const std::string& path) { return cli_.Head(path, Auth()); }
  httplib::Client& raw() { return cli_; }
  std::string token_;

 private:
  httplib::Headers Auth() { return {{"Authorization", "Bearer " + token_}}; }
  httplib::Client cli_;
};

}  // namespace gx::sim::testing
