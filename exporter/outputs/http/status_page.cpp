#include "exporter/outputs/http/status_page.h"

#include <algorithm>
#include <limits>
#include <map>

#include "exporter/outputs/http/html_fragments.h"
#include "exporter/outputs/http/status_alerts.h"
#include "exporter/outputs/http/status_html.h"
#include "exporter/outputs/http/status_verdict.h"
#include "exporter/state/domain_facts.h"
#include "exporter/state/registration.h"
#include "exporter/state/trunk_health.h"
#include "exporter/util/html_escape.h"
#include "exporter/util/iso_time.h"

namespace gx {
namespace {

using status::Ago;
using status::Badge;
using status::FiringAlerts;
using status::Format;
using status::Note;
using status::Section;
using status::Table;

struct Tile {
  std::string value;
  std::string label;
  const char* cls;  // "", "warn", "bad" or "none" (nothing known)
};

template <typename Map>
std::vector<const typename Map::mapped_type*> Values(const Map& m) {
  std::vector<const typename Map::mapped_type*> out;
  out.reserve(m.size());
  for (const auto& [k, v] : m) out.push_back(&v);
  return out;
}

// Everything the page shows, built section by section; the findings feed the verdict.
class StatusPageBuilder {
 public:
  StatusPageBuilder(const TelephonyData& t, const HealthData& h, const std::map<std::string, WebhookCounts>& webhooks,
                    const std::vector<Alert>& alerts, const StatusPageOptions& opt, UnixNanos now)
      : t_(t), h_(h), webhooks_(webhooks), firing_(alerts), opt_(opt), now_(now) {}

  std::string Render() {
    // The facts first, so that a reason names the fact ("trunk X is down: disconnected")
    // rather than the alert about it; the alerts come first on the page.
    const std::string trunks = TrunksSection();
    const std::string sites = SitesSection();
    const std::string edges = EdgesSection();
    const std::string certificates = CertificatesSection();
    const std::string sources = SourcesSection();
    const std::string alerts = AlertsSection();
    const StatusVerdict verdict = DecideVerdict(findings_, h_.first_poll_complete);
    const std::string level(StatusLevelName(verdict.level));
    const std::string title(StatusLevelTitle(verdict.level));

    std::string html =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<meta http-equiv=\"refresh\" content=\"" +
        std::to_string(opt_.refresh_seconds) + "\"><title>" + title +
        " - Genesys Cloud telephony status</title><style>" + status::kStyle + "</style></head>\n<body>\n";
    html += "<header id=\"verdict\" class=\"verdict " + level + "\" data-verdict=\"" + level + "\"><h1>" + title +
            "</h1>\n";
    html += WhyList(verdict);
    html += "<p class=\"meta\">Genesys Cloud telephony, as of " + FormatIsoTime(now_) + "; refreshes every " +
            std::to_string(opt_.refresh_seconds) +
            " s. <a href=\"/\">Exporter</a> &middot; <a href=\"/dashboard\">JSON</a></p></header>\n";
    html += TilesHtml();
    html += "<main>\n" + alerts + trunks + sites + edges + certificates + sources + "</main>\n</body></html>\n";
    return html;
  }

 private:
  void Find(StatusLevel level, std::string key, std::string text) {
    findings_.push_back({level, std::move(key), std::move(text)});
  }

  std::string WhyList(const StatusVerdict& v) const {
    constexpr std::size_t kMaxReasons = 5;
    std::string html;
    if (v.reasons.empty()) {
      const char* text = v.level == StatusLevel::kStarting
                             ? "Waiting for the first full poll of phones, trunks and edges."
                             : "Every carrier trunk, edge and source is healthy and no "
                               "alert is firing.";
      return std::string("<ul class=\"why\"><li>") + text + "</li></ul>\n";
    }
    html = "<ul class=\"why\">";
    for (std::size_t i = 0; i < v.reasons.size() && i < kMaxReasons; ++i)
      html += "<li>" + HtmlEscape(v.reasons[i]) + "</li>";
    const std::size_t more = v.reasons.size() > kMaxReasons ? v.reasons.size() - kMaxReasons : 0;
    if (more > 0 || v.other_findings > 0) {
      html += "<li>and " + std::to_string(more + static_cast<std::size_t>(v.other_findings)) + " more below</li>";
    }
    return html + "</ul>\n";
  }

  std::string TilesHtml() const {
    std::string html = "<div class=\"tiles\">";
    for (const auto& tile : tiles_) {
      html += std::string("<div class=\"tile") + (*tile.cls ? " " : "") + tile.cls + "\"><b>" + tile.value + "</b>" +
              HtmlEscape(tile.label) + "</div>";
    }
    return html + "</div>\n";
  }

