#include "exporter/sources/poll/edges_poller.h"

namespace gx {

EdgesPoller::EdgesPoller(ApiClient& api, TelephonyState& state, const Clock& clock, int page_size)
    : InventoryPoller({"edges", kEdgesEndpoint, "", ParseEdgesPage, &TelephonyWriter::UpsertEdges,
                       &TelephonyWriter::SweepEdges},
                      api, state, clock, page_size) {}

}  // namespace gx
