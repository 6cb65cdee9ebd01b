// A steady stream of phone line changes for the benches: line 0 of the first `phones` phones in
// id order flips, one phone after the other, `rate` times a second for `seconds`, each change at
// its own due time (absolute: a late one does not push the rest back). The simulator publishes
// each as a notification, as it does any change. A thread in the simulator instead of an HTTP
// request per change keeps the load generator's own CPU and loopback traffic off the machine
// that measures the exporter. One load at a time; thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "exporter/util/result.h"

namespace gx::sim {

class SimCore;

struct PhoneLineLoadSpec {
  double rate = 1000;  // changes per second, at most kMaxRate
  double seconds = 30;  // at most kMaxSeconds
  int phones = 1000;  // at least 1, at most the org's phones
};

struct PhoneLineLoadStatus {
  bool running = false;
  std::uint64_t sent = 0;  // applied and published
  std::uint64_t failed = 0;  // the phone went away meanwhile
  std::int64_t late_max_us = 0;  // the latest a change was applied after its due time
  std::uint64_t late_over_1ms = 0;  // changes applied more than 1 ms after their due time
};

class PhoneLineLoad {
 public:
  static constexpr double kMaxRate = 100000;
  static constexpr double kMaxSeconds = 3600;

  explicit PhoneLineLoad(SimCore& core);
  ~PhoneLineLoad();
  PhoneLineLoad(const PhoneLineLoad&) = delete;
  PhoneLineLoad& operator=(const PhoneLineLoad&) = delete;

  // Fails when a load runs or the spec is out of bounds; the status restarts from zero.
  Status Start(const PhoneLineLoadSpec& spec);
  // Ends a running load early and waits for its thread.
  void Stop();
  PhoneLineLoadStatus status() const;

 private:
  void Run(PhoneLineLoadSpec spec, std::vector<std::string> phones, std::vector<bool> reachable);

  SimCore& core_;
  std::mutex control_mu_;  // one Start or Stop at a time: they replace and join thread_
  mutable std::mutex mu_;  // the status and stop_, also for the thread
  std::condition_variable cv_;
  bool stop_ = false;
  PhoneLineLoadStatus status_;
  std::thread thread_;
};

}  // namespace gx::sim
