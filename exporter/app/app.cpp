#include "exporter/app/app.h"

#include "exporter/genesys/api/api_factory.h"
#include "exporter/app/config_reload.h"
#include "exporter/app/spool_check.h"
#include "exporter/outputs/alerts/alert_engine.h"
#include "exporter/outputs/dashboard/dashboard_route.h"
#include "exporter/outputs/http/http_server.h"
#include "exporter/outputs/http/landing_page.h"
#include "exporter/outputs/http/metrics_renderer.h"
#include "exporter/outputs/http/status_page.h"
#include "exporter/outputs/http/web_config_reloader.h"
#include "exporter/outputs/webhook/webhook_dispatcher.h"
#include "exporter/sources/notifications/notification_listener.h"
#include "exporter/sources/poll/poll_scheduler.h"
#include "exporter/sources/tls/tls_prober.h"
#include "exporter/state/self_metrics.h"
#include "exporter/util/logging.h"
#include "exporter/util/url_redact.h"

namespace gx {

struct App::Parts {
  std::unique_ptr<ApiStack> api;
  std::unique_ptr<PollScheduler> poller;
  std::unique_ptr<TlsProber> tls;
  std::unique_ptr<NotificationListener> notifications;
  std::unique_ptr<WebhookDispatcher> webhooks;
  std::unique_ptr<AlertEngine> alerts;
  std::unique_ptr<MetricsRenderer> renderer;
  std::unique_ptr<WebConfigReloader> web_config;  // outlives the server that asks it
  std::unique_ptr<HttpServer> http;
};

namespace {

AlertEvalOptions EvalOptionsFrom(const Config& c) {
  AlertEvalOptions eval;
  eval.qos_mismatch_threshold = c.collection.qos_mismatch_threshold;
  eval.tls_probes_enabled = c.tls.enabled;
  eval.notifications_enabled = c.notifications.enabled;
  return eval;
}

CollectorOptions CollectorOptionsFrom(const Config& c) {
  CollectorOptions options;
  options.per_phone = c.collection.per_phone;
  options.qos_mismatch_threshold = c.collection.qos_mismatch_threshold;
  return options;
}

std::string Join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : separator) + i;
  return out;
}

}  // namespace

App::App(Config config, const Clock& clock, ConfigSource source)
    : config_(std::move(config)),
      clock_(clock),
      source_(std::move(source)),
      live_(std::make_shared<const Config>(config_)),
      parts_(std::make_unique<Parts>()) {
  health_.Update([&](HealthData& h) { h.config.last_success = h.config.last_attempt = clock_.Now(); });
}

App::~App() { Stop(); }

std::shared_ptr<const Config> App::Live() const {
  std::lock_guard lock(live_mu_);
  return live_;
}

