#include "exporter/outputs/alerts/alert.h"

#include <cstdio>

namespace gx {

std::string_view AlertStatusName(AlertStatus s) {
  switch (s) {
    case AlertStatus::kPending: return "pending";
    case AlertStatus::kFiring: return "firing";
    case AlertStatus::kResolved: return "resolved";
  }
  return "pending";
}

const std::string& Alert::name() const {
  static const std::string kEmpty;
  auto it = labels.find("alertname");
  return it == labels.end() ? kEmpty : it->second;
}

std::string Alert::EntityId() const {
  // The first identity label that names an entity, in order of specificity.
  for (const char* key : {"user_id", "phone_id", "trunk_id", "target", "edge_id", "source", "site"}) {
    if (auto it = labels.find(key); it != labels.end()) return it->second;
  }
  return fingerprint;
}

std::string AlertFingerprint(const AlertLabels& labels) {
  std::uint64_t h = 14695981039346656037ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  for (const auto& [k, v] : labels) {
    mix(k);
    mix("=");
    mix(v);
    mix("\n");
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

int SeverityRank(std::string_view severity) {
  if (severity == "critical") return 3;
  if (severity == "warning") return 2;
  if (severity == "info") return 1;
  return 0;
}

}  // namespace gx
