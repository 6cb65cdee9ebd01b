#include "exporter/outputs/webhook/webhook_dispatcher.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>

#include "exporter/outputs/alerts/alert_conditions.h"
#include "exporter/outputs/webhook/pagerduty_format.h"
#include "exporter/outputs/webhook/payload_format.h"
#include "exporter/outputs/webhook/receiver_format.h"
#include "exporter/outputs/webhook/spool_layout.h"
#include "exporter/outputs/webhook/webhook_backoff.h"
#include "exporter/outputs/webhook/webhook_sender.h"
#include "exporter/outputs/webhook/webhook_signer.h"
#include "exporter/state/self_metrics.h"
#include "exporter/util/durable_file.h"
#include "exporter/util/iso_time.h"
#include "exporter/util/json_writer.h"
#include "exporter/util/logging.h"
#include "exporter/util/thread_name.h"
#include "exporter/util/time_math.h"
#include "exporter/util/url.h"
#include "exporter/util/url_redact.h"

namespace gx {
namespace {

// Alertmanager's API path when the URL names only the server.
std::string AlertmanagerUrl(const std::string& url) {
  const Result<Url> parsed = ParseUrl(url);
  if (!parsed || !parsed->origin_only()) return url;
  return url.substr(0, url.size() - parsed->path.size()) + "/api/v2/alerts";
}

std::string FormatSeconds(UnixNanos n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3fs", ToSeconds(n));
  return buf;
}

// Firing alerts pushed to Alertmanager stay active there this long unless pushed again, as
// Prometheus does (4 x its resend delay): a missed resend or two does not resolve them.
UnixNanos FiringTtl(Seconds resend_interval) { return SaturatingMul(4, SecondsToNanos(resend_interval.count())); }

// Queued kinds whose body is a push of firing alerts with endsAt = created + FiringTtl (the
// incremental ones may also carry resolved alerts: by then this Alertmanager has let the
// replica's firing copy of them expire anyway, as it was pushed earlier).
bool ExpiresInAlertmanager(const std::string& kind) { return kind == "alerts" || kind == "alerts-full"; }

RateLimitedLog& Log() {
  static RateLimitedLog log;
  return log;
}

}  // namespace

WebhookDispatcherOptions WebhookOptionsFrom(const AlertingConfig& cfg) {
  WebhookDispatcherOptions o;
  o.receivers = cfg.receivers;
  o.spool_dir = cfg.spool_dir;
  o.spool_max_bytes = cfg.spool_max_bytes;
  o.group_max_ids = cfg.group_max_ids;
  o.ids.resolution = SecondsToNanos(cfg.notification_id_resolution.count());
  o.ids.repeat_interval = SecondsToNanos(cfg.repeat_interval.count());
  for (std::string_view type : {kRegistrationFailure, kCarrierDegradation, kTlsCertExpiry, kEdgeOffline,
                                kMonitoringBlind}) {
    o.ids.hold[std::string(type)] = SecondsToNanos(RuleForDuration(cfg, type).count());
  }
  o.resend_interval = cfg.resend_interval;
  return o;
}

WebhookDispatcher::WebhookDispatcher(WebhookDispatcherOptions options, const Clock& clock, HealthState* health)
    : clock_(clock), health_(health), opt_(std::move(options)), rng_(std::random_device{}()), jitter_(opt_.jitter) {
  endpoints_ = MakeEndpoints(opt_, nullptr);
  for (const auto& e : endpoints_) PublishQueue(*e);
}

std::vector<std::unique_ptr<WebhookDispatcher::Endpoint>> WebhookDispatcher::MakeEndpoints(
    const WebhookDispatcherOptions& options, std::vector<std::unique_ptr<Endpoint>>* reuse) {
  if (!options.spool_dir.empty()) MigrateLegacySpools(options.spool_dir, options.receivers);
  std::vector<std::unique_ptr<Endpoint>> out;
  for (const auto& config : options.receivers) {
    auto r = std::make_shared<const ReceiverConfig>(config);
    for (size_t i = 0; i < r->urls.size(); ++i) {
      const std::string folder = SpoolFolderName(r->name, static_cast<int>(i));
      const std::string url = r->format == "alertmanager" ? AlertmanagerUrl(r->urls[i]) : r->urls[i];
      if (reuse) {
        auto it = std::find_if(reuse->begin(), reuse->end(), [&](const auto& e) { return e->folder == folder; });
        if (it != reuse->end()) {
          std::unique_ptr<Endpoint> e = std::move(*it);
          reuse->erase(it);
          std::lock_guard l(e->mu);
          if (e->url != url) e->attempts = e->next_attempt = 0;  // a new URL is tried at once
          e->receiver = r;
          e->url = url;
          e->firing_ttl = FiringTtl(options.resend_interval);
          out.push_back(std::move(e));
          continue;
        }
      }
      auto e = std::make_unique<Endpoint>();
      e->folder = folder;
      e->receiver = r;
      e->name = r->name;
      e->index = static_cast<int>(i);
      e->writer = "receiver " + r->name + " #" + std::to_string(i);
      e->url = url;
      e->firing_ttl = FiringTtl(options.resend_interval);
      e->dead_letter_path = options.spool_dir + "/" + DeadLetterFileName(r->name);
      e->spool = std::make_unique<WebhookSpool>(options.spool_dir + "/" + folder, options.spool_max_bytes);
      if (!e->spool->status()) {
        LogError("webhook spool unwritable; notifications are queued in memory only until it can be written",
                 {{"receiver", r->name}, {"err", e->spool->status().error()}});
      }
      for (const auto& item : e->spool->items()) {
        if (e->recent_ids.insert(item.id).second) e->recent_order.push_back(item.id);
      }
      if (!e->spool->items().empty()) {
        LogInfo("webhook notifications left in the spool from an earlier run",
                {{"receiver", r->name}, {"count", e->spool->items().size()}});
      }
      if (health_) {
        for (const auto& [reason, n] : e->spool->load_drops()) {
          health_->self_metrics().CountWebhookDropped(r->name, reason, n);
        }
        if (!e->spool->status()) health_->RecordSpoolWrite(e->writer, e->spool->status());
      }
      out.push_back(std::move(e));
    }
    if (health_) health_->self_metrics().AddWebhookReceiver(r->name);
  }
  return out;
}

void WebhookDispatcher::Reconfigure(WebhookDispatcherOptions options) {
  std::lock_guard control(control_mu_);
  std::vector<std::unique_ptr<Endpoint>> retired;
  {
    std::unique_lock lock(endpoints_mu_);
    options.spool_dir = opt_.spool_dir;
    options.spool_max_bytes = opt_.spool_max_bytes;
    retired = std::move(endpoints_);
    endpoints_ = MakeEndpoints(options, &retired);
    opt_ = std::move(options);
    for (auto& e : retired) e->retired = true;
  }
  Wake();
  std::set<std::string> kept;
  {
    std::shared_lock lock(endpoints_mu_);
    for (const auto& e : endpoints_) {
      kept.insert(e->name);
      PublishQueue(*e);
    }
  }
  for (auto& e : retired) {
    if (e->worker.joinable()) e->worker.join();
    std::lock_guard l(e->mu);
    const size_t queued = e->spool->items().size();
    const std::uint64_t memory_only = e->spool->memory_only();
    if (queued > 0) {
      LogWarn(
          "webhook receiver removed from the configuration; its queued notifications stay in the spool, "
          "those in memory only are lost",
          {{"receiver", e->name},
           {"url_index", e->index},
           {"count", queued},
           {"memory_only", memory_only},
           {"dir", e->spool->dir()}});
    }
    if (health_) health_->RecordSpoolWrite(e->writer, Status::Ok());
  }
  if (health_) {
    for (const auto& e : retired) {
      if (kept.count(e->name)) continue;
      health_->self_metrics().RemoveWebhookReceiver(e->name);
      health_->Update([&](HealthData& h) { h.webhook_failures.erase(e->name); });
    }
  }
  retired.clear();
  StartWorkers();
}

WebhookDispatcher::~WebhookDispatcher() { Stop(); }

void WebhookDispatcher::Start() {
  std::lock_guard control(control_mu_);
  {
    std::unique_lock lock(endpoints_mu_);
    started_ = true;
  }
  stop_ = false;
  StartWorkers();
}

void WebhookDispatcher::StartWorkers() {
  std::unique_lock lock(endpoints_mu_);
  if (!started_ || stop_) return;
  for (auto& e : endpoints_) {
    if (!e->worker.joinable()) e->worker = std::thread([this, ep = e.get()] {
      NameThisThread("webhook/" + ep->name);
      Run(*ep);
    });
  }
}

void WebhookDispatcher::Stop() {
  std::lock_guard control(control_mu_);
  {
    std::unique_lock lock(endpoints_mu_);
    started_ = false;
  }
  stop_ = true;
  Wake();
  // Without endpoints_mu_ (the workers take it): control_mu_ keeps endpoints_ as it is.
  for (auto& e : endpoints_) {
    if (e->worker.joinable()) e->worker.join();
  }
}

void WebhookDispatcher::Wake() {
  {
    std::lock_guard l(wake_mu_);
    ++wake_gen_;
  }
  wake_cv_.notify_all();
}

std::string WebhookDispatcher::NewId() {
  std::lock_guard l(rng_mu_);
  char buf[40];
  std::snprintf(buf, sizeof buf, "msg_%016llx%016llx", static_cast<unsigned long long>(rng_()),
                static_cast<unsigned long long>(rng_()));
  return buf;
}

void WebhookDispatcher::Add(Endpoint& e, const std::string& kind, std::string body, std::string id) {
  SpoolItem item;
  const bool derived = !id.empty();
  item.id = derived ? std::move(id) : NewId();
  item.created = clock_.Now();
  item.kind = kind;
  item.body = std::move(body);
  SpoolAppendResult appended;
  {
    std::lock_guard l(e.mu);
    if (derived) {
      if (!e.recent_ids.insert(item.id).second) return;  // the same request, queued already
      e.recent_order.push_back(item.id);
      if (e.recent_order.size() > kRecentIds) {
        e.recent_ids.erase(e.recent_order.front());
        e.recent_order.pop_front();
      }
    }
    if (kind == "alerts-full" || kind == "watchdog") {
      // A newer full set of active alerts, or a newer heartbeat, makes older queued ones
      // pointless; the head may be in flight, so it stays.
      auto& items = e.spool->items();
      std::vector<SpoolItem> stale;
      for (size_t i = 1; i < items.size(); ++i) {
        if (items[i].kind == kind) stale.push_back(items[i]);
      }
      for (const auto& s : stale) RemoveFromSpool(e, s);
    }
    appended = e.spool->Append(item);
  }
  const std::string& name = e.name;
  const std::string& why = appended.status.error();
  if (appended.outcome == SpoolAppend::kFull) {
    Log().Error("spool-full:" + name, "webhook notification dropped",
                {{"receiver", name}, {"id", item.id}, {"err", why}});
    if (health_) health_->self_metrics().CountWebhookDropped(name, kDropSpoolFull);
  } else if (health_) {
    health_->RecordSpoolWrite(e.writer, appended.status);
  }
  if (appended.outcome == SpoolAppend::kMemoryOnly) {
    Log().Error("spool:" + name,
                "webhook notification queued in memory only (lost if the exporter stops before delivery)",
                {{"receiver", name}, {"id", item.id}, {"err", why}});
  }
  PublishQueue(e);
  Wake();
}

void WebhookDispatcher::RemoveFromSpool(Endpoint& e, const SpoolItem& item) {
  if (Status removed = e.spool->Remove(item); !removed) {
    // The file stays: it will be delivered again after a restart (at least once).
    Log().Error("spool-remove:" + e.name, "webhook spool file not removed; it is delivered again after a restart",
                {{"receiver", e.name}, {"err", removed.error()}});
  }
}

void WebhookDispatcher::Enqueue(const AlertMessage& n) {
  std::shared_lock lock(endpoints_mu_);
  // Rendered once per format and send_resolved, whatever the number of receivers.
  std::map<std::pair<std::string, bool>, std::vector<WebhookRequest>> rendered;
  for (auto& e : endpoints_) {
    const auto r = e->Receiver();
    if (!RendersMessages(r->format)) continue;
    auto [it, fresh] = rendered.try_emplace({r->format, r->send_resolved});
    if (fresh) {
      RenderOptions options;
      options.max_alerts = opt_.group_max_ids;
      options.send_resolved = r->send_resolved;
      options.ids = opt_.ids;
      it->second = RenderMessage(r->format, n, options);
    }
    for (const auto& request : it->second) Add(*e, "notification", request.body, request.id);
  }
}

void WebhookDispatcher::EnqueueAlertStates(const std::vector<Alert>& alerts, bool full, UnixNanos now) {
  std::shared_lock lock(endpoints_mu_);
  const UnixNanos ttl = FiringTtl(opt_.resend_interval);
  for (auto& e : endpoints_) {
    const auto r = e->Receiver();
    if (r->format != "alertmanager") continue;
    std::vector<Alert> send;
    for (const auto& a : alerts) {
      if (a.status == AlertStatus::kResolved && !r->send_resolved) continue;
      send.push_back(a);
    }
    if (send.empty()) continue;
    Add(*e, full ? "alerts-full" : "alerts", FormatAlertmanagerPayload(send, now, ttl));
  }
}

void WebhookDispatcher::EnqueueWatchdog(const AlertMessage& heartbeat, UnixNanos ttl) {
  std::shared_lock lock(endpoints_mu_);
  std::string generic, alertmanager;
  for (auto& e : endpoints_) {
    const auto r = e->Receiver();
    if (!TakesHeartbeat(*r)) continue;
    const bool am = r->format == "alertmanager";
    std::string& body = am ? alertmanager : generic;
    if (body.empty()) {
      body = am ? FormatAlertmanagerPayload(heartbeat.firing, heartbeat.created_at, ttl)
                : FormatGenericPayload(heartbeat, opt_.group_max_ids);
    }
    Add(*e, "watchdog", body);
  }
}

void WebhookDispatcher::DeadLetter(Endpoint& e, const SpoolItem& item, const std::string& reason, int status) {
  JsonWriter w;
  w.BeginObject();
  w.Field("id", item.id);
  w.Field("receiver", e.name);
  // Not the URL: webhook URLs often embed a token.
  w.Field("endpoint", e.index);
  w.Field("kind", item.kind);
  w.Field("createdAt", FormatIsoTime(item.created));
  w.Field("deadAt", FormatIsoTime(clock_.Now()));
  w.Field("reason", reason);
  w.Key("status");
  if (status) w.Int(status);
  else w.Null();
  w.Field("attempts", e.attempts + 1);
  w.Key("body").Raw(item.body);
  w.EndObject();
  if (Status s = AppendLineDurably(e.dead_letter_path, w.str()); !s) {
    LogError("webhook dead-letter file not written", {{"receiver", e.name}, {"err", s.error()}});
  }
  LogError("webhook notification dead-lettered", {{"receiver", e.name}, {"id", item.id}, {"reason", reason}});
  if (health_) health_->self_metrics().CountWebhookDeadLetter(e.name);
}

bool WebhookDispatcher::DeliverOne(Endpoint& e) {
  std::lock_guard in_flight(e.delivery_mu);
  SpoolItem item;
  UnixNanos now = clock_.Now();
  std::shared_ptr<const ReceiverConfig> receiver;
  std::string url;
  UnixNanos firing_ttl = 0;
  {
    std::lock_guard l(e.mu);
    if (e.spool->items().empty() || now < e.next_attempt) return false;
    item = e.spool->items().front();
    receiver = e.receiver;
    url = e.url;
    firing_ttl = e.firing_ttl;
  }
  const ReceiverConfig& r = *receiver;
  const bool expired = r.format == "alertmanager" && ExpiresInAlertmanager(item.kind) && firing_ttl > 0 &&
                       now - item.created >= firing_ttl;
  if (expired) {
    std::lock_guard l(e.mu);
    const auto& items = e.spool->items();
    const auto newer_full = [](const SpoolItem& i) { return i.kind == "alerts-full"; };
    if (!items.empty() && std::any_of(items.begin() + 1, items.end(), newer_full)) {
      // A newer full set is queued: the rule of Add() for a head no longer in flight.
      RemoveFromSpool(e, item);
      e.attempts = 0;
      e.next_attempt = 0;
      return true;
    }
  }
  if (expired || now - item.created > SecondsToNanos(r.retry_horizon.count())) {
    DeadLetter(e, item,
               expired ? "its firing alerts' endsAt passed before delivery (Alertmanager would resolve them); "
                         "the next resend carries what still fires"
                       : "retry horizon reached",
               0);
    std::lock_guard l(e.mu);
    RemoveFromSpool(e, item);
    e.attempts = 0;
    e.next_attempt = 0;
  } else {
    const std::string timestamp = std::to_string(now / kNanosPerSecond);
    // The routing key goes in here, not into the spool or the dead-letter file.
    const std::string body = r.format == "pagerduty" ? WithRoutingKey(item.body, r.routing_key) : item.body;
    HeaderList headers = {{"webhook-id", item.id}, {"webhook-timestamp", timestamp},
                          {"User-Agent", "genesys_exporter"}};
    if (!r.hmac_secrets.empty()) headers.emplace_back("webhook-signature", SignWebhook(r.hmac_secrets, item.id, timestamp, body));
    const auto sent_at = std::chrono::steady_clock::now();
    SendResult res = PostWebhook(url, body, headers, r.timeout, r.ca_file, now);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent_at).count();
    now = clock_.Now();
    const bool delivered = res.outcome == SendResult::Outcome::kDelivered;
    if (health_) health_->self_metrics().ObserveWebhookAttempt(r.name, delivered, seconds);
    if (delivered) {
      std::lock_guard l(e.mu);
      RemoveFromSpool(e, item);
      e.attempts = 0;
      e.next_attempt = 0;
    } else {
      if (health_) health_->Update([&](HealthData& h) { h.webhook_failures[r.name] = {res.error, now}; });
      if (res.outcome == SendResult::Outcome::kReject) {
        DeadLetter(e, item, res.error, res.status);
        std::lock_guard l(e.mu);
        RemoveFromSpool(e, item);
        e.attempts = 0;
        e.next_attempt = 0;
      } else {
        std::lock_guard l(e.mu);
        ++e.attempts;
        const RetryDelay d = ComputeRetryDelay(r, e.attempts, jitter_.Next(), res.retry_after);
        e.next_attempt = SaturatingAdd(now, d.delay);
        std::vector<LogField> fields{{"receiver", r.name},
                                     {"url", RedactUrl(e.url, UrlPath::kHide)},
                                     {"attempt", e.attempts},
                                     {"delay", FormatSeconds(d.delay)},
                                     {"err", res.error}};
        if (res.retry_after) {
          fields.emplace_back("retry_after", FormatSeconds(*res.retry_after));
          fields.emplace_back("retry_after_use", d.retry_after_clamped         ? "clamped to max_backoff"
                                                 : d.delay == *res.retry_after ? "as asked"
                                                                               : "shorter than the backoff, not used");
        }
        Log().Warn("deliver:" + r.name, "webhook delivery failed, retrying", fields);
      }
    }
  }
  return true;
}

