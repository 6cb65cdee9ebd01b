#include "exporter/outputs/webhook/webhook_spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gx {
namespace {

constexpr const char* kMagic = "gx-webhook-spool 1";

std::string WriteAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::strerror(errno);
    }
    off += static_cast<size_t>(n);
  }
  return "";
}

void SyncDir(const std::string& dir) {
  if (int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
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

}  // namespace

std::string AppendLineDurably(const std::string& path, const std::string& line) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) return "open " + path + ": " + std::strerror(errno);
  std::string err = WriteAll(fd, line + "\n");
  if (err.empty() && ::fsync(fd) != 0) err = std::strerror(errno);
  ::close(fd);
  return err.empty() ? "" : "write " + path + ": " + err;
}

WebhookSpool::WebhookSpool(std::string dir, std::uint64_t max_bytes) : dir_(std::move(dir)), max_bytes_(max_bytes) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) {
    error_ = "spool " + dir_ + ": " + ec.message();
    return;
  }
  std::vector<SpoolItem> found;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".tmp")) {
      std::filesystem::remove(entry.path(), ec);  // a write that never completed
      continue;
    }
    if (!name.ends_with(".msg")) continue;
    SpoolItem item;
    try {
      item.seq = std::stoull(name.substr(0, name.size() - 4));
    } catch (const std::exception&) {
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!ParseItem(text, item)) {
      std::filesystem::rename(entry.path(), entry.path().string() + ".damaged", ec);
      continue;
    }
    found.push_back(std::move(item));
  }
  std::sort(found.begin(), found.end(), [](const SpoolItem& a, const SpoolItem& b) { return a.seq < b.seq; });
  for (auto& item : found) {
    next_seq_ = std::max(next_seq_, item.seq + 1);
    bytes_ += item.bytes();
    items_.push_back(std::move(item));
  }
}

std::string WebhookSpool::PathOf(std::uint64_t seq) const {
  char name[32];
  std::snprintf(name, sizeof name, "%020llu.msg", static_cast<unsigned long long>(seq));
  return dir_ + "/" + name;
}

bool WebhookSpool::Append(SpoolItem& item, std::string* why) {
  if (!error_.empty()) {
    if (why) *why = error_;
    return false;
  }
  if (bytes_ + item.bytes() > max_bytes_) {
    if (why) *why = "spool full (" + std::to_string(bytes_) + " bytes)";
    return false;
  }
  item.seq = next_seq_++;
  const std::string path = PathOf(item.seq);
  const std::string tmp = path + ".tmp";
  std::string text = std::string(kMagic) + "\n" + item.id + "\n" + std::to_string(item.created) + "\n" + item.kind +
                     "\n" + std::to_string(item.body.size()) + "\n" + item.body;
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) {
    if (why) *why = "open " + tmp + ": " + std::strerror(errno);
    return false;
  }
  std::string err = WriteAll(fd, text);
  if (err.empty() && ::fsync(fd) != 0) err = std::strerror(errno);
  ::close(fd);
  if (err.empty() && ::rename(tmp.c_str(), path.c_str()) != 0) err = std::strerror(errno);
  if (!err.empty()) {
    ::unlink(tmp.c_str());
    if (why) *why = "write " + path + ": " + err;
    return false;
  }
  SyncDir(dir_);
  bytes_ += item.bytes();
  items_.push_back(item);
  return true;
}

void WebhookSpool::Remove(const SpoolItem& item) {
  ::unlink(PathOf(item.seq).c_str());
  auto it = std::find_if(items_.begin(), items_.end(), [&](const SpoolItem& i) { return i.seq == item.seq; });
  if (it != items_.end()) {
    bytes_ -= std::min(bytes_, it->bytes());
    items_.erase(it);
  }
}

}  // namespace gx
