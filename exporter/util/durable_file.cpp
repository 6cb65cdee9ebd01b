#include "exporter/util/durable_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace gx {
namespace {

std::string Errno() { return std::strerror(errno); }

Status WriteAll(int fd, std::string_view data) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Error(Errno());
    }
    off += static_cast<size_t>(n);
  }
  return Status::Ok();
}

std::string ParentOf(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

Status MakeDirectories(const std::string& dir, mode_t mode) {
  if (dir.empty()) return Status::Error("empty directory name");
  for (size_t end = dir.find('/', 1);; end = dir.find('/', end + 1)) {
    const std::string prefix = dir.substr(0, end);
    if (!prefix.empty() && prefix.back() != '/') {
      if (::mkdir(prefix.c_str(), mode) != 0) {
        const int err = errno;
        struct stat st {};
        if (err != EEXIST) return Status::Error("create directory " + prefix + ": " + std::strerror(err));
        if (::stat(prefix.c_str(), &st) != 0) return Status::Error("stat " + prefix + ": " + Errno());
        if (!S_ISDIR(st.st_mode)) {
          return Status::Error("create directory " + dir + ": " + prefix + " is not a directory");
        }
      }
    }
    if (end == std::string::npos) break;
  }
  return Status::Ok();
}

Status WriteFileAtomically(const std::string& path, std::string_view data, mode_t mode) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Status::Error("open " + tmp + ": " + Errno());
  Status s = WriteAll(fd, data).Prefixed("write " + tmp + ": ");
  if (s && ::fsync(fd) != 0) s = Status::Error("fsync " + tmp + ": " + Errno());
  if (::close(fd) != 0 && s) s = Status::Error("close " + tmp + ": " + Errno());
  if (s && ::rename(tmp.c_str(), path.c_str()) != 0) s = Status::Error("rename " + tmp + ": " + Errno());
  if (!s) {
    ::unlink(tmp.c_str());  // a half-written temp file must not outlive the failure
    return s;
  }
  SyncDirectory(ParentOf(path));
  return Status::Ok();
}

Status AppendLineDurably(const std::string& path, std::string_view line) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Error("open " + path + ": " + Errno());
  std::string text(line);
  text += '\n';
  Status s = WriteAll(fd, text);
  if (s && ::fsync(fd) != 0) s = Status::Error(Errno());
  ::close(fd);
  return s.Prefixed("write " + path + ": ");
}

Status ProbeWritable(const std::string& dir) {
  const std::string probe = dir + "/.write-probe";
  if (Status written = WriteFileAtomically(probe, "genesys_exporter write probe\n"); !written) return written;
  if (::unlink(probe.c_str()) != 0) return Status::Error("remove " + probe + ": " + Errno());
  return Status::Ok();
}

void SyncDirectory(const std::string& dir) {
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace gx
