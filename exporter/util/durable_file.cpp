#include "exporter/util/durable_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace gx {
namespace {

std::string Errno() { return std::strerror(errno); }

std::string WriteAll(int fd, std::string_view data) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno();
    }
    off += static_cast<size_t>(n);
  }
  return "";
}

std::string ParentOf(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

std::string MakeDirectories(const std::string& dir, mode_t mode) {
  if (dir.empty()) return "empty directory name";
  for (size_t end = dir.find('/', 1);; end = dir.find('/', end + 1)) {
    const std::string prefix = dir.substr(0, end);
    if (!prefix.empty() && prefix.back() != '/') {
      if (::mkdir(prefix.c_str(), mode) != 0) {
        const int err = errno;
        struct stat st {};
        if (err != EEXIST) return "create directory " + prefix + ": " + std::strerror(err);
        if (::stat(prefix.c_str(), &st) != 0) return "stat " + prefix + ": " + Errno();
        if (!S_ISDIR(st.st_mode)) return "create directory " + dir + ": " + prefix + " is not a directory";
      }
    }
    if (end == std::string::npos) break;
  }
  return "";
}

std::string WriteFileAtomically(const std::string& path, std::string_view data, mode_t mode) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return "open " + tmp + ": " + Errno();
  std::string err = WriteAll(fd, data);
  if (!err.empty()) err = "write " + tmp + ": " + err;
  if (err.empty() && ::fsync(fd) != 0) err = "fsync " + tmp + ": " + Errno();
  if (::close(fd) != 0 && err.empty()) err = "close " + tmp + ": " + Errno();
  if (err.empty() && ::rename(tmp.c_str(), path.c_str()) != 0) err = "rename " + tmp + ": " + Errno();
  if (!err.empty()) {
    ::unlink(tmp.c_str());  // a half-written temp file must not outlive the failure
    return err;
  }
  SyncDirectory(ParentOf(path));
  return "";
}

std::string AppendLineDurably(const std::string& path, std::string_view line) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return "open " + path + ": " + Errno();
  std::string text(line);
  text += '\n';
  std::string err = WriteAll(fd, text);
  if (err.empty() && ::fsync(fd) != 0) err = Errno();
  ::close(fd);
  return err.empty() ? "" : "write " + path + ": " + err;
}

std::string ProbeWritable(const std::string& dir) {
  const std::string probe = dir + "/.write-probe";
  if (auto err = WriteFileAtomically(probe, "genesys_exporter write probe\n"); !err.empty()) return err;
  if (::unlink(probe.c_str()) != 0) return "remove " + probe + ": " + Errno();
  return "";
}

void SyncDirectory(const std::string& dir) {
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace gx
