#include "simulator/sim_time.h"

#include <cstdio>

namespace gx::sim {
namespace {

// Inverse of Hinnant's days_from_civil.
void CivilFromDays(long long z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long yy = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}

}  // namespace

std::string FormatIso(UnixNanos t, int fraction_digits) {
  long long secs = t / kNanosPerSecond;
  long long nanos = t % kNanosPerSecond;
  if (nanos < 0) {
    nanos += kNanosPerSecond;
    --secs;
  }
  long long days = secs / 86400;
  long long rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  int y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld", y, m, d, rem / 3600,
                        (rem / 60) % 60, rem % 60);
  std::string out(buf, static_cast<size_t>(n));
  if (fraction_digits > 0) {
    if (fraction_digits > 9) fraction_digits = 9;
    char frac[16];
    std::snprintf(frac, sizeof frac, "%09lld", nanos);
    out.push_back('.');
    out.append(frac, static_cast<size_t>(fraction_digits));
  }
  out.push_back('Z');
  return out;
}

int FractionDigitsFor(unsigned long long seed) {
  static constexpr int kChoices[] = {0, 3, 3, 6, 9};
  return kChoices[(seed * 0x9E3779B97F4A7C15ull >> 59) % 5];
}

}  // namespace gx::sim
