// Reads exposition text back into samples, for tests that look series up by name and labels
// in what /metrics' serializer wrote. Header-only.
#pragma once

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace gx::testing {

struct ExpositionSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};
using ExpositionSamples = std::vector<ExpositionSample>;

// One sample per non-comment line; label values are unescaped.
inline ExpositionSamples ParseSamples(const std::string& text) {
  ExpositionSamples out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    ExpositionSample s;
    size_t i = line.find_first_of("{ ");
    s.name = line.substr(0, i);
    if (i != std::string::npos && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        const size_t eq = line.find('=', i);
        std::string name = line.substr(i, eq - i);
        std::string value;
        for (i = eq + 2; i < line.size() && line[i] != '"'; ++i) {
          if (line[i] == '\\' && i + 1 < line.size()) {
            ++i;
            value.push_back(line[i] == 'n' ? '\n' : line[i]);
          } else {
            value.push_back(line[i]);
          }
        }
        s.labels[name] = value;
        ++i;                                  // the closing quote
        if (i < line.size() && line[i] == ',') ++i;
      }
      ++i;  // '}'
    }
    s.value = std::stod(line.substr(line.rfind(' ') + 1));
    out.push_back(std::move(s));
  }
  return out;
}

// The value of the first series of `name` whose labels include all of `labels`.
inline std::optional<double> Value(const ExpositionSamples& samples, const std::string& name,
                                   const std::map<std::string, std::string>& labels) {
  for (const auto& s : samples) {
    if (s.name != name) continue;
    bool all = true;
    for (const auto& [k, v] : labels) {
      auto it = s.labels.find(k);
      all = all && it != s.labels.end() && it->second == v;
    }
    if (all) return s.value;
  }
  return std::nullopt;
}

inline size_t SeriesCount(const ExpositionSamples& samples, const std::string& name) {
  size_t n = 0;
  for (const auto& s : samples) n += s.name == name ? 1 : 0;
  return n;
}

}  // namespace gx::testing