int WebhookDispatcher::DeliverDue() {
  std::shared_lock lock(endpoints_mu_);
  int attempts = 0;
  for (auto& e : endpoints_) {
    if (DeliverOne(*e)) {
      ++attempts;
      PublishQueue(*e);
    }
  }
  return attempts;
}

void WebhookDispatcher::Run(Endpoint& e) {
  while (!stop_ && !e.retired) {
    std::uint64_t gen;
    {
      std::lock_guard l(wake_mu_);
      gen = wake_gen_;
    }
    if (DeliverOne(e)) {
      std::shared_lock lock(endpoints_mu_);
      PublishQueue(e);
      continue;
    }
    auto wait = opt_.max_sleep;
    {
      std::lock_guard l(e.mu);
      if (!e.spool->items().empty() && e.next_attempt > 0) {
        const auto left = std::chrono::nanoseconds(std::max<UnixNanos>(0, e.next_attempt - clock_.Now()));
        wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(left) +
                                  std::chrono::milliseconds(1));
      }
    }
    std::unique_lock l(wake_mu_);
    wake_cv_.wait_for(l, wait, [&] { return stop_ || e.retired || wake_gen_ != gen; });
  }
}

void WebhookDispatcher::PublishQueue(const Endpoint& e) {
  if (!health_) return;
  std::uint64_t total = 0, memory_only = 0;
  for (const auto& other : endpoints_) {
    if (other->name != e.name) continue;
    std::lock_guard l(other->mu);
    total += other->spool->items().size();
    memory_only += other->spool->memory_only();
  }
  health_->self_metrics().SetWebhookQueue(e.name, total, memory_only);
}

std::uint64_t WebhookDispatcher::QueueLength() const {
  std::shared_lock lock(endpoints_mu_);
  std::uint64_t total = 0;
  for (const auto& e : endpoints_) {
    std::lock_guard l(e->mu);
    total += e->spool->items().size();
  }
  return total;
}

std::vector<std::string> WebhookDispatcher::SpoolErrors() const {
  std::shared_lock lock(endpoints_mu_);
  std::vector<std::string> out;
  for (const auto& e : endpoints_) {
    std::lock_guard l(e->mu);
    if (!e->spool->status()) out.push_back(e->spool->status().error());
  }
  return out;
}

}  // namespace gx
