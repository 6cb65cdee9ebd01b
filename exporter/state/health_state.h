// HealthState: how the exporter itself is doing — each source's last run, API retries,
// OAuth, the notification stream, the alert evaluator and the last webhook failures; what is
// counted as it happens (API requests, webhook delivery, the push queue) is in its
// SelfMetrics. Sources and outputs write; the /metrics collectors read with Read(). Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exporter/util/clock.h"
#include "exporter/util/result.h"

namespace gx {

class SelfMetrics;  // self_metrics.h: prometheus-cpp stays out of this widely included header

// The most recent failure of a source, kept after it recovers, so that the landing page can
// say what went wrong and when (a start-up that never got going, a night's outage).
struct LastFailure {
  std::string error;  // empty: never failed
  UnixNanos at = 0;
};

// One source: phones, stations, trunks, trunk_metrics, edges, edge_metrics, tls, notifications.
struct SourceHealth {
  bool up = false;
  bool ran = false;
  std::optional<UnixNanos> last_success;
  double last_duration_seconds = 0;
  std::uint64_t last_cycle_requests = 0;
  double interval_seconds = 0;            // effective (possibly stretched) interval
  double configured_interval_seconds = 0;
  std::string last_error;                 // empty when the last run succeeded
  LastFailure last_failure;
  // Listing pages of the current (or last) run: fetched so far, and expected from the API's
  // pageCount (page_progress.h). 0 and 0 for sources that do not page.
  std::int64_t pages_done = 0;
  std::int64_t pages_expected = 0;
  // No success within its staleness bound (a run may be stuck, e.g. behind a closed request
  // budget): reported as failed until the next successful run. Set by MarkStaleSources.
  bool stale = false;
};

// A source that has not succeeded for this many effective intervals is stale.
inline constexpr double kStaleAfterIntervals = 3;

// How long `c` may go without a successful run: `intervals` effective (else configured)
// intervals; kMaxNanos when no interval is known.
UnixNanos StalenessBound(const SourceHealth& c, double intervals = kStaleAfterIntervals);

// True when `c` last succeeded no longer than its staleness bound before `now`.
bool SucceededWithinBound(const SourceHealth& c, UnixNanos now, double intervals = kStaleAfterIntervals);

// What MarkStaleSources found.
struct StaleMarks {
  std::vector<std::string> newly_stale;  // sources that just went stale
  bool nothing_polled = false;           // no API request within the shortest bound
};

struct NotificationHealth {
  bool connected = false;
  int channels = 0;
  int subscribed_topics = 0;
  int pushed_phones = 0;
  int polled_phones = 0;
  std::map<std::string, std::uint64_t> events_by_kind;      // topic_kind -> count
  std::uint64_t malformed = 0;
  std::optional<UnixNanos> last_message;
  std::map<std::string, std::uint64_t> reconnects_by_reason;
  std::vector<std::string> rejected_topics;  // with missing permissions, for the dashboard
  // Added with the listener (issue 6).
  std::uint64_t unknown_topics = 0;  // frames for topics we do not route (also counted as "other")
  std::uint64_t stale_events = 0;    // older than the state, or naming an entity it does not know
  std::uint64_t resyncs = 0;         // REST resyncs requested after a gap
  // The push applier's queue and apply delay: SelfMetrics::ApplyQueue().
};

// Why a webhook notification was lost undelivered (and not dead-lettered): the `reason`
// label of genesys_webhook_spool_dropped_total.
inline constexpr const char* kDropSpoolFull = "spool_full";  // refused: the queue held spool_max_bytes
inline constexpr const char* kDropDamaged = "damaged";       // spool file unreadable at start, moved to *.damaged
inline constexpr const char* kDropBadName = "bad_name";      // spool file not named <seq>.msg, moved to *.rejected
inline constexpr std::array<const char*, 3> kWebhookDropReasons = {kDropSpoolFull, kDropDamaged, kDropBadName};

// One webhook receiver's delivery counts, as SelfMetrics' series hold them (WebhookReceivers()).
struct WebhookCounts {
  std::uint64_t delivered = 0;     // answered 2xx
  std::uint64_t failures = 0;      // failed delivery attempts
  std::uint64_t dead_letters = 0;
  std::uint64_t queue_length = 0;  // waiting, the on-disk spool included
  std::uint64_t queue_memory_only = 0;
  std::map<std::string, std::uint64_t> dropped;  // lost undelivered, by reason (kWebhookDropReasons)
};

// The writer name of the start-up check of the spool folder.
inline constexpr const char* kSpoolFolderWriter = "folder";

// The spool folder (alerting.spool_dir), where queued webhooks and the alert state live.
struct SpoolHealth {
  bool in_use = false;  // alerting is on
  std::string dir;
  // Writer ("folder", "alert state", "receiver ops #0") -> the error of its last write,
  // while that failed. A success clears the writer's entry and the start-up check's.
  std::map<std::string, std::string> errors;
  bool writable() const { return errors.empty(); }
};

// Loads of a file read at start and again on a reload: the configuration file (SIGHUP,
// POST /-/reload) and --web.config.file (when it, or a file it names, changes). A refused
// load keeps the last good one in force.
struct FileLoadHealth {
  bool in_use = false;  // such a file is loaded (the configuration always; the web config with its flag)
  std::string path;
  bool last_successful = true;            // the last load worked, or none was tried yet
  std::optional<UnixNanos> last_success;  // the start counts as one
  std::optional<UnixNanos> last_attempt;
  std::vector<std::string> errors;            // why the last load was refused (empty when it was not)
  std::vector<std::string> restart_required;  // settings of the file that apply only after a restart
};

// The web server's connections (the `reason` labels of genesys_web_connections_rejected_total
// and genesys_web_connections_closed_total). Every reason has a series from the start.
inline constexpr std::array<const char*, 2> kWebRejectReasons = {
    "max_connections",  // at the cap, and every connection was answering a request: closed at once
    "accept_error",     // accept() failed (e.g. out of file descriptors)
};
inline constexpr std::array<const char*, 12> kWebCloseReasons = {
    "client",           // the client closed or reset it
    "done",             // after a response that ended the connection (Connection: close, HTTP/1.0)
    "evicted",          // the oldest idle connection, dropped at the cap to admit a new one
    "header_timeout",   // the request header did not arrive in time (slowloris)
    "request_timeout",  // the request body did not arrive within --web.read-timeout
    "idle_timeout",     // a kept-alive connection sent no request within --web.read-timeout
    "write_timeout",    // the client did not take the response in time
    "tls_handshake",    // the TLS handshake failed
    "malformed",        // not HTTP/1.x: answered 400
    "header_limit",     // header too large or too many fields: answered 431
    "body_limit",       // body larger than the limit: answered 413, not read
    "shutdown",         // the exporter stopped
};

struct WebHealth {
  bool serving = false;  // the web server has started
  std::uint64_t max_connections = 0;
  std::uint64_t open = 0;
  std::uint64_t accepted = 0;
  std::map<std::string, std::uint64_t> rejected;  // reason (kWebRejectReasons)
  std::map<std::string, std::uint64_t> closed;    // reason (kWebCloseReasons)
};

struct HealthData {
  std::optional<bool> genesys_up;  // unknown until the first attempt
  std::optional<UnixNanos> last_api_request;  // end of the last API request, whatever its answer
  std::map<std::string, SourceHealth> sources;
  // API request counts and durations: SelfMetrics (HealthState::self_metrics()).
  std::map<std::pair<std::string, std::string>, std::uint64_t> api_retries;   // (endpoint, reason)
  std::optional<double> rate_limit_remaining;
  std::uint64_t oauth_requests = 0;
  std::uint64_t oauth_failures = 0;
  std::optional<UnixNanos> oauth_token_expiry;
  LastFailure oauth_last_failure;
  NotificationHealth notifications;
  std::map<std::pair<std::string, std::string>, int> alerts_firing;  // (alertname, severity)
  // Receiver -> its last failed delivery attempt; the delivery counts: SelfMetrics::WebhookReceivers().
  std::map<std::string, LastFailure> webhook_failures;
  SpoolHealth spool;
  FileLoadHealth config;  // the configuration file
  WebHealth web;
  FileLoadHealth web_config;  // --web.config.file (TLS, basic auth, headers)
  bool first_poll_complete = false;
};

class HealthState {
 public:
  HealthState();
  ~HealthState();

