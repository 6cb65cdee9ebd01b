#include "exporter/outputs/alerts/alert_state_file.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "exporter/util/durable_file.h"

namespace gx {
namespace {

// Tab-separated fields with \\, \t and \n escaped: simple to write atomically and to
// read back without a JSON parser in this library.
std::string Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[++i];
      out += n == 't' ? '\t' : n == 'n' ? '\n' : n;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> Split(const std::string& line) {
  std::vector<std::string> f;
  size_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == '\t') {
      f.push_back(Unescape(std::string_view(line).substr(start, i - start)));
      start = i + 1;
    }
  }
  return f;
}

std::string Tri(const std::optional<bool>& b) { return !b ? "-" : (*b ? "1" : "0"); }
std::optional<bool> ParseTri(const std::string& s) {
  if (s == "1") return true;
  if (s == "0") return false;
  return std::nullopt;
}

constexpr const char* kHeader = "gx-alert-state 1";
constexpr size_t kFixedFields = 13;

}  // namespace

Status SaveAlertState(const std::string& path, const std::vector<PersistedAlert>& alerts) {
  std::string text = std::string(kHeader) + "\n";
  for (const auto& p : alerts) {
    const Alert& a = p.alert;
    const AlertFacts& f = a.facts;
    std::vector<std::string> fields = {a.fingerprint, std::string(AlertStatusName(a.status)), a.severity,
                                       std::to_string(a.active_since), std::to_string(a.fired_at),
                                       std::to_string(p.notified_at), a.summary, f.user_id, f.device_id,
                                       Tri(f.registered), f.codec, f.carrier_health, Tri(f.tls_valid)};
    for (const auto& [k, v] : a.labels) {
      fields.push_back(k);
      fields.push_back(v);
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i) text += '\t';
      text += Escape(fields[i]);
    }
    text += '\n';
  }
  return WriteFileAtomically(path, text);
}

Result<LoadedAlertState> LoadAlertState(const std::string& path) {
  ::unlink((path + ".tmp").c_str());  // a save that a crash interrupted; the file itself is whole
  std::error_code ec;
  if (const auto size = std::filesystem::file_size(path, ec); !ec && size > kMaxAlertStateBytes) {
    return Status::Error(path + ": " + std::to_string(size) + " bytes, more than an alert state file can be (" +
                         std::to_string(kMaxAlertStateBytes) + "); not loaded, the next save replaces it");
  }
  LoadedAlertState out;
  std::ifstream in(path);
  if (!in) return out;
  std::string line;
  if (!std::getline(in, line) || line != kHeader) return Status::Error(path + ": not an alert state file");
  int& bad = out.damaged_lines;
  while (std::getline(in, line)) {
    auto f = Split(line);
    if (f.size() < kFixedFields || (f.size() - kFixedFields) % 2 != 0) {
      ++bad;
      continue;
    }
    PersistedAlert p;
    Alert& a = p.alert;
    try {
      a.fingerprint = f[0];
      a.status = f[1] == "firing" ? AlertStatus::kFiring : AlertStatus::kPending;
      a.severity = f[2];
      a.active_since = std::stoll(f[3]);
      a.fired_at = std::stoll(f[4]);
      p.notified_at = std::stoll(f[5]);
    } catch (const std::exception&) {
      ++bad;
      continue;
    }
    a.summary = f[6];
    a.facts.user_id = f[7];
    a.facts.device_id = f[8];
    a.facts.registered = ParseTri(f[9]);
    a.facts.codec = f[10];
    a.facts.carrier_health = f[11];
    a.facts.tls_valid = ParseTri(f[12]);
    for (size_t i = kFixedFields; i + 1 < f.size(); i += 2) a.labels[f[i]] = f[i + 1];
    if (a.fingerprint != AlertFingerprint(a.labels)) {
      ++bad;
      continue;
    }
    out.alerts.push_back(std::move(p));
  }
  return out;
}

}  // namespace gx
