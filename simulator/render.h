// Renders org entities as Genesys JSON (REST resources and notification event bodies).
// Pure functions of (org, options); the caller holds the org lock. Thread-safe.
#pragma once

#include <string>

#include "simulator/json_writer.h"
#include "simulator/org.h"

namespace gx::sim {

struct RenderOptions {
  bool expand_status = true;      // phones: include status / secondaryStatus
  bool expand_properties = false; // trunk bases
  bool unknown_enum = false;      // enum fields carry values not in the reference
  bool extra_fields = false;      // more unknown fields and nesting
  bool missing_optional = false;  // optional fields left out
};

void RenderPhone(JsonWriter& w, const Org& org, int phone, const RenderOptions& o);
void RenderStation(JsonWriter& w, const Org& org, int station, const RenderOptions& o);
void RenderUserStations(JsonWriter& w, const Org& org, int user, const RenderOptions& o);
void RenderTrunk(JsonWriter& w, const Org& org, int trunk, const RenderOptions& o);
void RenderTrunkMetrics(JsonWriter& w, const Org& org, int trunk, const RenderOptions& o);
void RenderTrunkBase(JsonWriter& w, const Org& org, int base, const RenderOptions& o);
void RenderEdge(JsonWriter& w, const Org& org, int edge, const RenderOptions& o);
void RenderEdgeMetrics(JsonWriter& w, const Org& org, int edge, UnixNanos now, const RenderOptions& o);
void RenderSite(JsonWriter& w, const Org& org, int site, const RenderOptions& o);

// Notification event bodies (the `eventBody` of the envelope).
std::string PhoneEventBody(const Org& org, int phone);
std::string TrunkEventBody(const Org& org, int trunk);
std::string TrunkMetricsEventBody(const Org& org, int trunk);
std::string EdgeEventBody(const Org& org, int edge);
std::string UserStationEventBody(const Org& org, int user);

std::string PhoneUri(const std::string& id);
std::string TrunkUri(const std::string& id);
std::string EdgeUri(const std::string& id);
std::string SiteUri(const std::string& id);
std::string UserUri(const std::string& id);
std::string StationUri(const std::string& id);

}  // namespace gx::sim
