// libFuzzer target: the channel's connectUri as the WebSocket client reads it
// (ParseWsUrl, exporter/sources/notifications/ws_url). Oracle: an accepted URL
// has a host, a port in 1..65535 and a target that starts with '/'.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "exporter/sources/notifications/ws_url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string url(reinterpret_cast<const char*>(data), size);
  const gx::Result<gx::WsUrl> read = gx::ParseWsUrl(url);
  if (!read) {
    if (read.error().empty()) std::abort();  // a refusal must say why
    return 0;
  }
  const gx::WsUrl& parsed = *read;
  const long port = std::strtol(parsed.port.c_str(), nullptr, 10);
  if (parsed.host.empty() || port < 1 || port > 65535 || parsed.target.empty() || parsed.target[0] != '/') {
    std::abort();
  }
  return 0;
}
