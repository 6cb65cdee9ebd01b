// The exporter's configuration: plain structs with defaults. Loaded from YAML
// (config_loader.h) and the environment; validated before anything starts.
// Each App part copies what it uses; a reload (app/config_reload.h) hands the parts new
// copies. Comparable, so that a reload can tell what changed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/clock.h"

namespace gx {

using Seconds = std::chrono::duration<double>;

struct GenesysConfig {
  std::string client_id;
  std::string client_secret;  // never logged
  std::string region;         // region domain, e.g. mypurecloud.com
  // Overrides; when absent, LoadConfig fills them from the region
  // (https://api.<region>, https://login.<region>), so after loading both are set.
  std::string api_url;
  std::string login_url;
  Seconds connect_timeout{5};
  Seconds request_timeout{30};
  std::string ca_file;        // extra CA bundle for the API (proxies, tests)

  bool operator==(const GenesysConfig&) const = default;
};

struct RateLimitConfig {
  int requests_per_minute = 150;  // client-side budget: half of Genesys's 300/min/token

  bool operator==(const RateLimitConfig&) const = default;
};

struct SourceIntervals {
  Seconds phones{60};
  Seconds stations{300};
  Seconds trunks{30};
  Seconds trunk_metrics{30};
  Seconds edges{60};
  Seconds edge_metrics{60};
  // While the push stream covers a source (trunks, trunk_metrics, edges, edge_metrics),
  // it is polled only this often; phones re-read pushed phones, and trunks their base
  // settings, this often too (docs/api-budget.md).
  Seconds resync{3600};
  double jitter = 0.1;  // each interval varies by up to ±10%

  bool operator==(const SourceIntervals&) const = default;
};

struct CollectionConfig {
  int page_size = 500;  // largest first; falls back when the API refuses it
  SourceIntervals intervals;
  bool per_phone = false;               // per-phone genesys_phone_registered series
  std::vector<std::string> users;       // followed user ids
  std::int64_t qos_mismatch_threshold = 0;
  bool edge_metrics = true;

  bool operator==(const CollectionConfig&) const = default;
};

struct TlsTargetConfig {
  std::string address;  // host:port (port 5061 when omitted)
  std::string server_name;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  Seconds timeout{10};

  bool operator==(const TlsTargetConfig&) const = default;
};

struct TlsProbeConfig {
  bool enabled = true;
  bool discover = true;  // targets from SIP-TLS external trunks
  Seconds interval{300};
  Seconds timeout{10};
  int concurrency = 8;
  std::string ca_file;  // default: the system store
  bool sip_options = false;
  std::vector<TlsTargetConfig> targets;

  bool operator==(const TlsProbeConfig&) const = default;
};

struct NotificationsConfig {
  bool enabled = true;
  int topic_budget = 20000;          // topics across all channels (20 channels x 1,000)
  int max_topics_per_channel = 1000;
  int max_channels = 20;
  Seconds heartbeat_timeout{70};     // about twice the 30 s heartbeat
  Seconds ping_timeout{10};
  Seconds rollover_before_expiry{600};
  Seconds min_rollover_interval{120};  // at most one rollover per channel this often, whatever the service says
  std::string ca_file;
  // Added with the listener (issue 6).
  bool edge_metrics_topics = true;    // subscribe .metrics of edges when the budget allows
  Seconds reconnect_initial{1};       // first reconnect delay; doubles per failure, with jitter
  Seconds reconnect_max{60};
  Seconds replan_interval{5};         // debounce between inventory changes and re-subscription
  Seconds connect_timeout{10};        // TCP + TLS + WebSocket handshake
  std::size_t max_frame_bytes = 1u << 20;  // larger frames are refused (the socket is rebuilt)

  bool operator==(const NotificationsConfig&) const = default;
};

struct AlertRuleConfig {
  bool enabled = true;
  Seconds for_duration{-1};  // negative: the rule's default (see docs/alerting.md)
  std::string severity;      // empty: the rule's default

