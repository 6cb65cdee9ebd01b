// Test helper: runs a body that might hang (a Stop that never returns) on a thread of its own
// and waits for it with a deadline, so that a hang fails the test instead of hanging it.
// On timeout the thread is left blocked for good: the body must own (or share) what it uses.
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <thread>

namespace gx::testing {

inline bool FinishesWithin(std::function<void()> body, std::chrono::milliseconds timeout) {
  auto done = std::make_shared<std::promise<void>>();
  std::future<void> finished = done->get_future();
  std::thread thread([body = std::move(body), done] {
    body();
    done->set_value();
  });
  if (finished.wait_for(timeout) != std::future_status::ready) {
    thread.detach();
    return false;
  }
  // Joined, not detached, once it has finished: the thread's exit handlers (OpenSSL frees
  // its per-thread random generators there) have then run, so LeakSanitizer at exit does
  // not report what a still-exiting thread held.
  thread.join();
  return true;
}

}  // namespace gx::testing
