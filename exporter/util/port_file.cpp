#include "exporter/util/port_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "exporter/util/durable_file.h"

namespace gx {

Status RemovePortFile(const std::string& path) {
  if (::unlink(path.c_str()) == 0 || errno == ENOENT) return Status::Ok();
  return Status::Error("remove " + path + ": " + std::strerror(errno));
}

Status WritePortFile(const std::string& path, const std::vector<int>& ports) {
  std::string text;
  for (const int port : ports) text += std::to_string(port) + "\n";
  return WriteFileAtomically(path, text, 0644);
}

}  // namespace gx
