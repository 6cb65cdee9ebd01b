// libFuzzer target: ISO-8601 times as Genesys sends them (exporter/util/iso_time).
// Oracle: whatever parses formats back (9 digits, UTC) to the same instant.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "exporter/util/iso_time.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto t = gx::ParseIsoTime(text);
  if (!t) return 0;
  const auto again = gx::ParseIsoTime(gx::FormatIsoTime(*t, 9));
  if (!again || *again != *t) std::abort();  // the formatter and the parser disagree
  for (int digits = 0; digits <= 9; ++digits) (void)gx::FormatIsoTime(*t, digits);
  return 0;
}
