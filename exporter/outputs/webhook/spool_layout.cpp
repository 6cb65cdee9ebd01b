#include "exporter/outputs/webhook/spool_layout.h"

#include <filesystem>
#include <map>
#include <set>

#include "exporter/util/logging.h"

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
    LogError(
        "webhook spool folder was shared by receivers under the old naming; left in place, not delivered "
        "(move its .msg files into the right receiver's folder by hand, or delete it)",
        {{"dir", from.string()}, {"receivers", names}});
    return;
  }
  if (fs::exists(to, ec)) {
    LogWarn("webhook spool folders of the old and the new naming both exist; the old one is left in place",
            {{"dir", from.string()}, {"to", to.string()}});
    return;
  }
  fs::rename(from, to, ec);
  if (ec) {
    LogError("webhook spool folder not renamed to the new naming",
             {{"dir", from.string()}, {"to", to.string()}, {"err", ec.message()}});
  } else {
    LogInfo("webhook spool folder renamed to the new naming", {{"dir", from.string()}, {"to", to.string()}});
  }
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
