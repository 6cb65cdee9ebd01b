// Pure parsers (simdjson) from Genesys Cloud REST bodies to the plain value types
// of exporter/state. Unknown fields are ignored, unknown enum values kept as
// strings, null or missing optional fields tolerated, ISO times with 0..9
// fractional digits accepted. A malformed or truncated body gives an error and
// leaves `out` unspecified. Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/result.h"
#include "exporter/state/entities.h"

namespace gx {

// The *EntityListing envelope: entities[], pageSize, pageNumber, total, pageCount, nextUri.
struct PageInfo {
  std::int64_t page_number = 0;
  std::int64_t page_size = 0;
  std::optional<std::int64_t> page_count;
  std::optional<std::int64_t> total;
  std::string next_uri;  // empty when absent or null
  // True when no further page follows (pageNumber >= pageCount, or no nextUri).
  bool last() const;
};

template <typename T>
struct Page {
  std::vector<T> entities;
  PageInfo info;
};

// GET /api/v2/telephony/providers/edges/phones?expand=status,lines
Status ParsePhonesPage(std::string_view body, Page<Phone>& out);
// GET /api/v2/stations
Status ParseStationsPage(std::string_view body, Page<Station>& out);
// GET /api/v2/telephony/providers/edges/trunks
Status ParseTrunksPage(std::string_view body, Page<Trunk>& out);
// GET /api/v2/telephony/providers/edges/trunkbasesettings?expand=properties
Status ParseTrunkBasesPage(std::string_view body, Page<TrunkBase>& out);
// GET /api/v2/telephony/providers/edges
Status ParseEdgesPage(std::string_view body, Page<Edge>& out);
// GET /api/v2/telephony/providers/edges/trunks/metrics?trunkIds= (a plain JSON array)
Status ParseTrunkMetricsArray(std::string_view body, std::vector<TrunkMetrics>& out);
// GET /api/v2/telephony/providers/edges/metrics?edgeIds= (a plain JSON array)
Status ParseEdgeMetricsArray(std::string_view body, std::vector<EdgeMetrics>& out);
// GET /api/v2/users/{userId}/station (associatedStation; absent or null: none)
Status ParseUserStation(std::string_view body, const std::string& user_id, UserStation& out);

// POST <login>/oauth/token
struct OAuthToken {
  std::string access_token;
  std::string token_type;
  std::int64_t expires_in = 0;
};
Status ParseOAuthToken(std::string_view body, OAuthToken& out);

// Error bodies: {"error","error_description"} from /oauth/token, and the API
// ErrorBody {"status","code","message",...}. Best effort: fields may be empty.
struct ApiErrorBody {
  std::string error;              // oauth
  std::string error_description;  // oauth
  std::string code;               // api, e.g. too.many.requests
  std::string message;            // api
  std::optional<std::int64_t> status;
};
Status ParseApiErrorBody(std::string_view body, ApiErrorBody& out);

// POST /api/v2/notifications/channels
struct Channel {
  std::string id;
  std::string connect_uri;
  std::optional<UnixNanos> expires;
};
Status ParseChannel(std::string_view body, Channel& out);

// PUT/POST/GET /api/v2/notifications/channels/{id}/subscriptions
struct TopicSubscription {
  std::string id;
  std::string state;  // Permitted, Rejected, or empty when the API sent none
  std::string rejection_reason;
  std::vector<std::string> missing_permissions;
};
Status ParseSubscriptions(std::string_view body, std::vector<TopicSubscription>& out);

}  // namespace gx
