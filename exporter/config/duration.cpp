#include "exporter/config/duration.h"

#include <array>
#include <utility>

#include "exporter/util/time_math.h"

namespace gx {
namespace {

std::optional<UnixNanos> UnitNanos(std::string_view unit) {
  if (unit == "ms") return kNanosPerMilli;
  if (unit == "s") return kNanosPerSecond;
  if (unit == "m") return kNanosPerMinute;
  if (unit == "h") return kNanosPerHour;
  if (unit == "d") return kNanosPerDay;
  if (unit == "w") return 7 * kNanosPerDay;
  return std::nullopt;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

std::optional<UnixNanos> ParseDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text == "0") return 0;
  UnixNanos total = 0;
  size_t i = 0;
  while (i < text.size()) {
    const size_t whole_start = i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    const std::string_view whole = text.substr(whole_start, i - whole_start);
    std::string_view fraction;
    if (i < text.size() && text[i] == '.') {
      const size_t fraction_start = ++i;
      while (i < text.size() && IsDigit(text[i])) ++i;
      fraction = text.substr(fraction_start, i - fraction_start);
    }
    if (whole.empty() && fraction.empty()) return std::nullopt;
    const size_t unit_start = i;
    while (i < text.size() && IsLetter(text[i])) ++i;
    const auto scale = UnitNanos(text.substr(unit_start, i - unit_start));
    if (!scale) return std::nullopt;
    UnixNanos count = 0;
    for (char c : whole) count = SaturatingAdd(SaturatingMul(count, 10), c - '0');
    total = SaturatingAdd(total, SaturatingMul(count, *scale));
    // Each fraction digit is worth a tenth of the one before; digits finer than 1 ns are dropped.
    UnixNanos place = *scale;
    for (char c : fraction) {
      place /= 10;
      if (place == 0) break;
      total = SaturatingAdd(total, (c - '0') * place);
    }
  }
  return total;
}

std::string FormatDuration(UnixNanos d) {
  if (d == 0) return "0s";
  if (d < 0) return std::string("-").append(FormatDuration(d == kMinNanos ? kMaxNanos : -d));
  static constexpr std::array<std::pair<UnixNanos, const char*>, 5> kUnits = {{{kNanosPerDay, "d"},
                                                                              {kNanosPerHour, "h"},
                                                                              {kNanosPerMinute, "m"},
                                                                              {kNanosPerSecond, "s"},
                                                                              {kNanosPerMilli, "ms"}}};
  std::string out;
  for (const auto& [size, name] : kUnits) {
    if (d >= size) {
      out += std::to_string(d / size) + name;
      d %= size;
    }
  }
  if (d > 0) {  // below a millisecond: a fraction of one, without trailing zeros
    std::string digits = std::string(6 - std::to_string(d).size(), '0') + std::to_string(d);
    while (digits.back() == '0') digits.pop_back();
    out += "0." + digits + "ms";
  }
  return out;
}

}  // namespace gx
