// Test harness for the notification listener against an in-process genesys_sim:
// the real API stack (OAuth + REST), a TelephonyState loaded over REST with the
// real parsers (standing in for the pollers), and the listener, whose resync
// callback re-reads the inventory the same way. Used by one test at a time.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>


#include "exporter/outputs/metrics/collectors.h"
#include "exporter/genesys/api/api_factory.h"
#include "exporter/sources/notifications/notification_listener.h"
#include "exporter/genesys/parse/api_parsers.h"
#include "simulator/sim_core.h"
#include "simulator/simulator.h"
#include "tests/exporter/util/wait_for.h"

namespace gx::testing {

inline sim::Scenario SmallScenario(int phones = 20) {
  sim::Scenario s;
  s.name = "notifications";
  s.site_count = 2;
  s.phones = phones;
  s.users = 3;
  s.external_trunks = 2;
  s.tls_endpoints = false;
  s.walk.enabled = false;
  s.heartbeat_s = 0.3;
  s.rate_limit_per_minute = 100000;
  return s;
}

inline NotificationsConfig FastNotifications() {
  NotificationsConfig n;
  n.heartbeat_timeout = Seconds(1.0);
  n.ping_timeout = Seconds(1.0);
  n.reconnect_initial = Seconds(0.05);
  n.reconnect_max = Seconds(0.5);
  n.replan_interval = Seconds(0.2);
  n.min_rollover_interval = Seconds(1);  // the reconnect tests roll a 3 s channel over
  n.connect_timeout = Seconds(5);
  n.max_frame_bytes = 64 * 1024;
  return n;
}


class NotificationsHarness {
 public:
  explicit NotificationsHarness(sim::Scenario scenario) : sim_(std::move(scenario)) {
    if (Status started = sim_.Start(0); !started) throw std::runtime_error("simulator: " + started.error());
    Config c;
    c.genesys.client_id = sim_.scenario().client_id;
    c.genesys.client_secret = sim_.scenario().client_secret;
    c.genesys.api_url = sim_.base_url();
    c.genesys.login_url = sim_.base_url();
    c.rate_limit.requests_per_minute = 100000;
    config_ = c;
    auto api = MakeApiStack(config_, health_, SystemClock::Instance());
    if (!api) throw std::runtime_error("api stack: " + api.error());
    api_ = std::move(api).value();
  }

  ~NotificationsHarness() {
    if (listener_) listener_->Stop();
    if (api_) api_->Stop();
    sim_.Stop();
  }

  sim::Simulator& sim() { return sim_; }
  TelephonyState& state() { return state_; }
  HealthState& health() { return health_; }
  ApiStack& api() { return *api_; }
  NotificationListener& listener() { return *listener_; }

  // Reads the whole inventory over REST, as the pollers would.
  void LoadInventory(bool phones = true) {
    const UnixNanos now = SystemClock::Instance().Now();
    if (phones) {
      std::vector<Phone> all;
      for (int page = 1;; ++page) {
        auto r = api_->api().Get("/api/v2/telephony/providers/edges/phones?pageSize=500&pageNumber=" +
                                     std::to_string(page) + "&expand=status,lines",
                                 "/api/v2/telephony/providers/edges/phones");
        ASSERT_TRUE(r.ok()) << r.status << " " << r.error;
        Page<Phone> p;
        ASSERT_TRUE(ParsePhonesPage(r.body, p).ok());
        for (auto& ph : p.entities) all.push_back(std::move(ph));
        if (p.info.last() || p.entities.empty()) break;
      }
      state_.ReplacePhones(std::move(all), now);
    }
    {
      std::vector<Trunk> all;
      for (int page = 1;; ++page) {
        auto r = api_->api().Get("/api/v2/telephony/providers/edges/trunks?pageSize=500&pageNumber=" +
                                     std::to_string(page),
                                 "/api/v2/telephony/providers/edges/trunks");
        ASSERT_TRUE(r.ok()) << r.status << " " << r.error;
        Page<Trunk> p;
        ASSERT_TRUE(ParseTrunksPage(r.body, p).ok());
        for (auto& t : p.entities) all.push_back(std::move(t));
        if (p.info.last() || p.entities.empty()) break;
      }
      state_.ReplaceTrunks(std::move(all), now);
    }
    {
      auto r = api_->api().Get("/api/v2/telephony/providers/edges?pageSize=500&pageNumber=1",
                               "/api/v2/telephony/providers/edges");
      ASSERT_TRUE(r.ok()) << r.status << " " << r.error;
      Page<Edge> p;
      ASSERT_TRUE(ParseEdgesPage(r.body, p).ok());
      state_.ReplaceEdges(std::move(p.entities), now);
    }
    ++inventory_loads_;
  }