  // Runs `fn(HealthData&)` under the lock: the one way to write.
  template <typename Fn>
  auto Update(Fn&& fn) {
    std::lock_guard lock(mu_);
    return fn(data_);
  }
  // Runs `fn(const HealthData&)` under the lock.
  template <typename Fn>
  auto Read(Fn&& fn) const {
    std::lock_guard lock(mu_);
    return fn(static_cast<const HealthData&>(data_));
  }

  // Helpers for the hot paths.
  void RecordApiRequest(const std::string& endpoint, const std::string& code, double seconds,
                        UnixNanos finished_at);
  void RecordApiRetry(const std::string& endpoint, const std::string& reason);
  // One run of `source`: ok, or why it failed.
  void RecordSourceRun(const std::string& source, const Status& outcome, UnixNanos finished_at, double seconds,
                       std::uint64_t requests);
  // The outcome of one write into the spool folder by `writer`.
  void RecordSpoolWrite(const std::string& writer, const Status& outcome);
  // Marks each of `sources` that has not succeeded within its staleness bound as failed
  // (up false, stale, last_error says since when); one that never succeeded gets the bound
  // from `started_at`. When no API request at all has ended within the shortest bound of
  // the sources that poll (a run that needed no request does not count), nothing is
  // being polled: genesys_up is set false too, so that a stalled exporter never looks healthy.
  StaleMarks MarkStaleSources(const std::vector<std::string>& sources, UnixNanos started_at, UnixNanos now);

  // What is counted as it happens, as prometheus-cpp types (thread-safe on its own).
  const SelfMetrics& self_metrics() const { return *self_; }
  SelfMetrics& self_metrics() { return *self_; }

 private:
  mutable std::mutex mu_;
  HealthData data_;
  std::unique_ptr<SelfMetrics> self_;
};

}  // namespace gx
