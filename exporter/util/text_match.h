// Small text comparisons that protocols and environment values need: blanks (spaces, tabs)
// trimmed, ASCII case ignored (HTTP field names and tokens). Pure; thread-safe.
#pragma once

#include <strings.h>

#include <string_view>

namespace gx {

inline std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace gx
