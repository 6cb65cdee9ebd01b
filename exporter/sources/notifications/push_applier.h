// PushApplier: the one thread that applies pushed data events to TelephonyState.
// The WebSocket handlers only parse and Enqueue(); the applier drains the queue
// in batches, one TelephonyState::Write (one published snapshot) per batch, so
// neither a slow writer nor a reader can stall the sockets' reads and heartbeats.
// The queue is bounded: a frame that finds it full is refused and counted, and
// the poll sources its topic feeds are handed out by TakeResync() for the
// listener's gap resync. Records each frame's arrival-to-publication delay.
// Enqueue/TakeResync from any thread; Start/Stop from one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "exporter/genesys/parse/notification_parser.h"
#include "exporter/state/health_state.h"
#include "exporter/state/telephony_state.h"

namespace gx {

class PushApplier {
 public:
  static constexpr std::size_t kDefaultCapacity = 4096;  // frames; each at most max_frame_bytes parsed

  PushApplier(TelephonyState& state, HealthState& health, std::size_t capacity = kDefaultCapacity);
  ~PushApplier();
  PushApplier(const PushApplier&) = delete;
  PushApplier& operator=(const PushApplier&) = delete;

  void Start();
  // Applies what is queued, then returns.
  void Stop();

  // Queues one parsed data event observed at `observed_at`. False when the queue
  // is full: the frame is dropped, counted, and its sources await a resync.
  bool Enqueue(NotificationFrame frame, UnixNanos observed_at);

  // Applies everything queued now, as one batch, on the calling thread (the
  // applier thread's loop; tests call it without Start()). Returns the frames applied.
  std::size_t DrainOnce();

  // The poll sources whose pushed data was lost to an overflow since the last call.
  std::vector<std::string> TakeResync();

 private:
  struct Item {
    NotificationFrame frame;
    UnixNanos observed_at = 0;
    std::chrono::steady_clock::time_point arrived;
  };
  void Run();

  TelephonyState& state_;
  HealthState& health_;
  const std::size_t capacity_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Item> queue_;           // guarded by mu_
  std::set<std::string> resync_;      // guarded by mu_
  bool stop_ = false;                 // guarded by mu_
  std::mutex drain_mu_;               // one batch at a time
  // The batch being applied, guarded by drain_mu_. Swapped with queue_, so that the two
  // vectors keep their capacity and a frame's Enqueue does not allocate.
  std::vector<Item> batch_;
  std::thread thread_;
};

}  // namespace gx