Status App::Start() {
  Parts& p = *parts_;
  telephony_.SetFollowedUsers(config_.collection.users);

  // Sources.
  Result<std::unique_ptr<ApiStack>> api = MakeApiStack(config_, health_, clock_);
  if (!api) return api.status();
  p.api = std::move(api).value();
  p.poller = std::make_unique<PollScheduler>(config_, p.api->api(), telephony_, health_, clock_);
  if (config_.tls.enabled) p.tls = std::make_unique<TlsProber>(config_.tls, telephony_, health_, clock_);
  if (config_.notifications.enabled) {
    PollScheduler* poller = p.poller.get();
    p.notifications = std::make_unique<NotificationListener>(
        config_.notifications, p.api->api(), p.api->token_source(), telephony_, health_, clock_,
        [poller](const StreamReport& report) { poller->OnStream(report); });
  }

  // Outputs.
  if (config_.alerting.enabled) {
    // Not fatal: alert messages are still delivered, from memory. Said here, on the
    // landing page, in genesys_spool_writable and by GenesysSpoolNotWritable.
    std::string problems;
    for (const auto& m : CheckSpoolFolders(config_.alerting)) {
      LogError(
          "spool not writable; webhook notifications are queued in memory only and alert state is not saved "
          "until it can be written",
          {{"err", m}});
      problems += (problems.empty() ? "" : "; ") + m;
    }
    health_.Update([&](HealthData& h) {
      h.spool.in_use = true;
      h.spool.dir = config_.alerting.spool_dir;
    });
    if (!problems.empty()) health_.RecordSpoolWrite(kSpoolFolderWriter, Status::Error(problems));
    // Also without receivers: a reload may add some.
    p.webhooks = std::make_unique<WebhookDispatcher>(WebhookOptionsFrom(config_.alerting), clock_, &health_);
    AlertEngineOptions options;
    options.alerting = config_.alerting;
    options.eval = EvalOptionsFrom(config_);
    p.alerts = std::make_unique<AlertEngine>(telephony_, health_, p.webhooks.get(), clock_, options);
  }
  p.renderer = std::make_unique<MetricsRenderer>(telephony_, health_, CollectorOptionsFrom(config_));

  HttpHandlers handlers;
  handlers.metrics = [this](bool gzip) { return parts_->renderer->Render(gzip); };
  handlers.landing_page = [this] {
    HealthData h = health_.Read([](const HealthData& d) { return d; });
    return RenderLandingPage(h, health_.self_metrics().WebhookReceivers(), config_.web.telemetry_path, clock_.Now());
  };
  handlers.status_page = [this] { return ServeStatusPage(); };
  handlers.ready = [this] { return health_.Read([](const HealthData& h) { return h.first_poll_complete; }); };
  handlers.dashboard = [this](const QueryParams& query) {
    const std::shared_ptr<const Config> live = Live();
    DashboardInputs in{telephony_, health_, {}, {}, clock_};
    if (parts_->alerts) in.active_alerts = [this] { return parts_->alerts->ActiveAlerts(); };
    in.options.per_phone = live->collection.per_phone;
    in.options.qos_mismatch_threshold = live->collection.qos_mismatch_threshold;
    DashboardAnswer answer = AnswerDashboard(query, in);
    WebResponse r;
    r.status = answer.status;
    r.body = std::move(answer.body);
    r.etag = std::move(answer.etag);
    return r;
  };
  handlers.reload = [this] {
    ReloadOutcome outcome = Reload();
    WebResponse r;
    r.status = outcome.ok ? 200 : 500;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(outcome.text);
    return r;
  };
  HttpServerOptions web;
  web.limits.max_connections = config_.web.max_connections;
  web.limits.read_timeout = config_.web.read_timeout;
  web.limits.idle_timeout = config_.web.read_timeout;  // as Go's http.Server without an IdleTimeout
  web.health = &health_;
  web.systemd_socket = config_.web.systemd_socket;
  if (!config_.web.web_config_file.empty()) {
    ConfigErrors errors;
    p.web_config = WebConfigReloader::Start(config_.web.web_config_file, clock_, &health_, errors);
    if (!p.web_config) return Status::Error(Join(errors.messages, "; "));
    web.policy = p.web_config->Source();
  }
  p.http = std::make_unique<HttpServer>(config_.web.telemetry_path, std::move(handlers), web);
  if (Status listening = p.http->Start(config_.web.listen_addresses); !listening) return listening;
  // For people; programs that start the exporter on port 0 read --web.port-file (run_main.cpp).
  const auto ports = p.http->ports();
  const auto bound = p.http->bound();
  for (size_t i = 0; i < ports.size(); ++i) {
    const bool asked = !config_.web.systemd_socket && i < config_.web.listen_addresses.size();
    LogInfo("listening", {{"address", asked ? config_.web.listen_addresses[i] : bound[i]},
                          {"port", ports[i]},
                          {"bound", asked ? bound[i] : "systemd socket"}});
  }

  if (p.webhooks) p.webhooks->Start();
  if (p.alerts) p.alerts->Start();
  p.poller->Start();
  if (p.tls) p.tls->Start();
  if (p.notifications) {
    if (Status listening = p.notifications->Start(); !listening) return listening;
  }
  LogInfo("polling the Genesys API",
          {{"url", config_.genesys.api_url}, {"budget_per_min", config_.rate_limit.requests_per_minute}});
  std::lock_guard lock(reload_mu_);
  started_ = true;
  return Status::Ok();
}

void App::Stop() {
  {
    std::lock_guard lock(reload_mu_);  // waits for a reload in progress
    stopping_ = true;
  }
  Parts& p = *parts_;
  if (p.api) p.api->Stop();  // cuts every budget and backoff wait short
  if (p.notifications) p.notifications->Stop();
  if (p.poller) p.poller->Stop();
  if (p.tls) p.tls->Stop();
  if (p.alerts) p.alerts->Stop();
  if (p.webhooks) p.webhooks->Stop();
  if (p.http) p.http->Stop();
}

