// libFuzzer target: the alert state file as a crash, a full disk or a hand edit may
// leave it (exporter/outputs/alerts/alert_state_file), read back at start. Oracle:
// what loads saves and loads again to the same alerts.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "exporter/outputs/alerts/alert_state_file.h"
#include "tests/fuzz/scratch_dir.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string dir = gx::fuzz::ScratchDir("alert_state_file");
  const std::string path = dir + "/alerts.state";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  const auto loaded = gx::LoadAlertState(path);
  if (!loaded) return 0;  // refused as a whole (not an alert state file): nothing to save again
  if (!gx::SaveAlertState(path, loaded->alerts).ok()) std::abort();
  const auto again = gx::LoadAlertState(path);
  if (!again || again->damaged_lines != 0 || again->alerts.size() != loaded->alerts.size()) std::abort();
  for (std::size_t i = 0; i < loaded->alerts.size(); ++i) {
    const auto& a = loaded->alerts[i];
    const auto& b = again->alerts[i];
    if (a.alert.fingerprint != b.alert.fingerprint || a.alert.labels != b.alert.labels ||
        a.alert.summary != b.alert.summary || a.alert.active_since != b.alert.active_since ||
        a.notified_at != b.notified_at) {
      std::abort();  // the writer and the reader disagree
    }
  }
  return 0;
}
