// TelephonyState: the single truth for phones, stations, users, trunks, trunk
// metrics, edges and TLS certificates. Sources (REST pollers, the notification
// listener, TLS probes) write through the Apply*/Replace* functions; outputs read
// under a shared lock with Read(). Newer data is never overwritten by older data.
// Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "exporter/state/certificates.h"
#include "exporter/state/entities.h"

namespace gx {

// Bookkeeping carried by every entity.
struct Freshness {
  UnixNanos last_seen = 0;    // last time any source reported the entity
  UnixNanos last_change = 0;  // last time a reported value differed
};

struct PhoneEntry {
  Phone phone;
  Freshness fresh;
  UnixNanos status_observed_at = 0;  // when the current status was observed
  bool pushed = false;               // a push subscription covers this phone
};

struct TrunkEntry {
  Trunk trunk;
  Freshness fresh;
  UnixNanos connected_observed_at = 0;
  bool pushed = false;
};

struct EdgeEntry {
  Edge edge;
  Freshness fresh;
  UnixNanos online_observed_at = 0;
  bool pushed = false;
};

struct StationEntry {
  Station station;
  Freshness fresh;
};

struct UserEntry {
  UserStation station;  // station_id empty: none associated (or not yet known)
  bool known = false;   // false until the first answer for this user
  Freshness fresh;
};

struct TlsEntry {
  TlsTarget target;
  std::optional<TlsProbeResult> result;
  // Failed SIP OPTIONS pings by SipOptionsResult::failure (monotonic while the target is known).
  std::map<std::string, std::uint64_t> sip_failures;
};

// Per-site registration counters (monotonic).
struct SiteRegistrationCounters {
  std::uint64_t checks = 0;
  std::uint64_t failures = 0;
  std::uint64_t to_reachable = 0;
  std::uint64_t to_unreachable = 0;
};

// Registration checks per minute for the 1 h and 24 h windows of the dashboard.
struct RegistrationWindow {
  static constexpr int kMinutes = 24 * 60;
  std::array<std::int64_t, kMinutes> minute{};  // minute index since epoch held by each slot
  std::array<std::uint64_t, kMinutes> checks{};
  std::array<std::uint64_t, kMinutes> failures{};
};

struct WindowTotals {
  std::uint64_t checks = 0;
  std::uint64_t failures = 0;
};

// Everything the state holds. Readers get a const reference under the lock.
struct TelephonyData {
  std::unordered_map<std::string, PhoneEntry> phones;
  std::unordered_map<std::string, StationEntry> stations;
  std::map<std::string, UserEntry> users;  // followed users only, ordered by id
  std::unordered_map<std::string, TrunkEntry> trunks;
  std::unordered_map<std::string, TrunkBase> trunk_bases;
  std::unordered_map<std::string, TrunkMetrics> trunk_metrics;
  std::unordered_map<std::string, EdgeEntry> edges;
  std::unordered_map<std::string, EdgeMetrics> edge_metrics;
  std::map<std::string, TlsEntry> tls;  // by host:port

  std::map<std::string, SiteRegistrationCounters> registration_by_site;
  std::uint64_t registration_checks = 0;
  std::uint64_t registration_successes = 0;
  std::optional<UnixNanos> last_registration_failure;
  RegistrationWindow window;

  // Inventory completeness: set once each complete inventory has been applied.
  bool phones_loaded = false;
  bool trunks_loaded = false;
  bool edges_loaded = false;
  bool stations_loaded = false;
  bool trunk_metrics_loaded = false;  // a complete trunk-metrics cycle: a trunk without metrics has none
  // `tls` is the whole target set (configuration plus discovery over a loaded trunk
  // inventory): only then is a target missing from it known to be gone.
  bool tls_targets_complete = false;

  std::uint64_t version = 0;  // bumped on every change

