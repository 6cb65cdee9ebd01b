#include "exporter/outputs/webhook/webhook_spool.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "exporter/util/durable_file.h"
#include "exporter/util/logging.h"

namespace gx {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMagic = "gx-webhook-spool 1";
constexpr size_t kSeqDigits = 20;
// Far beyond any real queue, and low enough that seq + 1 never wraps.
constexpr std::uint64_t kMaxSeq = 1'000'000'000'000'000'000ull;

std::string Serialize(const SpoolItem& item) {
  return std::string(kMagic) + "\n" + item.id + "\n" + std::to_string(item.created) + "\n" + item.kind + "\n" +
         std::to_string(item.body.size()) + "\n" + item.body;
}

bool ParseItem(const std::string& text, SpoolItem& item) {
  std::istringstream in(text);
  std::string magic, created, size;
  if (!std::getline(in, magic) || magic != kMagic) return false;
  if (!std::getline(in, item.id) || !std::getline(in, created) || !std::getline(in, item.kind) ||
      !std::getline(in, size)) {
    return false;
  }
  try {
    item.created = std::stoll(created);
    const size_t n = std::stoull(size);
    const auto pos = static_cast<size_t>(in.tellg());
    if (pos + n != text.size()) return false;  // torn or damaged
    item.body = text.substr(pos, n);
  } catch (const std::exception&) {
    return false;
  }
  return !item.id.empty();
}

// The number of a `<digits>.msg` stem, or nullopt for any other name.
std::optional<std::uint64_t> SeqOf(std::string_view stem) {
  if (stem.empty() || stem.size() > kSeqDigits) return std::nullopt;
  if (stem.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  std::uint64_t seq = 0;
  const auto r = std::from_chars(stem.data(), stem.data() + stem.size(), seq);
  if (r.ec != std::errc() || seq >= kMaxSeq) return std::nullopt;
  return seq;
}

}  // namespace

WebhookSpool::WebhookSpool(std::string dir, std::uint64_t max_bytes) : dir_(std::move(dir)), max_bytes_(max_bytes) {
  if (Status made = MakeDirectories(dir_); !made) {
    status_ = made.Prefixed("spool: ");
    return;
  }
  Load();
}

std::string WebhookSpool::PathOf(std::uint64_t seq) const {
  char name[32];
  std::snprintf(name, sizeof name, "%020llu.msg", static_cast<unsigned long long>(seq));
  return dir_ + "/" + name;
}

void WebhookSpool::MoveAside(const std::string& name, const char* reason, const std::string& why) {
  const std::string from = dir_ + "/" + name;
  const std::string to = from + (reason == std::string(kDropDamaged) ? ".damaged" : ".rejected");
  std::error_code ec;
  fs::rename(from, to, ec);
  ++load_drops_[reason];
  LogError("webhook spool file unreadable; moved aside",
           {{"dir", dir_}, {"file", name}, {"reason", why}, {"to", to}, {"err", ec ? ec.message() : std::string()}});
}

void WebhookSpool::Load() {
  std::error_code ec;
  std::vector<std::string> canonical, other;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.ends_with(".tmp")) {
      std::error_code rm;
      fs::remove(it->path(), rm);  // a write that never completed
    } else if (name.ends_with(".msg")) {
      (name.size() == kSeqDigits + 4 ? canonical : other).push_back(name);
    }
  }
  if (ec) {
    // Writing into a folder we cannot list could overwrite messages queued in it.
    status_ = Status::Error("spool " + dir_ + ": cannot list: " + ec.message());
    never_write_ = true;
    return;
  }
  // Canonical names first, so that `5.msg` never displaces `00000000000000000005.msg`.
  std::sort(canonical.begin(), canonical.end());
  std::sort(other.begin(), other.end());
  canonical.insert(canonical.end(), other.begin(), other.end());
  std::vector<SpoolItem> found;
  std::set<std::uint64_t> seqs;
  for (const auto& name : canonical) {
    const std::string path = dir_ + "/" + name;
    SpoolItem item;
    const auto seq = SeqOf(std::string_view(name).substr(0, name.size() - 4));
    if (!seq) {
      MoveAside(name, kDropBadName, "not a spool file name (want <20 digits>.msg)");
      continue;
    }
    item.seq = *seq;
    std::error_code size_ec;
    const auto size = fs::file_size(path, size_ec);
    if (size_ec || size > max_bytes_) {
      MoveAside(name, kDropDamaged, size_ec ? size_ec.message() : "larger than spool_max_bytes");
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!ParseItem(text, item)) {
      MoveAside(name, kDropDamaged, "not a whole spool file");
      continue;
    }
    if (path != PathOf(item.seq)) {
      // Remove() deletes PathOf(seq): a file under another name would be delivered again
      // on every restart. Take the canonical name, unless another file has it.
      if (seqs.count(item.seq)) {
        MoveAside(name, kDropBadName, "duplicate of " + PathOf(item.seq));
        continue;
      }
      std::error_code mv;
      fs::rename(path, PathOf(item.seq), mv);
      if (mv) {
        MoveAside(name, kDropBadName, "cannot rename to " + PathOf(item.seq) + ": " + mv.message());
        continue;
      }
      LogWarn("webhook spool file renamed to its canonical name",
              {{"dir", dir_}, {"file", name}, {"to", PathOf(item.seq)}});
    }
    item.durable = true;
    seqs.insert(item.seq);
    found.push_back(std::move(item));
  }
  std::sort(found.begin(), found.end(), [](const SpoolItem& a, const SpoolItem& b) { return a.seq < b.seq; });
  for (auto& item : found) {
    next_seq_ = std::max(next_seq_, item.seq + 1);
    bytes_ += item.bytes();
    items_.push_back(std::move(item));
  }
  dir_ready_ = true;
}

SpoolAppendResult WebhookSpool::Append(SpoolItem& item) {
  if (bytes_ + item.bytes() > max_bytes_) {
    return {SpoolAppend::kFull,
            Status::Error("spool full (" + std::to_string(bytes_) + " of " + std::to_string(max_bytes_) + " bytes)")};
  }
  item.seq = next_seq_++;
  Status written;
  if (never_write_) {
    written = status_;
  } else if (!dir_ready_) {
    // The folder could not be created before: it did not exist, so it held nothing to load.
    written = MakeDirectories(dir_).Prefixed("spool: ");
    if (written) dir_ready_ = true;
  }
  if (written) written = WriteFileAtomically(PathOf(item.seq), Serialize(item));
  status_ = written;
  item.durable = written.ok();
  bytes_ += item.bytes();
  items_.push_back(item);
  if (!item.durable) {
    ++memory_only_;
    return {SpoolAppend::kMemoryOnly, written};
  }
  return {SpoolAppend::kDurable, Status::Ok()};
}

Status WebhookSpool::Remove(const SpoolItem& item) {
  auto it = std::find_if(items_.begin(), items_.end(), [&](const SpoolItem& i) { return i.seq == item.seq; });
  if (it == items_.end()) return Status::Ok();
  const bool durable = it->durable;
  bytes_ -= std::min(bytes_, it->bytes());
  items_.erase(it);
  if (!durable) {
    --memory_only_;
    return Status::Ok();
  }
  const std::string path = PathOf(item.seq);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Status::Error("remove " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace gx
