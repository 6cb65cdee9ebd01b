#include "exporter/outputs/http/landing_page.h"

#include <cstdio>

#include "exporter/outputs/http/html_fragments.h"
#include "exporter/util/build_version.h"
#include "exporter/util/html_escape.h"
#include "exporter/util/iso_time.h"

namespace gx {
namespace {

std::string ConfigSection(const FileLoadHealth& c, UnixNanos now) {
  std::string html = "<h2>Configuration</h2>\n<p>";
  if (c.last_successful) {
    html += "<span class=\"up\">loaded</span>";
    if (c.last_success) html += HtmlWhen(*c.last_success, now);
  } else {
    html += "<span class=\"down\">last reload refused</span>";
    if (c.last_attempt) html += HtmlWhen(*c.last_attempt, now);
    html += "; the configuration loaded";
    if (c.last_success) html += HtmlWhen(*c.last_success, now);
    html += " stays in force";
  }
  html += "</p>\n";
  if (!c.errors.empty()) {
    html += "<ul>\n";
    for (const auto& e : c.errors) html += "<li>" + HtmlEscape(e) + "</li>\n";
    html += "</ul>\n";
  }
  if (!c.restart_required.empty()) {
    html += "<p><span class=\"down\">restart required</span>: the file changes ";
    for (size_t i = 0; i < c.restart_required.size(); ++i) {
      html += (i ? ", " : "") + std::string("<code>") + HtmlEscape(c.restart_required[i]) + "</code>";
    }
    html += ", which apply only after a restart; the running values stay until then</p>\n";
  }
  return html;
}

}  // namespace

std::string RenderLandingPage(const HealthData& health, const std::map<std::string, WebhookCounts>& webhooks,
                              const std::string& telemetry_path, UnixNanos now) {
  std::string html =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Genesys Cloud Exporter</title>"
      "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
      "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.up{color:#1a7f37}.down{color:#cf222e}"
      "</style></head><body>\n<h1>Genesys Cloud Exporter</h1>\n<p>Version " +
      std::string(BuildVersion()) + " (revision " + BuildRevision() + ")</p>\n<ul>\n";
  html += "<li><a href=\"" + HtmlEscape(telemetry_path) + "\">Metrics</a></li>\n";
  html += "<li><a href=\"/status\">Status</a> (for people: phones, wall screens)</li>\n";
  html += "<li><a href=\"/dashboard\">Dashboard (JSON)</a></li>\n";
  html += "<li><a href=\"/-/healthy\">Health</a></li>\n<li><a href=\"/-/ready\">Readiness</a></li>\n</ul>\n";
  html += "<h2>Genesys Cloud API</h2>\n<p>";
  if (!health.genesys_up.has_value()) html += "not contacted yet";
  else html += *health.genesys_up ? "<span class=\"up\">up</span>" : "<span class=\"down\">down</span>";
  if (!health.oauth_last_failure.error.empty()) {
    html += "; last authentication error: " + HtmlLastError("", health.oauth_last_failure, now);
  }
  html += "</p>\n<h2>Sources</h2>\n<table><tr><th>source</th><th>status</th><th>last success</th>"
          "<th>last duration</th><th>interval</th><th>last error</th></tr>\n";
  for (const auto& [name, c] : health.sources) {
    char duration[32], interval[32];
    std::snprintf(duration, sizeof duration, "%.3fs", c.last_duration_seconds);
    std::snprintf(interval, sizeof interval, "%.0fs", c.interval_seconds);
    const std::string word = SourceStatusWord(c);
    const std::string status = word == "pending" ? word
                               : word == "up"    ? "<span class=\"up\">up</span>"
                                                 : "<span class=\"down\">" + word + "</span>";
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
    html += "<tr><td>" + HtmlEscape(name) + "</td><td>" + status + progress + "</td><td>" + last + "</td><td>" +
            duration + "</td><td>" + (c.interval_seconds > 0 ? interval : "-") + "</td><td>" +
            HtmlLastError(c.last_error, c.last_failure, now) + "</td></tr>\n";
  }
  html += "</table>\n";
  if (!webhooks.empty()) {
    html += "<h2>Webhook receivers</h2>\n<table><tr><th>receiver</th><th>delivered</th><th>failed attempts</th>"
            "<th>queued</th><th>last error</th></tr>\n";
    for (const auto& [name, w] : webhooks) {
      const auto failure = health.webhook_failures.find(name);
      html += "<tr><td>" + HtmlEscape(name) + "</td><td>" + std::to_string(w.delivered) + "</td><td>" +
              std::to_string(w.failures) + "</td><td>" + std::to_string(w.queue_length) + "</td><td>" +
              HtmlLastError("", failure == health.webhook_failures.end() ? LastFailure{} : failure->second, now) +
              "</td></tr>\n";
    }
    html += "</table>\n";
  }
  html += ConfigSection(health.config, now);
  const SpoolHealth& spool = health.spool;
  if (spool.in_use) {
    html += "<h2>Spool folder</h2>\n<p>" + HtmlEscape(spool.dir) + ": ";
    if (spool.writable()) {
      html += "<span class=\"up\">writable</span></p>\n";
    } else {
      html += "<span class=\"down\">not writable</span>: webhook notifications are queued in memory only and "
              "alert state is not saved</p>\n<ul>\n";
      for (const auto& [writer, error] : spool.errors) {
        html += "<li>" + HtmlEscape(writer) + ": " + HtmlEscape(error) + "</li>\n";
      }
      html += "</ul>\n";
    }
  }
  const FileLoadHealth& web = health.web_config;
  if (web.in_use) {
    html += "<h2>Web configuration</h2>\n<p>" + HtmlEscape(web.path) + ": ";
    const std::string since = web.last_success ? " at " + FormatIsoTime(*web.last_success) : "";
    if (web.last_successful) {
      html += "<span class=\"up\">loaded</span>" + since + "</p>\n";
    } else {
      html += "<span class=\"down\">the last change did not load</span>; the one loaded" + since +
              " stays in force</p>\n";
      for (const auto& e : web.errors) html += "<p>" + HtmlEscape(e) + "</p>\n";
    }
  }
  html += "</body></html>\n";
  return html;
}

}  // namespace gx
