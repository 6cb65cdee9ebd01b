#include "exporter/app/app.h"

#include <spdlog/spdlog.h>

#include "exporter/util/json_writer.h"
#include "exporter/util/url_redact.h"

#include "exporter/api/api_factory.h"
#include "exporter/app/spool_check.h"
#include "exporter/outputs/alerts/alert_engine.h"
#include "exporter/outputs/dashboard/dashboard.h"
#include "exporter/outputs/http/http_server.h"
#include "exporter/outputs/http/landing_page.h"
#include "exporter/outputs/http/metrics_renderer.h"
#include "exporter/outputs/http/web_config_reloader.h"
#include "exporter/outputs/webhook/webhook_dispatcher.h"
#include "exporter/sources/notifications/notification_listener.h"
#include "exporter/sources/poll/poll_scheduler.h"
#include "exporter/sources/tls/tls_prober.h"

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

App::App(Config config, const Clock& clock)
    : config_(std::move(config)), clock_(clock), parts_(std::make_unique<Parts>()) {}

App::~App() { Stop(); }

bool App::Start(std::string& error) {
  Parts& p = *parts_;
  telephony_.SetFollowedUsers(config_.collection.users);

  // Sources.
  p.api = MakeApiStack(config_, health_, clock_, &error);
  if (!p.api) return false;
  p.poller = std::make_unique<PollScheduler>(config_, p.api->api(), telephony_, health_, clock_);
  if (config_.tls.enabled) p.tls = std::make_unique<TlsProber>(config_.tls, telephony_, health_, clock_);
  if (config_.notifications.enabled) {
    PollScheduler* poller = p.poller.get();
    p.notifications = std::make_unique<NotificationListener>(
        config_.notifications, p.api->api(), p.api->token_source(), telephony_, health_, clock_,
        [poller](std::vector<std::string> collectors) { poller->TriggerResync(collectors); });
  }

  // Outputs.
  if (config_.alerting.enabled) {
    // Not fatal: notifications are still delivered, from memory. Said here, on the
    // landing page, in genesys_spool_writable and by GenesysSpoolNotWritable.
    std::string problems;
    for (const auto& m : CheckSpoolFolders(config_.alerting)) {
      spdlog::error("{}; webhook notifications are queued in memory only and alert state is not saved until it "
                    "can be written",
                    m);
      problems += (problems.empty() ? "" : "; ") + m;
    }
    health_.Update([&](HealthData& h) {
      h.spool.in_use = true;
      h.spool.dir = config_.alerting.spool_dir;
    });
    if (!problems.empty()) health_.RecordSpoolWrite(kSpoolFolderWriter, problems);
    if (!config_.alerting.receivers.empty()) {
      p.webhooks = std::make_unique<WebhookDispatcher>(WebhookOptionsFrom(config_.alerting), clock_, &health_);
    }
    AlertEngineOptions options;
    options.alerting = config_.alerting;
    options.eval.qos_mismatch_threshold = config_.collection.qos_mismatch_threshold;
    options.eval.tls_probes_enabled = config_.tls.enabled;
    options.eval.notifications_enabled = config_.notifications.enabled;
    p.alerts = std::make_unique<AlertEngine>(telephony_, health_, p.webhooks.get(), clock_, options);
  }
  CollectorOptions options;
  options.per_phone = config_.collection.per_phone;
  options.qos_mismatch_threshold = config_.collection.qos_mismatch_threshold;
  p.renderer = std::make_unique<MetricsRenderer>(telephony_, health_, options);

  HttpHandlers handlers;
  handlers.metrics = [this] { return parts_->renderer->Render(); };
  handlers.landing_page = [this] {
    HealthData h = health_.Read([](const HealthData& d) { return d; });
    return RenderLandingPage(h, config_.web.telemetry_path, clock_.Now());
  };
  handlers.ready = [this] { return health_.Read([](const HealthData& h) { return h.first_poll_complete; }); };
  handlers.dashboard = [this](const QueryParams& query) { return ServeDashboard(query); };
  HttpServerOptions server;
  if (!config_.web.web_config_file.empty()) {
    ConfigErrors errors;
    p.web_config = WebConfigReloader::Start(config_.web.web_config_file, clock_, &health_, errors);
    if (!p.web_config) {
      error.clear();
      for (const auto& m : errors.messages) error += (error.empty() ? "" : "; ") + m;
      return false;
    }
    server.policy = p.web_config->Source();
  }
  p.http = std::make_unique<HttpServer>(config_.web.telemetry_path, std::move(handlers), std::move(server));
  if (!p.http->Start(config_.web.listen_addresses, error)) return false;
  for (size_t i = 0; i < config_.web.listen_addresses.size(); ++i) {
    spdlog::info("listening on {} (port {})", config_.web.listen_addresses[i], p.http->ports()[i]);
  }

  if (p.webhooks) p.webhooks->Start();
  if (p.alerts) p.alerts->Start();
  p.poller->Start();
  if (p.tls) p.tls->Start();
  if (p.notifications && !p.notifications->Start(&error)) return false;
  spdlog::info("polling {} (budget {} requests/min)", RedactUrl(config_.genesys.api_url),
               config_.rate_limit.requests_per_minute);
  return true;
}

void App::Stop() {
  Parts& p = *parts_;
  if (p.api) p.api->Stop();  // cuts every budget and backoff wait short
  if (p.notifications) p.notifications->Stop();
  if (p.poller) p.poller->Stop();
  if (p.tls) p.tls->Stop();
  if (p.alerts) p.alerts->Stop();
  if (p.webhooks) p.webhooks->Stop();
  if (p.http) p.http->Stop();
}

WebResponse App::ServeDashboard(const std::multimap<std::string, std::string>& query) const {
  WebResponse r;
  std::map<std::string, std::string> params;
  for (const auto& [k, v] : query) params.emplace(k, v);  // the first value of a repeated key wins
  DashboardFilterResult filters = ParseDashboardFilters(params);
  if (!filters.error.empty()) {
    r.status = 400;
    JsonWriter w;
    w.BeginObject().Field("error", filters.error).EndObject();
    r.body = w.Take();
    return r;
  }
  std::vector<Alert> alerts = parts_->alerts ? parts_->alerts->ActiveAlerts() : std::vector<Alert>{};
  HealthData health = health_.Read([](const HealthData& h) { return h; });
  DashboardOptions options;
  options.per_phone = config_.collection.per_phone;
  options.qos_mismatch_threshold = config_.collection.qos_mismatch_threshold;
  const UnixNanos now = clock_.Now();
  r.body = telephony_.Read([&](const TelephonyData& t) {
    return RenderDashboard(t, health, alerts, filters.filters, options, now);
  });
  r.etag = DashboardETag(r.body);
  return r;
}

std::vector<int> App::http_ports() const { return parts_->http ? parts_->http->ports() : std::vector<int>{}; }

}  // namespace gx