  void AddTile(int good, int total, std::string label, const char* cls_when_bad) {
    const char* cls = total == 0 ? "none" : good == total ? "" : cls_when_bad;
    tiles_.push_back({std::to_string(good) + "/" + std::to_string(total), std::move(label), cls});
  }

  std::string AlertsSection() {
    const FiringAlerts& fa = firing_;
    int critical = 0;
    Table table({"severity", "alert", "what", "since"});
    for (const Alert* a : fa.firing()) {
      const StatusLevel level = AlertStatusLevel(*a);
      critical += a->severity == "critical";
      Find(level, AlertFindingKey(*a), a->summary.empty() ? a->name() : a->summary);
      // The labels, small, under the summary: what a receiver would group or route by.
      std::string labels;
      for (const auto& [k, v] : a->labels) {
        if (k == "alertname") continue;
        if (!labels.empty()) labels += ' ';  // not " " + temporary: GCC 12 -O3 warns falsely (-Wrestrict)
        labels.append(HtmlEscape(k)).append("=").append(HtmlEscape(v));
      }
      table.Add(level, {Badge(level, a->severity), HtmlEscape(a->name()),
                        HtmlEscape(a->summary) + (labels.empty() ? "" : "<br><small>" + labels + "</small>"),
                        Ago(FiringAlerts::Since(*a), now_)});
    }
    const int firing = static_cast<int>(fa.firing().size());
    tiles_.insert(tiles_.begin(), {std::to_string(firing), "alerts firing",
                                   firing == 0    ? ""
                                   : critical > 0 ? "bad"
                                                  : "warn"});
    std::string body;
    if (!opt_.alerting) {
      body = Note("Alerting is off (<code>alerting.enabled: false</code>): no alert is evaluated.");
    } else if (table.empty()) {
      body = Note("No alert is firing.");
    } else {
      body = table.Render(opt_.max_rows);
    }
    if (fa.pending() > 0) {
      body += Note(std::to_string(fa.pending()) + " more pending (true, but not yet for as long as their rule asks).");
    }
    return Section("alerts", "Firing alerts", body);
  }

  std::string TrunksSection() {
    struct Row {
      const TrunkEntry* entry;
      const TrunkMetrics* metrics;
      TrunkHealthAssessment health;
    };
    std::vector<Row> rows;
    int internal = 0, up = 0;
    for (const auto& [id, te] : t_.trunks) {
      const Trunk& tr = te.trunk;
      if (!tr.state.empty() && tr.state != "active") continue;
      // PHONE and EDGE trunks are Genesys-internal: the page, like the alerts, is about carriers.
      if (!IsCarrierTrunk(tr)) {
        ++internal;
        continue;
      }
      auto m = t_.trunk_metrics.find(id);
      const TrunkMetrics* metrics = m == t_.trunk_metrics.end() ? nullptr : &m->second;
      rows.push_back({&te, metrics, AssessTrunkHealth(tr, metrics, opt_.qos_mismatch_threshold)});
      up += rows.back().health.health == TrunkHealth::kUp;
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
      if (a.health.health != b.health.health) return a.health.health > b.health.health;
      if (a.entry->trunk.name != b.entry->trunk.name) return a.entry->trunk.name < b.entry->trunk.name;
      return a.entry->trunk.id < b.entry->trunk.id;
    });
    AddTile(up, static_cast<int>(rows.size()), "carrier trunks up", "bad");
    Table table({"trunk", "health", "reason", "calls in / out", "changed"});
    for (const Row& r : rows) {
      const Trunk& tr = r.entry->trunk;
      const std::string name = tr.name.empty() ? tr.id : tr.name;
      const StatusLevel level = r.health.health == TrunkHealth::kDown       ? StatusLevel::kOutage
                                : r.health.health == TrunkHealth::kDegraded ? StatusLevel::kDegraded
                                                                            : StatusLevel::kOk;
      if (level != StatusLevel::kOk) {
        Find(level, "trunk_id=" + tr.id,
             "trunk " + name + " is " + std::string(TrunkHealthName(r.health.health)) + ": " + r.health.reason);
      }
      std::string calls = "-";
      if (r.metrics && (r.metrics->inbound_calls || r.metrics->outbound_calls)) {
        calls = (r.metrics->inbound_calls ? std::to_string(*r.metrics->inbound_calls) : "-") + " / " +
                (r.metrics->outbound_calls ? std::to_string(*r.metrics->outbound_calls) : "-");
      }
      table.Add(level, {HtmlEscape(name), Badge(level, TrunkHealthName(r.health.health)),
                        r.health.reason.empty() ? "-" : HtmlEscape(r.health.reason),
                        "<span class=\"num\">" + calls + "</span>", Ago(r.entry->fresh.last_change, now_)});
    }
    std::string body = rows.empty() ? Note(t_.trunks_loaded ? "No carrier trunk is configured." : "No trunk known yet.")
                                    : table.Render(opt_.max_rows);
    if (internal > 0) {
      body += Note(std::to_string(internal) +
                   " phone and tie trunks (internal to Genesys Cloud) are not shown; /dashboard lists them.");
    }
    return Section("trunks", "Carrier trunks", body);
  }