// The same inputs as the dashboard: one truth for both.
std::string App::ServeStatusPage() const {
  std::vector<Alert> alerts = parts_->alerts ? parts_->alerts->ActiveAlerts() : std::vector<Alert>{};
  HealthData health = health_.Read([](const HealthData& h) { return h; });
  const std::shared_ptr<const Config> live = Live();
  StatusPageOptions options;
  options.qos_mismatch_threshold = live->collection.qos_mismatch_threshold;
  options.alerting = parts_->alerts != nullptr;
  const UnixNanos now = clock_.Now();
  const TelephonySnapshot snapshot = telephony_.Snapshot();  // no lock held while rendering
  return RenderStatusPage(*snapshot, health, health_.self_metrics().WebhookReceivers(), alerts, options, now);
}

ReloadOutcome App::Reload() {
  std::lock_guard lock(reload_mu_);
  ReloadOutcome out;
  if (stopping_ || !started_) {
    out.text = "not reloaded: the exporter is not running (starting or stopping)\n";
    return out;
  }
  if (!source_) {
    out.text = "not reloaded: no configuration source\n";
    return out;
  }
  Config loaded;
  ConfigErrors errors = source_(loaded);
  const UnixNanos now = clock_.Now();
  if (!errors.ok()) {
    for (const auto& m : errors.messages) {
      LogError("configuration reload refused, the running configuration stays", {{"err", m}});
    }
    health_.Update([&](HealthData& h) {
      h.config.last_successful = false;
      h.config.last_attempt = now;
      h.config.errors = errors.messages;
    });
    out.text = Join(errors.messages, "\n") + "\n";
    return out;
  }
  const std::shared_ptr<const Config> running = Live();
  ReloadPlan plan = PlanReload(*running, loaded);
  ApplyLive(*running, plan.effective);
  // A part that is off (tls_probes or alerting disabled until a restart) applies nothing.
  std::erase_if(plan.changed, [&](const std::string& part) {
    return (part == "tls_probes" && !parts_->tls) || (part == "alerting" && !parts_->alerts);
  });
  {
    std::lock_guard l(live_mu_);
    live_ = std::make_shared<const Config>(std::move(plan.effective));
  }
  health_.Update([&](HealthData& h) {
    h.config.last_successful = true;
    h.config.last_success = h.config.last_attempt = now;
    h.config.errors.clear();
    h.config.restart_required = plan.restart_required;
  });
  out.ok = true;
  out.text = plan.changed.empty() ? "configuration reloaded: no live setting changed\n"
                                  : "configuration reloaded: applied " + Join(plan.changed, ", ") + "\n";
  LogInfo("configuration reloaded", {{"applied", plan.changed.empty() ? "none" : Join(plan.changed, ",")}});
  if (!plan.restart_required.empty()) {
    const std::string keys = Join(plan.restart_required, ", ");
    LogWarn("configuration reload: settings changed that apply only after a restart; the running values stay",
            {{"restart_required", Join(plan.restart_required, ",")}});
    out.text += "restart required for: " + keys + " (the running values stay until then)\n";
  }
  return out;
}

void App::ApplyLive(const Config& running, const Config& next) {
  Parts& p = *parts_;
  if (!(running.collection.intervals == next.collection.intervals)) p.poller->SetIntervals(next.collection.intervals);
  if (p.tls && !(running.tls == next.tls)) {
    // A new prober over the same state: certificates and the published targets stay until it
    // has probed again; removed targets go once it publishes its (complete) target list.
    p.tls->Stop();
    p.tls = std::make_unique<TlsProber>(next.tls, telephony_, health_, clock_);
    p.tls->Start();
  }
  const bool qos_changed = running.collection.qos_mismatch_threshold != next.collection.qos_mismatch_threshold;
  if (p.alerts && (!(running.alerting == next.alerting) || qos_changed)) {
    p.webhooks->Reconfigure(WebhookOptionsFrom(next.alerting));  // first, so that new receivers get what follows
    p.alerts->Reconfigure(next.alerting, EvalOptionsFrom(next));
  }
  if (qos_changed || running.collection.per_phone != next.collection.per_phone) {
    p.renderer->SetOptions(CollectorOptionsFrom(next));
  }
}

std::vector<int> App::http_ports() const { return parts_->http ? parts_->http->ports() : std::vector<int>{}; }

}  // namespace gx
