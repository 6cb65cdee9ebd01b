// libFuzzer target: a webhook spool folder as a crash or a hand edit may leave it
// (exporter/outputs/webhook/webhook_spool), loaded at start. The input's first line
// names the file (letters, digits, '.', '_', '-'; ".msg" is appended), the rest is
// its content. Oracles: what loads and is then removed (delivered) never comes back,
// and what is appended loads back unchanged. The first line also goes through the
// spool folder naming (spool_layout), which must be injective and path-safe.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "exporter/outputs/webhook/spool_layout.h"
#include "exporter/outputs/webhook/webhook_spool.h"
#include "tests/fuzz/scratch_dir.h"

namespace {

constexpr std::uint64_t kMaxBytes = 1u << 20;

std::string FileName(std::string_view line) {
  std::string name;
  for (char c : line.substr(0, 24)) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
                    c == '_' || c == '-';
    if (ok) name += c;
  }
  if (name.empty() || name == "." || name == "..") name = "00000000000000000001";
  return name + ".msg";
}

// Two receiver names (the line split at its first ':') must get different folders, and
// no folder name may leave spool_dir.
void CheckSpoolNames(std::string_view line) {
  const auto colon = line.find(':');
  const std::string_view a = line.substr(0, colon);
  const std::string_view b = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
  const std::string ea = gx::EncodeSpoolName(a);
  if (ea.empty() || ea.find_first_of("./") != std::string::npos) std::abort();
  if (a != b && ea == gx::EncodeSpoolName(b)) std::abort();
  if (gx::SpoolFolderName(a, 0) == gx::SpoolFolderName(a, 1)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string dir = gx::fuzz::ScratchDir("webhook_spool");
  for (const auto& entry : std::filesystem::directory_iterator(dir)) std::filesystem::remove_all(entry.path());

  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto eol = input.find('\n');
  CheckSpoolNames(input.substr(0, eol));
  const std::string_view content = eol == std::string_view::npos ? std::string_view() : input.substr(eol + 1);
  {
    std::ofstream out(dir + "/" + FileName(input.substr(0, eol)), std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
  }

  {
    gx::WebhookSpool spool(dir, kMaxBytes);
    if (!spool.status()) std::abort();
    const auto loaded = spool.items();  // a copy: Remove() edits the live queue
    for (const auto& item : loaded) {
      if (!spool.Remove(item).ok()) std::abort();
    }
  }
  gx::SpoolItem appended;
  {
    gx::WebhookSpool spool(dir, kMaxBytes);
    if (!spool.items().empty()) std::abort();  // delivered, yet loaded again
    appended.id = "fuzz-id";
    appended.kind = "notification";
    appended.created = 1;
    appended.body = std::string(content);
    if (content.size() < kMaxBytes / 2 && spool.Append(appended).outcome != gx::SpoolAppend::kDurable) std::abort();
  }
  if (content.size() < kMaxBytes / 2) {
    gx::WebhookSpool spool(dir, kMaxBytes);
    if (spool.items().size() != 1) std::abort();
    const auto& back = spool.items().front();
    if (back.id != appended.id || back.kind != appended.kind || back.body != appended.body) std::abort();
  }
  return 0;
}
