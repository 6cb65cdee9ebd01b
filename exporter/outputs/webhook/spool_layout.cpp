#include "exporter/outputs/webhook/spool_layout.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <map>
#include <set>

namespace gx {
namespace {

namespace fs = std::filesystem;

// Not std::isalnum: the folder name must not depend on the locale.
bool IsAsciiAlnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The naming before the encoding: not injective.
std::string LegacyName(const std::string& name) {
  std::string out;
  for (char c : name) out += (IsAsciiAlnum(c) || c == '-' || c == '_') ? c : '_';
  return out.empty() ? "receiver" : out;
}

void MoveIfOnly(const fs::path& from, const fs::path& to, const std::vector<std::string>& claimants,
                std::set<fs::path>& seen) {
  std::error_code ec;
  if (from == to || !seen.insert(from).second || !fs::exists(from, ec)) return;
  if (claimants.size() > 1) {
    std::string names;
    for (const auto& n : claimants) names += (names.empty() ? "" : ", ") + n;
    spdlog::error("webhook spool: {} was shared by receivers {} under the old naming; left in place, not "
                  "delivered (move its .msg files into the right receiver's folder by hand, or delete it)",
                  from.string(), names);
    return;
  }
  if (fs::exists(to, ec)) {
    spdlog::warn("webhook spool: both {} (old naming) and {} exist; the old one is left in place", from.string(),
                 to.string());
    return;
  }
  fs::rename(from, to, ec);
  if (ec) spdlog::error("webhook spool: cannot rename {} to {}: {}", from.string(), to.string(), ec.message());
  else spdlog::info("webhook spool: renamed {} to {} (new naming)", from.string(), to.string());
}

}  // namespace

std::string EncodeSpoolName(std::string_view receiver) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (receiver.empty()) return "_";
  std::string out;
  for (char c : receiver) {
    const auto u = static_cast<unsigned char>(c);
    if (IsAsciiAlnum(c) || c == '-') {
      out += c;
    } else {
      out += '_';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string SpoolFolderName(std::string_view receiver, int index) {
  return EncodeSpoolName(receiver) + "-" + std::to_string(index);
}

std::string DeadLetterFileName(std::string_view receiver) { return EncodeSpoolName(receiver) + ".dead-letter.jsonl"; }

void MigrateLegacySpools(const std::string& spool_dir, const std::vector<ReceiverConfig>& receivers) {
  std::map<std::string, std::vector<std::string>> claimants;  // legacy name -> receivers
  for (const auto& r : receivers) claimants[LegacyName(r.name)].push_back(r.name);
  const fs::path root(spool_dir);
  std::set<fs::path> seen;  // each legacy path is handled (and reported) once
  for (const auto& r : receivers) {
    const std::string legacy = LegacyName(r.name);
    const auto& who = claimants[legacy];
    for (size_t i = 0; i < r.urls.size(); ++i) {
      MoveIfOnly(root / (legacy + "-" + std::to_string(i)), root / SpoolFolderName(r.name, static_cast<int>(i)), who,
                 seen);
    }
    MoveIfOnly(root / (legacy + ".dead-letter.jsonl"), root / DeadLetterFileName(r.name), who, seen);
  }
}

}  // namespace gx
