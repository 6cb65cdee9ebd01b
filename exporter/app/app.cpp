#include "exporter/app/app.h"

#include <spdlog/spdlog.h>

#include "exporter/outputs/http/http_server.h"
#include "exporter/outputs/http/landing_page.h"
#include "exporter/outputs/http/metrics_renderer.h"

namespace gx {

struct App::Parts {
  std::unique_ptr<MetricsRenderer> renderer;
  std::unique_ptr<HttpServer> http;
};

App::App(Config config, const Clock& clock)
    : config_(std::move(config)), clock_(clock), parts_(std::make_unique<Parts>()) {}

App::~App() { Stop(); }

bool App::Start(std::string& error) {
  telephony_.SetFollowedUsers(config_.collection.users);

  CollectorOptions options;
  options.per_phone = config_.collection.per_phone;
  options.qos_mismatch_threshold = config_.collection.qos_mismatch_threshold;
  parts_->renderer = std::make_unique<MetricsRenderer>(telephony_, health_, options);

  HttpHandlers handlers;
  handlers.metrics = [this] { return parts_->renderer->Render(); };
  handlers.landing_page = [this] {
    HealthData h = health_.Read([](const HealthData& d) { return d; });
    return RenderLandingPage(h, config_.web.telemetry_path, clock_.Now());
  };
  handlers.ready = [this] { return health_.Read([](const HealthData& h) { return h.first_poll_complete; }); };
  handlers.dashboard = [this](const QueryParams&) {
    HttpResult r;
    r.body = "{}";
    return r;
  };
  parts_->http = std::make_unique<HttpServer>(config_.web.telemetry_path, std::move(handlers));
  if (!parts_->http->Start(config_.web.listen_addresses, error)) return false;
  for (size_t i = 0; i < config_.web.listen_addresses.size(); ++i) {
    spdlog::info("listening on {} (port {})", config_.web.listen_addresses[i], parts_->http->ports()[i]);
  }
  return true;
}

void App::Stop() {
  if (parts_->http) parts_->http->Stop();
}

std::vector<int> App::http_ports() const { return parts_->http ? parts_->http->ports() : std::vector<int>{}; }

}  // namespace gx
