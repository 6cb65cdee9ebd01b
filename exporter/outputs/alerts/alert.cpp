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

namespace {

struct EntityLabel {
  const char* label;
  const char* kind;
};
// The identity labels that name an entity, in order of specificity.
constexpr EntityLabel kEntityLabels[] = {{"user_id", "user"},   {"phone_id", "phone"}, {"trunk_id", "trunk"},
                                         {"target", "tls_target"}, {"edge_id", "edge"},   {"source", "source"},
                                         {"site", "site"}};

const EntityLabel* FirstEntityLabel(const AlertLabels& labels) {
  for (const auto& e : kEntityLabels) {
    if (labels.count(e.label)) return &e;
  }
  return nullptr;
}

}  // namespace

std::string Alert::EntityId() const {
  const EntityLabel* e = FirstEntityLabel(labels);
  return e ? labels.at(e->label) : fingerprint;
}

std::string_view Alert::EntityKind() const {
  const EntityLabel* e = FirstEntityLabel(labels);
  return e ? e->kind : "alert";
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
