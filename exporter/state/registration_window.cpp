#include "exporter/state/registration_window.h"

namespace gx {
namespace {

std::int64_t MinuteOf(UnixNanos t) { return t / (60 * kNanosPerSecond); }

}  // namespace

void RegistrationWindow::Record(UnixNanos at, bool failed) {
  const std::int64_t minute = MinuteOf(at);
  const Slot check{minute, 1, failed ? 1u : 0u};
  if (minute < current_.minute) {
    AddToHour(check);
    return;
  }
  if (minute > current_.minute) {
    if (current_.checks > 0) AddToHour(current_);
    current_ = Slot{minute, 0, 0};
  }
  current_.checks += check.checks;
  current_.failures += check.failures;
}

void RegistrationWindow::AddToHour(const Slot& add) {
  const int slot = static_cast<int>(((add.minute % kMinutes) + kMinutes) % kMinutes);
  std::shared_ptr<Hour>& hour = hours_[slot / 60];
  if (hour && hour->slots[slot % 60].minute > add.minute) return;  // older than the window
  if (!hour) {
    hour = std::make_shared<Hour>();
  } else if (hour.use_count() > 1) {
    hour = std::make_shared<Hour>(*hour);  // a snapshot shares it: copy this hour only
  }
  Slot& s = hour->slots[slot % 60];
  if (s.minute != add.minute) s = Slot{add.minute, 0, 0};
  s.checks += add.checks;
  s.failures += add.failures;
}

WindowTotals RegistrationWindow::Since(UnixNanos now, int minutes) const {
  WindowTotals totals;
  const std::int64_t last = MinuteOf(now);
  const auto add = [&](const Slot& s) {
    if (s.minute > last - minutes && s.minute <= last) {
      totals.checks += s.checks;
      totals.failures += s.failures;
    }
  };
  for (const auto& hour : hours_) {
    if (!hour) continue;
    for (const Slot& s : hour->slots) add(s);
  }
  add(current_);
  return totals;
}

}  // namespace gx
