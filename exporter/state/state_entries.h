// What the state holds per entity: the entity as reported plus its bookkeeping
// (freshness, when each part was observed, whether push covers it). Plain
// values, compared by value so that a write that changes nothing is seen as such.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "exporter/state/certificates.h"
#include "exporter/state/entities.h"

namespace gx {

// Bookkeeping carried by every entity.
struct Freshness {
  UnixNanos last_seen = 0;    // last time any source reported the entity
  UnixNanos last_change = 0;  // last time a reported value differed
  bool operator==(const Freshness&) const = default;
};

struct PhoneEntry {
  Phone phone;
  Freshness fresh;
  UnixNanos status_observed_at = 0;  // when the current status was observed
  bool pushed = false;               // a push subscription covers this phone
  bool operator==(const PhoneEntry&) const = default;
};

struct TrunkEntry {
  Trunk trunk;
  Freshness fresh;
  UnixNanos connected_observed_at = 0;
  bool pushed = false;
  bool operator==(const TrunkEntry&) const = default;
};

struct EdgeEntry {
  Edge edge;
  Freshness fresh;
  UnixNanos online_observed_at = 0;
  bool pushed = false;
  bool operator==(const EdgeEntry&) const = default;
};

struct StationEntry {
  Station station;
  Freshness fresh;
  bool operator==(const StationEntry&) const = default;
};

struct UserEntry {
  UserStation station;  // station_id empty: none associated (or not yet known)
  bool known = false;   // false until the first answer for this user
  Freshness fresh;
  bool operator==(const UserEntry&) const = default;
};

// Metrics as reported, plus when they were observed (for newer-wins without an
// event time). Readers use them as the plain TrunkMetrics / EdgeMetrics.
struct TrunkMetricsEntry : TrunkMetrics {
  UnixNanos observed_at = 0;
  bool operator==(const TrunkMetricsEntry&) const = default;
};

struct EdgeMetricsEntry : EdgeMetrics {
  UnixNanos observed_at = 0;
  bool operator==(const EdgeMetricsEntry&) const = default;
};

struct TlsEntry {
  TlsTarget target;
  std::optional<TlsProbeResult> result;
  // Failed SIP OPTIONS pings by SipOptionsResult::failure (monotonic while the target is known).
  std::map<std::string, std::uint64_t> sip_failures;
  bool operator==(const TlsEntry&) const = default;
};

// Per-site registration counters (monotonic).
struct SiteRegistrationCounters {
  std::uint64_t checks = 0;
  std::uint64_t failures = 0;
  std::uint64_t to_reachable = 0;
  std::uint64_t to_unreachable = 0;
  bool operator==(const SiteRegistrationCounters&) const = default;
};

}  // namespace gx
