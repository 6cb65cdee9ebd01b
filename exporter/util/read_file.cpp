#include "exporter/util/read_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace gx {
namespace {

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// Resizes `s` to `size`, wiping the old buffer when it moves (it may hold a key or a password).
void GrowWiping(std::string& s, std::size_t size) {
  if (size <= s.capacity()) {
    s.resize(size);
    return;
  }
  std::string bigger;
  bigger.reserve(std::max(size, 2 * s.capacity()));
  bigger.assign(s);
  bigger.resize(size);
  explicit_bzero(s.data(), s.size());
  s.swap(bigger);
}

Status CannotRead(const std::string& path, const std::string& reason) {
  return Status::Error("cannot read " + path + ": " + reason);
}

}  // namespace

Result<std::string> ReadFileBounded(const std::string& path, std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting for one.
  const Fd file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  if (file.fd < 0) return CannotRead(path, std::strerror(errno));
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) return CannotRead(path, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return CannotRead(path, std::strerror(EISDIR));
  // A FIFO, socket or device may block or never end: only regular files are read.
  if (!S_ISREG(st.st_mode)) return CannotRead(path, "not a regular file");
  // Reads at most one byte past the bound (a growing file), into one buffer sized from the
  // file, so that no partial copy of its bytes is left behind in freed memory.
  const std::size_t size = static_cast<std::size_t>(std::max<off_t>(st.st_size, 0));
  const std::size_t expected = std::min(size, max_bytes);
  // Read in place: a short text moved out of a local string would leave a copy on the stack.
  Result<std::string> out = std::string();
  std::string& content = out.value();
  content.reserve(expected + 1);
  std::size_t used = 0;
  while (used <= max_bytes) {
    if (used == content.size()) {
      GrowWiping(content, std::min(max_bytes + 1, used == 0 ? expected + 1 : 2 * used + 4096));
    }
    const ssize_t n = ::read(file.fd, content.data() + used, content.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int e = errno;
      explicit_bzero(content.data(), content.size());
      return CannotRead(path, std::strerror(e));
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > max_bytes) {
    explicit_bzero(content.data(), content.size());
    return Status::Error(path + " is larger than " + std::to_string(max_bytes) + " bytes");
  }
  content.resize(used);  // shrinking keeps the buffer
  return out;
}

}  // namespace gx
