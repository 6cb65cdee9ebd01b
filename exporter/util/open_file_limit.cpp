#include "exporter/util/open_file_limit.h"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace gx {

OpenFileLimit RaiseOpenFileLimit(std::uint64_t cap) {
  OpenFileLimit out;
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) {
    out.status = Status::Error(std::string("getrlimit(RLIMIT_NOFILE): ") + std::strerror(errno));
    return out;
  }
  out.soft_before = out.soft = lim.rlim_cur;
  out.hard = lim.rlim_max;
  const rlim_t wanted = std::min<std::uint64_t>(lim.rlim_max, cap);
  if (wanted <= lim.rlim_cur) return out;
  lim.rlim_cur = wanted;
  if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) {
    out.status = Status::Error(std::string("setrlimit(RLIMIT_NOFILE): ") + std::strerror(errno));
    return out;
  }
  out.soft = wanted;
  return out;
}

std::uint64_t CurrentOpenFileLimit() {
  rlimit lim{};
  return ::getrlimit(RLIMIT_NOFILE, &lim) == 0 ? lim.rlim_cur : 0;
}

}  // namespace gx
