// libFuzzer target: Notification Service WebSocket frames (exporter/genesys/parse/
// notification_parser) routed into a state that knows the fixtures' phones, trunks
// and edges (exporter/sources/notifications/event_router), as the listener does.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "exporter/sources/notifications/event_router.h"
#include "exporter/genesys/parse/notification_parser.h"
#include "tests/fuzz/fixture_state.h"

namespace {
constexpr gx::UnixNanos kPolledAt = 1'778'400'000'000'000'000;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view frame(reinterpret_cast<const char*>(data), size);
  gx::NotificationFrame parsed;
  if (!gx::ParseNotification(frame, parsed).ok()) return 0;
  auto state = gx::fuzz::FixtureState(kPolledAt);
  (void)gx::RouteNotification(parsed, *state, kPolledAt + 1);
  state->Read([](const gx::TelephonyData& d) { return d.PhonesOfUsers().size(); });
  return 0;
}
