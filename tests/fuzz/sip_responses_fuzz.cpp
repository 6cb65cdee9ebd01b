// libFuzzer target: the bytes a SIP-TLS peer answers an OPTIONS probe with
// (exporter/sources/tls/sip_options). The prober scans what it has after each read
// and stops at the first decision, so every prefix is scanned too. Oracles: a
// decision (a final status or a failure) never changes as more bytes arrive, a
// failure says what is wrong, and a final status is 200..699.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "exporter/sources/tls/sip_options.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view received(reinterpret_cast<const char*>(data), size);
  const auto whole = gx::tls::ScanSipResponses(received);
  if (whole.final_status && (*whole.final_status < 200 || *whole.final_status > 699)) std::abort();
  if (whole.failure != nullptr && whole.error.empty()) std::abort();
  for (std::size_t cut = 1; cut < received.size(); cut += 1 + cut / 4) {
    const auto part = gx::tls::ScanSipResponses(received.substr(0, cut));
    if (part.need_more()) continue;
    if (part.final_status != whole.final_status || part.failure != whole.failure) std::abort();
  }
  const auto eol = received.find("\r\n");
  (void)gx::tls::ParseSipStatusLine(received.substr(0, eol));
  return 0;
}
