#include "exporter/util/retry_after.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <ctime>

#include "exporter/util/time_math.h"

namespace gx {
namespace {

std::string_view TrimOptionalWhitespace(std::string_view s) {  // OWS: SP and HTAB only
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A fixed-width number of `s` at [pos, pos + len) within [lo, hi].
bool Field(std::string_view s, size_t pos, size_t len, int lo, int hi, int& out) {
  const std::string_view digits = s.substr(pos, len);
  if (digits.size() != len || !AllDigits(digits)) return false;
  std::from_chars(digits.data(), digits.data() + len, out);
  return out >= lo && out <= hi;
}

template <size_t N>
int IndexOf(const std::array<std::string_view, N>& names, std::string_view name) {
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT", every field in its place and range.
std::optional<UnixNanos> ParseImfFixdate(std::string_view s) {
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || IndexOf(kDays, s.substr(0, 3)) < 0 || s.substr(3, 2) != ", " || s[7] != ' ' ||
      s[11] != ' ' || s[16] != ' ' || s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT") {
    return std::nullopt;
  }
  const int month = IndexOf(kMonths, s.substr(8, 3));
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  if (month < 0 || !Field(s, 5, 2, 1, 31, day) || !Field(s, 12, 4, 0, 9999, year) ||
      !Field(s, 17, 2, 0, 23, hour) || !Field(s, 20, 2, 0, 59, minute) || !Field(s, 23, 2, 0, 60, second)) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const time_t t = timegm(&tm);
  if (t == static_cast<time_t>(-1)) return std::nullopt;
  return SecondsToNanos(static_cast<std::int64_t>(t));
}

}  // namespace

ServerWait ClampServerWait(UnixNanos asked, UnixNanos ceiling) {
  ceiling = std::max<UnixNanos>(0, ceiling);
  if (asked > ceiling) return {ceiling, true};
  return {std::max<UnixNanos>(0, asked), false};
}

std::optional<ServerWait> ParseRetryAfter(std::string_view value, UnixNanos now, UnixNanos ceiling) {
  value = TrimOptionalWhitespace(value);
  if (AllDigits(value)) {
    std::uint64_t seconds = 0;
    const auto r = std::from_chars(value.data(), value.data() + value.size(), seconds);
    // Too many digits for 64 bits is still a (very long) wait.
    const UnixNanos wait = r.ec == std::errc::result_out_of_range ? kMaxNanos : SecondsToNanos(seconds);
    return ClampServerWait(wait, ceiling);
  }
  const auto at = ParseImfFixdate(value);
  if (!at) return std::nullopt;
  return ClampServerWait(SaturatingSub(*at, now), ceiling);
}

}  // namespace gx
