#include "exporter/app/config_reload.h"

namespace gx {
namespace {

class Planner {
 public:
  Planner(const Config& running, const Config& loaded) : running_(running), loaded_(loaded) {
    plan_.effective = loaded;
  }

  // A restart-only field: the running value stays; a different one in the file is named.
  template <typename Section, typename Field>
  void Keep(const char* key, Section Config::*section, Field Section::*field) {
    const Field& was = running_.*section.*field;
    if (loaded_.*section.*field == was) return;
    plan_.restart_required.push_back(key);
    plan_.effective.*section.*field = was;
  }

  // A whole restart-only section (or top-level value).
  template <typename Section>
  void KeepSection(const char* key, Section Config::*section) {
    if (loaded_.*section == running_.*section) return;
    plan_.restart_required.push_back(key);
    plan_.effective.*section = running_.*section;
  }

  // A live part: named when it changes (after the restart-only fields inside it were kept).
  template <typename T>
  void Live(const char* key, const T& running, const T& effective) {
    if (!(running == effective)) plan_.changed.push_back(key);
  }

  ReloadPlan Take() { return std::move(plan_); }
  const Config& effective() const { return plan_.effective; }

 private:
  const Config& running_;
  const Config& loaded_;
  ReloadPlan plan_;
};

}  // namespace

ReloadPlan PlanReload(const Config& running, const Config& loaded) {
  Planner p(running, loaded);
  // The org and how it is reached: another org, or other credentials, are another exporter.
  p.Keep("genesys.client_id", &Config::genesys, &GenesysConfig::client_id);
  p.Keep("genesys.client_secret", &Config::genesys, &GenesysConfig::client_secret);
  p.Keep("genesys.region", &Config::genesys, &GenesysConfig::region);
  p.Keep("genesys.api_url", &Config::genesys, &GenesysConfig::api_url);
  p.Keep("genesys.login_url", &Config::genesys, &GenesysConfig::login_url);
  p.Keep("genesys.connect_timeout", &Config::genesys, &GenesysConfig::connect_timeout);
  p.Keep("genesys.request_timeout", &Config::genesys, &GenesysConfig::request_timeout);
  p.Keep("genesys.ca_file", &Config::genesys, &GenesysConfig::ca_file);
  // The shared request budget and what the pollers and the push channel are built around.
  p.KeepSection("rate_limit", &Config::rate_limit);
  p.Keep("collection.page_size", &Config::collection, &CollectionConfig::page_size);
  p.Keep("collection.users", &Config::collection, &CollectionConfig::users);
  p.Keep("collection.edge_metrics", &Config::collection, &CollectionConfig::edge_metrics);
  p.KeepSection("notifications", &Config::notifications);
  p.Keep("tls_probes.enabled", &Config::tls, &TlsProbeConfig::enabled);
  // Where the queues and the alert state live, and how active alerts are grouped.
  p.Keep("alerting.enabled", &Config::alerting, &AlertingConfig::enabled);
  p.Keep("alerting.spool_dir", &Config::alerting, &AlertingConfig::spool_dir);
  p.Keep("alerting.spool_max_bytes", &Config::alerting, &AlertingConfig::spool_max_bytes);
  p.Keep("alerting.state_file", &Config::alerting, &AlertingConfig::state_file);
  p.Keep("alerting.group_by", &Config::alerting, &AlertingConfig::group_by);
  // From the command line, which a reload does not read again: never different.
  p.KeepSection("--web.*", &Config::web);
  p.KeepSection("--log.level", &Config::log_level);
  p.KeepSection("--log.format", &Config::log_format);

  const Config& e = p.effective();
  p.Live("collection.intervals", running.collection.intervals, e.collection.intervals);
  p.Live("collection.per_phone", running.collection.per_phone, e.collection.per_phone);
  p.Live("collection.qos_mismatch_threshold", running.collection.qos_mismatch_threshold,
         e.collection.qos_mismatch_threshold);
  p.Live("tls_probes", running.tls, e.tls);
  p.Live("alerting", running.alerting, e.alerting);
  return p.Take();
}

}  // namespace gx
