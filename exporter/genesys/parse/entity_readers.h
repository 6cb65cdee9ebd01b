// Readers for the Genesys objects that appear both in REST bodies and in pushed
// event bodies, so that both paths produce identical values. Included only by
// exporter/genesys/parse/*.cpp. Thread-safe.
#pragma once

#include "exporter/genesys/parse/json_read.h"

namespace gx::json {

// PhoneStatus (REST) or the status of a phone topic body.
PhoneStatus ReadPhoneStatus(element status);
// optionsStatus[] / registersStatus[]: `state_key` is optionState or registerState.
std::vector<ProxyState> ReadProxies(element list, std::string_view state_key, std::string_view time_key);
// TrunkMetrics; `fallback_id` is used when the body has no trunk.id (topic id).
Status ReadTrunkMetrics(element e, std::string_view fallback_id, TrunkMetrics& out);
// EdgeMetrics; `fallback_id` is used when the body has no edge.id (topic id).
Status ReadEdgeMetrics(element e, std::string_view fallback_id, EdgeMetrics& out);
// The UserStations body (REST) or the station topic body.
void ReadUserStation(element e, UserStation& out);
// The connectedStatus/optionsStatus/registersStatus/ipStatus part of a trunk.
void ReadTrunkStatusFields(element e, TrunkStatusUpdate& out);

}  // namespace gx::json