  // `clock` is the listener's alone: the simulator and the token source keep real time.
  void StartListener(NotificationsConfig config = FastNotifications(), const Clock& clock = SystemClock::Instance()) {
    notifications_ = config;
    listener_ = std::make_unique<NotificationListener>(
        notifications_, api_->api(), api_->token_source(), state_, health_, clock,
        [this](const StreamReport& report) {
          {
            std::lock_guard lock(mu_);
            reports_.push_back(report);
            if (report.resync.empty()) return;
            resyncs_.push_back(report.resync);
          }
          LoadInventory();
        });
    const Status started = listener_->Start();
    ASSERT_TRUE(started.ok()) << started.error();
  }

  NotificationHealth Notifications() const {
    return health_.Read([](const HealthData& h) { return h.notifications; });
  }
  std::uint64_t Reconnects(const std::string& reason) const {
    auto n = Notifications();
    auto it = n.reconnects_by_reason.find(reason);
    return it == n.reconnects_by_reason.end() ? 0 : it->second;
  }
  std::uint64_t Events(const std::string& kind) const {
    auto n = Notifications();
    auto it = n.events_by_kind.find(kind);
    return it == n.events_by_kind.end() ? 0 : it->second;
  }
  std::size_t ResyncCount() {
    std::lock_guard lock(mu_);
    return resyncs_.size();
  }
  std::vector<std::vector<std::string>> Resyncs() {
    std::lock_guard lock(mu_);
    return resyncs_;
  }
  std::vector<StreamReport> Reports() {
    std::lock_guard lock(mu_);
    return reports_;
  }
  bool Connected() const { return Notifications().connected; }
  bool WaitConnected(std::chrono::seconds timeout = std::chrono::seconds(20)) {
    return WaitFor([&] { return Connected(); }, timeout);
  }

  // The /metrics text the collectors build from the current state and health.
  std::string Metrics() {
    CollectorOptions options;
    options.per_phone = true;
    return state_.Read([&](const TelephonyData& t) {
      return health_.Read([&](const HealthData& h) { return WriteAllCollectors(CollectInput{t, h, options}); });
    });
  }

  std::optional<bool> LineReachable(const std::string& phone_id, size_t line = 0) {
    return state_.Read([&](const TelephonyData& d) -> std::optional<bool> {
      auto it = d.phones.find(phone_id);
      if (it == d.phones.end() || !it->second.phone.status || it->second.phone.status->lines.size() <= line) {
        return std::nullopt;
      }
      return it->second.phone.status->lines[line].reachable;
    });
  }

  int inventory_loads() const { return inventory_loads_; }

 private:
  sim::Simulator sim_;
  Config config_;
  NotificationsConfig notifications_;
  HealthState health_;
  TelephonyState state_;
  std::unique_ptr<ApiStack> api_;
  std::unique_ptr<NotificationListener> listener_;
  std::mutex mu_;
  std::vector<std::vector<std::string>> resyncs_;
  std::vector<StreamReport> reports_;
  std::atomic<int> inventory_loads_{0};
};

}  // namespace gx::testing