  std::string SitesSection() {
    struct Site {
      int phones = 0, registered = 0, lines = 0, reachable = 0, not_operational = 0;
    };
    std::map<std::string, Site> sites;  // by label, as genesys_phone_lines{site}
    int lines = 0, reachable = 0;
    for (const auto& [id, pe] : t_.phones) {
      const Phone& p = pe.phone;
      Site& s = sites[PhoneSiteLabel(p)];
      ++s.phones;
      s.registered += PhoneRegistered(p) ? 1 : 0;
      s.lines += PhoneLineCount(p);
      s.reachable += PhoneReachableLineCount(p);
      s.not_operational += PhoneOperationalStatus(p) != "OPERATIONAL";
      lines += PhoneLineCount(p);
      reachable += PhoneReachableLineCount(p);
    }
    AddTile(reachable, lines, "phone lines registered", "warn");
    auto ratio = [](const Site& s) { return s.lines > 0 ? static_cast<double>(s.reachable) / s.lines : 1.0; };
    std::vector<std::pair<const std::string*, const Site*>> ordered;
    for (const auto& [name, s] : sites) ordered.emplace_back(&name, &s);
    std::stable_sort(ordered.begin(), ordered.end(),
                     [&](const auto& a, const auto& b) { return ratio(*a.second) < ratio(*b.second); });
    const FiringAlerts& fa = firing_;
    Table table({"site", "lines registered", "ratio", "phones registered", "phones not operational"});
    for (const auto& [name, s] : ordered) {
      // The thresholds are the registration_failure rule's: the row shows its alert.
      const StatusLevel level = fa.LevelOf(kRegistrationFailure, {{"scope", "site"}, {"site", *name}});
      table.Add(level,
                {HtmlEscape(*name),
                 "<span class=\"num\">" + std::to_string(s->reachable) + " / " + std::to_string(s->lines) + "</span>",
                 "<span class=\"num\">" + (s->lines > 0 ? Format("%.1f %%", 100 * ratio(*s)) : "-") + "</span>",
                 "<span class=\"num\">" + std::to_string(s->registered) + " / " + std::to_string(s->phones) + "</span>",
                 "<span class=\"num\">" + std::to_string(s->not_operational) + "</span>"});
    }
    std::string body = sites.empty() ? Note(t_.phones_loaded ? "No phone is configured." : "No phone known yet.")
                                     : table.Render(opt_.max_rows);
    if (!t_.users.empty()) {
      int registered = 0;
      for (const auto& [user_id, phone] : t_.PhonesOfUsers()) registered += PhoneRegistered(phone->phone);
      body += Note("Followed users: " + std::to_string(registered) + " of " + std::to_string(t_.users.size()) +
                   " registered.");
    }
    return Section("sites", "Sites", body);
  }

  std::string EdgesSection() {
    std::vector<const EdgeEntry*> edges;
    int online = 0;
    for (const auto* ee : Values(t_.edges)) {
      if (!ee->edge.state.empty() && ee->edge.state != "active") continue;
      edges.push_back(ee);
      online += ee->edge.online_status == "ONLINE";
    }
    auto offline = [](const EdgeEntry* e) {
      return !e->edge.online_status.empty() && e->edge.online_status != "ONLINE";
    };
    std::sort(edges.begin(), edges.end(), [&](const EdgeEntry* a, const EdgeEntry* b) {
      if (offline(a) != offline(b)) return offline(a);
      if (a->edge.name != b->edge.name) return a->edge.name < b->edge.name;
      return a->edge.id < b->edge.id;
    });
    AddTile(online, static_cast<int>(edges.size()), "edges online", "bad");
    Table table({"edge", "site", "status", "version", "changed"});
    for (const EdgeEntry* ee : edges) {
      const Edge& e = ee->edge;
      const std::string name = e.name.empty() ? e.id : e.name;
      const std::string status = e.online_status.empty() ? "UNKNOWN" : e.online_status;
      const StatusLevel level = offline(ee) ? StatusLevel::kOutage : StatusLevel::kOk;
      if (level != StatusLevel::kOk) Find(level, "edge_id=" + e.id, "edge " + name + " is " + status);
      table.Add(level,
                {HtmlEscape(name), HtmlEscape(SiteLabel(e.site)), Badge(level, status),
                 e.software_version.empty() ? "-" : HtmlEscape(e.software_version), Ago(ee->fresh.last_change, now_)});
    }
    return Section("edges", "Edges",
                   edges.empty() ? Note(t_.edges_loaded ? "No edge is configured." : "No edge known yet.")
                                 : table.Render(opt_.max_rows));
  }

