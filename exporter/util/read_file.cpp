#include "exporter/util/read_file.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace gx {

std::string ReadFileBounded(const std::string& path, std::size_t max_bytes, std::string& content) {
  content.clear();
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return "cannot read " + path + ": " + std::strerror(errno);
  char buf[16384];
  // Reads at most one byte past the bound: a device or a growing file never ends otherwise.
  while (content.size() <= max_bytes) {
    const std::size_t want = std::min(sizeof buf, max_bytes + 1 - content.size());
    const std::size_t n = std::fread(buf, 1, want, file.get());
    content.append(buf, n);
    if (n < want) {
      if (std::ferror(file.get())) {
        const int e = errno;
        content.clear();
        return "cannot read " + path + ": " + std::strerror(e ? e : EIO);
      }
      break;
    }
  }
  if (content.size() > max_bytes) {
    content.clear();
    return path + " is larger than " + std::to_string(max_bytes) + " bytes";
  }
  return "";
}

}  // namespace gx
