// Test helper: the one way a test waits for something another thread does. It polls the
// condition until it holds or the deadline passes (then checks once more), so a test never
// sleeps for a guessed time and never asserts a timing.
#pragma once

#include <chrono>
#include <thread>

namespace gx::testing {

template <typename Condition>
bool WaitFor(Condition&& condition, std::chrono::steady_clock::duration deadline = std::chrono::seconds(20)) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

}  // namespace gx::testing
