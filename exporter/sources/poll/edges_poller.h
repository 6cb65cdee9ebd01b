// Polls the edges listing (InventoryPoller: merged page by page, swept when every page
// arrived). Nothing beyond the shared cycle.
#pragma once

#include <string>

#include "exporter/sources/poll/inventory_poller.h"

namespace gx {

inline const std::string kEdgesEndpoint = "/api/v2/telephony/providers/edges";

class EdgesPoller final : public InventoryPoller<Edge> {
 public:
  EdgesPoller(ApiClient& api, TelephonyState& state, const Clock& clock, int page_size);
};

}  // namespace gx
