// libFuzzer target: the bytes a SIP-TLS peer answers an OPTIONS probe with
// (exporter/sources/tls/sip_options). The scanner sees them as they arrive, so every
// prefix of the input is scanned too, as the prober does after each read.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "exporter/sources/tls/sip_options.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view received(reinterpret_cast<const char*>(data), size);
  for (std::size_t cut = 1; cut <= received.size(); cut += 1 + cut / 4) {
    (void)gx::tls::ScanSipResponses(received.substr(0, cut));
  }
  const auto scan = gx::tls::ScanSipResponses(received);
  if (scan.final_status && (*scan.final_status < 200 || *scan.final_status > 699)) std::abort();
  const auto eol = received.find("\r\n");
  (void)gx::tls::ParseSipStatusLine(received.substr(0, eol));
  return 0;
}
