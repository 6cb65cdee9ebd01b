#include "exporter/outputs/http/landing_page.h"

#include <cstdio>

#include "exporter/util/build_version.h"
#include "exporter/util/iso_time.h"

namespace gx {
namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// " (at 2024-05-01T10:00:00Z, 12s ago)"
std::string When(UnixNanos at, UnixNanos now) {
  char ago[48];
  std::snprintf(ago, sizeof ago, ", %.0fs ago)", ToSeconds(now - at));
  return " (at " + FormatIsoTime(at) + ago;
}

// The last failure of a source, with its time; "-" when it never failed.
std::string FailureCell(const std::string& current, const LastFailure& last, UnixNanos now) {
  const std::string& error = current.empty() ? last.error : current;
  if (error.empty()) return "-";
  return Escape(error) + (last.at > 0 ? When(last.at, now) : "");
}

std::string ConfigSection(const ConfigReloadHealth& c, UnixNanos now) {
  std::string html = "<h2>Configuration</h2>\n<p>";
  if (c.last_successful) {
    html += "<span class=\"up\">loaded</span>";
    if (c.last_success) html += When(*c.last_success, now);
  } else {
    html += "<span class=\"down\">last reload refused</span>";
    if (c.last_attempt) html += When(*c.last_attempt, now);
    html += "; the configuration loaded";
    if (c.last_success) html += When(*c.last_success, now);
    html += " stays in force";
  }
  html += "</p>\n";
  if (!c.errors.empty()) {
    html += "<ul>\n";
    for (const auto& e : c.errors) html += "<li>" + Escape(e) + "</li>\n";
    html += "</ul>\n";
  }
  if (!c.restart_required.empty()) {
    html += "<p><span class=\"down\">restart required</span>: the file changes ";
    for (size_t i = 0; i < c.restart_required.size(); ++i) {
      html += (i ? ", " : "") + std::string("<code>") + Escape(c.restart_required[i]) + "</code>";
    }
    html += ", which apply only after a restart; the running values stay until then</p>\n";
  }
  return html;
}

}  // namespace

std::string RenderLandingPage(const HealthData& health, const std::string& telemetry_path, UnixNanos now) {
  std::string html =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Genesys Cloud Exporter</title>"
      "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
      "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.up{color:#1a7f37}.down{color:#cf222e}"
      "</style></head><body>\n<h1>Genesys Cloud Exporter</h1>\n<p>Version " +
      std::string(BuildVersion()) + " (revision " + BuildRevision() + ")</p>\n<ul>\n";
  html += "<li><a href=\"" + Escape(telemetry_path) + "\">Metrics</a></li>\n";
  html += "<li><a href=\"/dashboard\">Dashboard (JSON)</a></li>\n";
  html += "<li><a href=\"/-/healthy\">Health</a></li>\n<li><a href=\"/-/ready\">Readiness</a></li>\n</ul>\n";
  html += "<h2>Genesys Cloud API</h2>\n<p>";
  if (!health.genesys_up.has_value()) html += "not contacted yet";
  else html += *health.genesys_up ? "<span class=\"up\">up</span>" : "<span class=\"down\">down</span>";
  if (!health.oauth_last_failure.error.empty()) {
    html += "; last authentication error: " + FailureCell("", health.oauth_last_failure, now);
  }
  html += "</p>\n<h2>Collectors</h2>\n<table><tr><th>collector</th><th>status</th><th>last success</th>"
          "<th>last duration</th><th>interval</th><th>last error</th></tr>\n";
  for (const auto& [name, c] : health.collectors) {
    char duration[32], interval[32];
    std::snprintf(duration, sizeof duration, "%.3fs", c.last_duration_seconds);
    std::snprintf(interval, sizeof interval, "%.0fs", c.interval_seconds);
    std::string status = c.stale ? "<span class=\"down\">stale</span>"
                         : !c.ran ? "pending"
                         : c.up   ? "<span class=\"up\">up</span>"
                                  : "<span class=\"down\">down</span>";
    std::string last = c.last_success ? FormatIsoTime(*c.last_success) : "never";
    if (c.last_success) {
      char ago[32];
      std::snprintf(ago, sizeof ago, " (%.0fs ago)", ToSeconds(now - *c.last_success));
      last += ago;
    }
    const std::string progress = c.pages_expected > 0 && !c.last_success
                                     ? "<br>first poll: page " + std::to_string(c.pages_done) + " of " +
                                           std::to_string(c.pages_expected)
                                     : "";
    html += "<tr><td>" + Escape(name) + "</td><td>" + status + progress + "</td><td>" + last + "</td><td>" +
            duration + "</td><td>" + (c.interval_seconds > 0 ? interval : "-") + "</td><td>" +
            FailureCell(c.last_error, c.last_failure, now) + "</td></tr>\n";
  }
  html += "</table>\n";
  if (!health.webhooks.empty()) {
    html += "<h2>Webhook receivers</h2>\n<table><tr><th>receiver</th><th>delivered</th><th>failed attempts</th>"
            "<th>queued</th><th>last error</th></tr>\n";
    for (const auto& [name, w] : health.webhooks) {
      html += "<tr><td>" + Escape(name) + "</td><td>" + std::to_string(w.delivered) + "</td><td>" +
              std::to_string(w.failures) + "</td><td>" + std::to_string(w.queue_length) + "</td><td>" +
              FailureCell("", w.last_failure, now) + "</td></tr>\n";
    }
    html += "</table>\n";
  }
  html += ConfigSection(health.config, now);
  const SpoolHealth& spool = health.spool;
  if (spool.in_use) {
    html += "<h2>Spool folder</h2>\n<p>" + Escape(spool.dir) + ": ";
    if (spool.writable()) {
      html += "<span class=\"up\">writable</span></p>\n";
    } else {
      html += "<span class=\"down\">not writable</span>: webhook notifications are queued in memory only and "
              "alert state is not saved</p>\n<ul>\n";
      for (const auto& [writer, error] : spool.errors) {
        html += "<li>" + Escape(writer) + ": " + Escape(error) + "</li>\n";
      }
      html += "</ul>\n";
    }
  }
  const WebConfigHealth& web = health.web_config;
  if (web.in_use) {
    html += "<h2>Web configuration</h2>\n<p>" + Escape(web.path) + ": ";
    const std::string since = web.last_success ? " at " + FormatIsoTime(*web.last_success) : "";
    if (web.last_reload_ok) {
      html += "<span class=\"up\">loaded</span>" + since + "</p>\n";
    } else {
      html += "<span class=\"down\">the last change did not load</span>; the one loaded" + since +
              " stays in force</p>\n<p>" + Escape(web.last_error) + "</p>\n";
    }
  }
  html += "</body></html>\n";
  return html;
}

}  // namespace gx