  // Phone lookup by line id (configured and status lines) and by WebRTC user,
  // maintained by ReplacePhones/ApplyPhoneStatus so that PhoneOfUser costs O(1)
  // instead of a scan of every phone per user and scrape. Entries may be stale
  // (a line that moved): PhoneOfUser verifies before trusting one. Data built by
  // hand without ReplacePhones has no index and falls back to a scan.
  // Values are phone ids (not pointers) so that copies of the data stay valid.
  std::unordered_map<std::string, std::string> phone_by_line;
  std::unordered_map<std::string, std::string> phone_by_webrtc_user;
  bool phone_index_built = false;

  WindowTotals RegistrationTotalsSince(UnixNanos now, int minutes) const;
  // The phone of a followed user: via the user's station (line appearance or
  // WebRTC user), or nullptr when none is associated or known.
  const PhoneEntry* PhoneOfUser(const std::string& user_id) const;
  // PhoneOfUser for every followed user; users without a phone are absent.
  std::unordered_map<std::string, const PhoneEntry*> PhonesOfUsers() const;
};

class TelephonyState {
 public:
  TelephonyState() = default;
  TelephonyState(const TelephonyState&) = delete;
  TelephonyState& operator=(const TelephonyState&) = delete;

  // Complete inventories: entities absent from the list are removed.
  // `observed_at` is when the request that produced the data was sent.
  void ReplacePhones(std::vector<Phone> phones, UnixNanos observed_at);
  void ReplaceStations(std::vector<Station> stations, UnixNanos observed_at);
  void ReplaceTrunks(std::vector<Trunk> trunks, UnixNanos observed_at);
  void ReplaceTrunkBases(std::vector<TrunkBase> bases);
  void ReplaceEdges(std::vector<Edge> edges, UnixNanos observed_at);

  // Partial updates (a push or one batch). Return false when the update was
  // older than what the state holds, or named an unknown entity.
  bool ApplyPhoneStatus(const PhoneStatusUpdate& update, UnixNanos observed_at);
  bool ApplyTrunkStatus(const TrunkStatusUpdate& update, UnixNanos observed_at);
  bool ApplyEdgeStatus(const EdgeStatusUpdate& update, UnixNanos observed_at);
  bool ApplyTrunkMetrics(const TrunkMetrics& metrics, UnixNanos observed_at);
  // After every trunk's metrics of one complete poll cycle have been applied.
  void MarkTrunkMetricsLoaded();
  bool ApplyEdgeMetrics(const EdgeMetrics& metrics, UnixNanos observed_at);
  bool ApplyUserStation(const UserStation& station, UnixNanos observed_at);

  // Followed users (from config). Unknown until their station is read.
  void SetFollowedUsers(const std::vector<std::string>& user_ids);

  // TLS targets (config + discovery) and probe results. `complete`: the list is the
  // whole set (discovery ran over a loaded trunk inventory, or discovery is off).
  void ReplaceTlsTargets(std::vector<TlsTarget> targets, bool complete);
  void ApplyTlsResult(const TlsProbeResult& result);

  // Which entities a push subscription covers (the rest are polled).
  void SetPushed(const std::vector<std::string>& phone_ids, const std::vector<std::string>& trunk_ids,
                 const std::vector<std::string>& edge_ids);

  // Runs `fn(const TelephonyData&)` under a shared lock. Keep it short.
  template <typename Fn>
  auto Read(Fn&& fn) const {
    std::shared_lock lock(mu_);
    return fn(static_cast<const TelephonyData&>(data_));
  }

  std::uint64_t version() const { return version_.load(); }

  // Called after every change, outside the lock, on the writer's thread.
  void AddChangeListener(std::function<void()> listener);

 private:
  void RecordObservation(const PhoneEntry* before, const Phone& after, UnixNanos now);
  void Changed();  // call with the lock held
  void Notify();   // call without the lock

  mutable std::shared_mutex mu_;
  TelephonyData data_;
  std::atomic<std::uint64_t> version_{0};
  std::mutex listeners_mu_;
  std::vector<std::function<void()>> listeners_;
};

}  // namespace gx
