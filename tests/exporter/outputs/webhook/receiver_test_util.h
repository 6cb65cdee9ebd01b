// Sample group messages and a JSON reader for the receiver-format tests: yaml-cpp reads
// JSON (a YAML subset) and tells a quoted scalar (tag "!") from true, false, null or a number.
#pragma once

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <string>

#include "exporter/outputs/alerts/alert_message.h"
#include "tests/exporter/outputs/alerts/alert_test_util.h"

namespace gx::testing {

inline Alert SampleAlert(const std::string& phone, const std::string& site, AlertStatus status, UnixNanos fired_at) {
  Alert a;
  a.labels = {{"alertname", "registration_failure"}, {"phone_id", phone}, {"site", site}};
  a.fingerprint = AlertFingerprint(a.labels);
  a.severity = "critical";
  a.summary = "Phone " + phone + " is not registered";
  a.facts.user_id = "user-" + phone;
  a.facts.device_id = phone;
  a.facts.registered = false;
  a.facts.codec = "audio/opus";
  a.status = status;
  a.active_since = fired_at - 60 * kNanosPerSecond;
  a.fired_at = fired_at;
  if (status == AlertStatus::kResolved) a.resolved_at = fired_at + 600 * kNanosPerSecond;
  a.updated_at = a.resolved_at ? a.resolved_at : fired_at;
  return a;
}

// Two phones of site HQ firing, one resolved.
inline AlertMessage SampleMessage() {
  AlertMessage n;
  n.group_key = "alertname=\"registration_failure\",site=\"HQ\"";
  n.group_labels = {{"alertname", "registration_failure"}, {"site", "HQ"}};
  n.firing = {SampleAlert("p1", "HQ", AlertStatus::kFiring, kT0), SampleAlert("p2", "HQ", AlertStatus::kFiring, kT0)};
  n.resolved = {SampleAlert("p0", "HQ", AlertStatus::kResolved, kT0 - 3600 * kNanosPerSecond)};
  n.created_at = kT0 + 700 * kNanosPerSecond;
  return n;
}

// `count` firing alerts of one site.
inline AlertMessage ManyFiring(int count, const std::string& site = "Plant") {
  AlertMessage n;
  n.group_key = "alertname=\"registration_failure\",site=\"" + site + "\"";
  n.group_labels = {{"alertname", "registration_failure"}, {"site", site}};
  for (int i = 0; i < count; ++i) {
    n.firing.push_back(SampleAlert("p" + std::to_string(10000 + i), site, AlertStatus::kFiring, kT0));
  }
  n.created_at = kT0 + 30 * kNanosPerSecond;
  return n;
}

inline YAML::Node ParseJson(const std::string& body) { return YAML::Load(body); }
inline bool IsJsonString(const YAML::Node& n) { return n.IsScalar() && n.Tag() == "!"; }
inline bool IsJsonBool(const YAML::Node& n) {
  return n.IsScalar() && n.Tag() != "!" && (n.Scalar() == "true" || n.Scalar() == "false");
}

// Compares `body` with tests/fixtures/golden/webhook/<name>; GX_UPDATE_GOLDEN=1 rewrites it.
inline void ExpectGolden(const std::string& body, const std::string& name) {
  const std::string path = std::string(GX_SOURCE_DIR) + "/tests/fixtures/golden/webhook/" + name;
  if (std::getenv("GX_UPDATE_GOLDEN")) std::ofstream(path) << body << "\n";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path << " (run with GX_UPDATE_GOLDEN=1 to create it)";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(body + "\n", ss.str()) << name;
}

}  // namespace gx::testing