  bool operator==(const AlertRuleConfig&) const = default;
};

struct ReceiverConfig {
  std::string name;
  std::string format = "generic";  // generic, alertmanager, slack, teams, pagerduty or seed
  std::vector<std::string> urls;
  std::vector<std::string> hmac_secrets;  // Standard Webhooks signing; first signs, all verify
  std::string routing_key;  // pagerduty: the integration's key (a secret: never logged or shown)
  Seconds timeout{10};
  Seconds retry_horizon{std::chrono::hours(24)};
  Seconds initial_backoff{1};
  Seconds max_backoff{300};
  std::string ca_file;
  bool send_resolved = true;
  bool watchdog = true;  // gets the heartbeat, when alerting.watchdog_interval is set

  bool operator==(const ReceiverConfig&) const = default;
};

// Where format pagerduty sends when a receiver names no URL: the Events API v2.
inline constexpr std::string_view kPagerDutyEventsUrl = "https://events.pagerduty.com/v2/enqueue";

// The heartbeat goes to generic and alertmanager receivers only: a chat channel or a pager
// would notify people on every beat.
inline bool TakesHeartbeat(const ReceiverConfig& r) {
  return r.watchdog && (r.format == "generic" || r.format == "alertmanager");
}

struct AlertingConfig {
  bool enabled = true;
  std::map<std::string, AlertRuleConfig> rules;  // by alert type
  // Site alert thresholds, the Prometheus rule GenesysSiteRegistrationLow's (docs/alerting.md):
  // warning above 10 % of the lines unregistered (below 90 % registered), critical above 50 %.
  double site_unregistered_ratio = 0.1;
  double site_unregistered_ratio_critical = 0.5;
  int site_min_lines = 1;              // smaller sites never raise the site-ratio alert
  bool per_phone = false;              // registration_failure for every phone
  std::vector<std::string> phones;     // registration_failure for these phone ids
  Seconds evaluation_interval{15};     // periodic tick besides every state change
  Seconds resend_interval{60};         // alertmanager receivers: re-send active alerts
  Seconds tls_warning{30 * 86400.0};
  Seconds tls_critical{7 * 86400.0};
  Seconds blind_after{300};
  // The heartbeat to the receivers (alert_watchdog.h); 0 = off, as a receiver that pages on
  // every message must not get it. Turn it on for a dead-man's-switch receiver.
  Seconds watchdog_interval{0};
  std::vector<std::string> group_by = {"alertname", "site"};
  Seconds group_wait{30};
  Seconds group_interval{300};
  Seconds repeat_interval{4 * 3600.0};
  int group_max_ids = 20;
  // Grid of the startsAt that notification ids are derived from (never coarser than a
  // rule's `for`), so that two replicas send the same ids; 0: the exact startsAt.
  Seconds notification_id_resolution{60};
  std::vector<ReceiverConfig> receivers;
  std::string spool_dir = "/var/lib/genesys_exporter/spool";
  std::uint64_t spool_max_bytes = 64ull << 20;
  std::string state_file;  // firing alerts survive restarts; default <spool_dir>/alerts.state

  bool operator==(const AlertingConfig&) const = default;
};

// The web flags (--web.*); not in the YAML file.
struct WebConfig {
  std::vector<std::string> listen_addresses = {":9786"};
  bool systemd_socket = false;  // take the sockets from systemd instead of listen_addresses
  std::string telemetry_path = "/metrics";
  std::string web_config_file;
  std::size_t max_connections = 512;
  UnixNanos read_timeout = 300 * kNanosPerSecond;  // a whole request; also the keep-alive idle time

  bool operator==(const WebConfig&) const = default;
};

struct Config {
  GenesysConfig genesys;
  RateLimitConfig rate_limit;
  CollectionConfig collection;
  TlsProbeConfig tls;
  NotificationsConfig notifications;
  AlertingConfig alerting;
  WebConfig web;
  std::string log_level = "info";
  std::string log_format = "logfmt";

  bool operator==(const Config&) const = default;
};

}  // namespace gx
