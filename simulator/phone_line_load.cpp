#include "simulator/phone_line_load.h"

#include <chrono>
#include <cmath>

#include "exporter/util/thread_name.h"
#include "simulator/sim_core.h"

namespace gx::sim {

PhoneLineLoad::PhoneLineLoad(SimCore& core) : core_(core) {}

PhoneLineLoad::~PhoneLineLoad() { Stop(); }

Status PhoneLineLoad::Start(const PhoneLineLoadSpec& spec) {
  std::lock_guard control(control_mu_);
  if (!(spec.rate > 0 && spec.rate <= kMaxRate)) return Status::Error("rate must be above 0 and at most 100000");
  if (!(spec.seconds > 0 && spec.seconds <= kMaxSeconds))
    return Status::Error("seconds must be above 0 and at most 3600");
  std::vector<std::string> phones;
  std::vector<bool> reachable;
  int available = 0;
  core_.Read([&](const Org& org) {
    for (int i : org.phones_by_id) {
      const PhoneModel& p = org.phones[i];
      if (p.lines.empty()) continue;
      if (available++ >= spec.phones) continue;
      phones.push_back(p.id);
      reachable.push_back(p.lines[0].reachable);
    }
  });
  if (spec.phones < 1 || spec.phones > available)
    return Status::Error("phones must be at least 1 and at most the org's " + std::to_string(available) +
                         " phones with a line");
  std::lock_guard lock(mu_);
  if (status_.running) return Status::Error("a load is running");
  if (thread_.joinable()) thread_.join();  // the last one, finished
  stop_ = false;
  status_ = PhoneLineLoadStatus{};
  status_.running = true;
  thread_ = std::thread(&PhoneLineLoad::Run, this, spec, std::move(phones), std::move(reachable));
  return Status::Ok();
}

void PhoneLineLoad::Stop() {
  std::lock_guard control(control_mu_);
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

PhoneLineLoadStatus PhoneLineLoad::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

void PhoneLineLoad::Run(PhoneLineLoadSpec spec, std::vector<std::string> phones, std::vector<bool> reachable) {
  NameThisThread("sim/line-load");
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  const auto total = static_cast<std::uint64_t>(std::llround(spec.rate * spec.seconds));
  for (std::uint64_t k = 0; k < total; ++k) {
    const Clock::time_point due =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(k / spec.rate));
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_until(lock, due, [this] { return stop_; })) break;
    }
    const std::size_t i = k % phones.size();
    reachable[i] = !reachable[i];
    const bool applied = core_.SetLineReachable(phones[i], 0, reachable[i]).ok();
    const auto late = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - due).count();
    std::lock_guard lock(mu_);
    ++(applied ? status_.sent : status_.failed);
    if (late > status_.late_max_us) status_.late_max_us = late;
    if (late > 1000) ++status_.late_over_1ms;
  }
  std::lock_guard lock(mu_);
  status_.running = false;
}

}  // namespace gx::sim