  std::string CertificatesSection() {
    struct Row {
      const std::string* key;
      const TlsEntry* entry;
      std::optional<UnixNanos> earliest;
    };
    std::vector<Row> rows;
    for (const auto& [key, e] : t_.tls) {
      Row r{&key, &e, std::nullopt};
      if (e.result) {
        for (const auto& c : e.result->chain)
          r.earliest = r.earliest ? std::min(*r.earliest, c.not_after) : c.not_after;
      }
      rows.push_back(r);
    }
    // By days left; targets without a certificate seen last.
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
      return a.earliest.value_or(std::numeric_limits<UnixNanos>::max()) <
             b.earliest.value_or(std::numeric_limits<UnixNanos>::max());
    });
    const FiringAlerts& fa = firing_;
    int fine = 0;
    Table table({"target", "days left", "certificate", "trunks", "probed"});
    for (const Row& r : rows) {
      const TlsProbeResult* result = r.entry->result ? &*r.entry->result : nullptr;
      // The expiry thresholds are the tls_cert_expiry rule's: the row shows its alert. A
      // probe that saw no certificate has nothing to judge, but is a problem of its own.
      StatusLevel level = fa.LevelOf(kTlsCertExpiry, {{"target", *r.key}});
      std::string state;
      if (!result) {
        state = "not probed yet";
      } else if (result->chain.empty()) {
        const std::string why = result->error.empty() ? std::string(StageLabel(result->failed_stage)) : result->error;
        state = "probe failed: " + why;
        level = std::max(level, StatusLevel::kDegraded);
        Find(StatusLevel::kDegraded, "target=" + *r.key, "TLS probe of " + *r.key + " failed");
      } else if (*r.earliest <= now_) {
        state = "expired";
      } else if (!(result->chain_verified && result->hostname_verified)) {
        state = "fails verification: " + result->verify_result;
      } else {
        state = "valid (" + result->tls_version + ")";
      }
      fine += level == StatusLevel::kOk && result && !result->chain.empty();
      std::string days = "-";
      if (r.earliest) {
        const double d = ToSeconds(*r.earliest - now_) / 86400.0;
        days = d < 0 ? Format("expired %.1f days ago", -d) : Format(d < 10 ? "%.1f" : "%.0f", d);
      }
      // A shared proxy may serve hundreds of trunks: the first few by name.
      constexpr std::size_t kMaxTrunkNames = 5;
      const auto& ids = r.entry->target.trunk_ids;
      std::string trunks;
      for (std::size_t i = 0; i < ids.size() && i < kMaxTrunkNames; ++i) {
        auto it = t_.trunks.find(ids[i]);
        const std::string& name =
            it != t_.trunks.end() && !it->second.trunk.name.empty() ? it->second.trunk.name : ids[i];
        trunks += (trunks.empty() ? "" : "<br>") + HtmlEscape(name);
      }
      if (ids.size() > kMaxTrunkNames) trunks += "<br>and " + std::to_string(ids.size() - kMaxTrunkNames) + " more";
      table.Add(level,
                {HtmlEscape(*r.key), "<span class=\"num\">" + days + "</span>", HtmlEscape(state),
                 trunks.empty() ? "-" : trunks, Ago(result ? std::optional(result->probed_at) : std::nullopt, now_)});
    }
    AddTile(fine, static_cast<int>(rows.size()), "certificates fine", "bad");
    return Section("certificates", "Certificates",
                   rows.empty() ? Note("No TLS target is probed (tls_probes).") : table.Render(opt_.max_rows));
  }

  std::string SourcesSection() {
    Table table({"kind", "source", "status", "last success", "last error"});
    // The API itself: authentication and the last request.
    {
      StatusLevel level = StatusLevel::kOk;
      std::string status = "not contacted yet";
      if (h_.genesys_up) {
        status = *h_.genesys_up ? "up" : "down";
        if (!*h_.genesys_up) {
          level = StatusLevel::kBlind;
          Find(level, "source=api", "the Genesys Cloud API is failing");
        }
      }
      table.Add(level, {"API", "Genesys Cloud", Badge(level, status, !h_.genesys_up), Ago(h_.last_api_request, now_),
                        HtmlLastError("", h_.oauth_last_failure, now_)});
    }
    for (const auto& [name, c] : h_.sources) {
      const std::string word = SourceStatusWord(c);
      const bool failing = word == "stale" || word == "down";
      const bool push = name == "notifications";
      const bool tls = name == "tls";
      StatusLevel level = StatusLevel::kOk;
      if (failing) {
        // A failing poller leaves the page without fresh facts; push and TLS have a fallback
        // (polling) or concern only certificates.
        level = push || tls ? StatusLevel::kDegraded : StatusLevel::kBlind;
        Find(level,
             push  ? "source=notifications"
             : tls ? "source=tls"
                   : "source=api",
             push  ? "the notification stream is " + word
             : tls ? "TLS probing is " + word
                   : "source " + name + " is " + word);
      }
      std::string status = Badge(level, word, word == "pending");
      if (push) {
        const NotificationHealth& n = h_.notifications;
        status += "<br>" + std::string(n.connected ? "connected" : "not connected") + ", " +
                  std::to_string(n.channels) + " channel(s), " + std::to_string(n.subscribed_topics) +
                  " topics; last message " + Ago(n.last_message, now_);
      } else if (c.pages_expected > 0 && !c.last_success) {
        status += "<br>first poll: page " + std::to_string(c.pages_done) + " of " + std::to_string(c.pages_expected);
      }
      table.Add(level, {push  ? "push"
                        : tls ? "TLS"
                              : "poll",
                        HtmlEscape(name), status, Ago(c.last_success, now_),
                        HtmlLastError(c.last_error, c.last_failure, now_)});
    }
    for (const auto& [name, w] : webhooks_) {
      const auto failure = h_.webhook_failures.find(name);
      const LastFailure last_failure = failure == h_.webhook_failures.end() ? LastFailure{} : failure->second;
      // Retrying: something is queued and the receiver has failed.
      const bool failing = w.queue_length > 0 && !last_failure.error.empty();
      const StatusLevel level = failing ? StatusLevel::kDegraded : StatusLevel::kOk;
      if (failing) {
        Find(level, "webhook=" + name,
             "webhook receiver " + name + ": " + std::to_string(w.queue_length) + " notification(s) waiting");
      }
      table.Add(level,
                {"webhook", HtmlEscape(name),
                 Badge(level, failing ? "retrying" : "ok") + "<br>" + std::to_string(w.delivered) + " delivered, " +
                     std::to_string(w.failures) + " failed attempts, " + std::to_string(w.queue_length) + " queued",
                 "-", HtmlLastError("", last_failure, now_)});
    }
    if (h_.spool.in_use) {
      const bool writable = h_.spool.writable();
      const StatusLevel level = writable ? StatusLevel::kOk : StatusLevel::kDegraded;
      std::string errors;
      for (const auto& [writer, error] : h_.spool.errors) {
        errors += (errors.empty() ? "" : "<br>") + HtmlEscape(writer) + ": " + HtmlEscape(error);
      }
      if (!writable) Find(level, "source=spool", "the spool folder " + h_.spool.dir + " cannot be written");
      table.Add(level, {"spool", HtmlEscape(h_.spool.dir), Badge(level, writable ? "writable" : "not writable"), "-",
                        errors.empty() ? "-" : errors});
    }
    return Section("sources", "Sources", table.Render(std::numeric_limits<std::size_t>::max()));
  }

  const TelephonyData& t_;
  const HealthData& h_;
  const std::map<std::string, WebhookCounts>& webhooks_;
  const FiringAlerts firing_;
  const StatusPageOptions& opt_;
  const UnixNanos now_;
  std::vector<StatusFinding> findings_;
  std::vector<Tile> tiles_;
};

}  // namespace

std::string RenderStatusPage(const TelephonyData& t, const HealthData& h,
                             const std::map<std::string, WebhookCounts>& webhooks, const std::vector<Alert>& alerts,
                             const StatusPageOptions& options, UnixNanos now) {
  return StatusPageBuilder(t, h, webhooks, alerts, options, now).Render();
}

}  // namespace gx
