#include "simulator/sim_time.h"

#include "exporter/util/iso_time.h"

namespace gx::sim {

std::string FormatIso(UnixNanos t, int fraction_digits) { return FormatIsoTime(t, fraction_digits); }

int FractionDigitsFor(unsigned long long seed) {
  static constexpr int kChoices[] = {0, 3, 3, 6, 9};
  return kChoices[(seed * 0x9E3779B97F4A7C15ull >> 59) % 5];
}

}  // namespace gx::sim
