// Registration checks per minute for the dashboard's 1 h and 24 h windows. A snapshot copies the
// window with the rest of TelephonyData, so a check must not copy much: the minute being counted
// is held by value, and earlier minutes in hour chunks shared between snapshots (a chunk is
// copied once, when a minute ends, not per check).
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "exporter/util/clock.h"

namespace gx {

struct WindowTotals {
  std::uint64_t checks = 0;
  std::uint64_t failures = 0;
};

class RegistrationWindow {
 public:
  static constexpr int kMinutes = 24 * 60;
  // A check at `at`; one older than the minute being counted goes straight to its minute's slot
  // (a late event), one older than the window is dropped.
  void Record(UnixNanos at, bool failed);
  // The checks of the `minutes` minutes up to and including now's.
  WindowTotals Since(UnixNanos now, int minutes) const;

 private:
  struct Slot {
    std::int64_t minute = 0;  // minute index since the epoch this slot holds
    std::uint64_t checks = 0;
    std::uint64_t failures = 0;
  };
  struct Hour {
    std::array<Slot, 60> slots{};
  };
  void AddToHour(const Slot& add);

  Slot current_;  // the newest minute recorded; never also in an hour's slot
  std::array<std::shared_ptr<Hour>, kMinutes / 60> hours_{};  // null: nothing recorded
};

}  // namespace gx
