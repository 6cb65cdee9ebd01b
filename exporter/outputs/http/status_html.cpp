#include "exporter/outputs/http/status_html.h"

#include <algorithm>
#include <cstdio>

#include "exporter/util/html_escape.h"
#include "exporter/util/iso_time.h"

namespace gx::status {

// Big type for the verdict on a wall screen; sections in a grid that folds into one column,
// and rows into cards, on a phone.
const char* const kStyle =
    ":root{--ok:#1a7f37;--warn:#bf8700;--bad:#cf222e;--blind:#8250df;--muted:#57606a}"
    "*{box-sizing:border-box}"
    "body{margin:0;font:16px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "background:#f6f8fa;color:#1f2328}"
    "a{color:inherit}"
    ".verdict{padding:1rem 1.25rem;color:#fff;background:var(--muted)}"
    ".verdict h1{margin:0;font-size:clamp(2.5rem,10vw,7rem);line-height:1.05}"
    ".verdict.ok{background:var(--ok)}.verdict.degraded{background:var(--warn)}"
    ".verdict.blind{background:var(--blind)}.verdict.outage{background:var(--bad)}"
    ".why{margin:.5rem 0 0;padding-left:1.2rem;font-size:clamp(1rem,2.4vw,1.6rem)}"
    ".meta{margin:.5rem 0 0;font-size:.9rem;opacity:.9}"
    ".tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.75rem;padding:1rem 1.25rem 0}"
    ".tile{background:#fff;border-radius:8px;padding:.5rem .8rem;border-left:6px solid var(--ok)}"
    ".tile b{display:block;font-size:clamp(1.6rem,4vw,2.8rem);line-height:1.1}"
    ".tile.warn{border-color:var(--warn)}.tile.bad{border-color:var(--bad)}.tile.none{border-color:#d0d7de}"
    "main{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,36rem),1fr));gap:1rem;"
    "padding:1rem 1.25rem}"
    "section{background:#fff;border-radius:8px;padding:.75rem 1rem;min-width:0}"
    "h2{margin:0 0 .5rem;font-size:1.25rem}"
    ".scroll{overflow-x:auto}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #d0d7de;vertical-align:top}"
    "th{font-size:.8rem;text-transform:uppercase;color:var(--muted);white-space:nowrap}"
    "tr.warn{background:#fff8c5}tr.bad{background:#ffebe9}"
    "tr.warn td:first-child{box-shadow:inset 4px 0 var(--warn)}tr.bad td:first-child{box-shadow:inset 4px 0 var(--bad)}"
    ".badge{display:inline-block;padding:0 .5rem;border-radius:1rem;font-size:.85rem;font-weight:600;color:#fff;"
    "background:var(--muted);white-space:nowrap}"
    ".badge.ok{background:var(--ok)}.badge.warn{background:var(--warn)}.badge.bad{background:var(--bad)}"
    ".num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    ".note{color:var(--muted);font-size:.9rem;margin:.5rem 0 0}"
    "small{color:var(--muted);overflow-wrap:anywhere}"
    // A phone: each row a small card, the first cell its title, no sideways scrolling.
    "@media (max-width:640px){main,.tiles{padding-left:.5rem;padding-right:.5rem}section{padding:.5rem}"
    "thead{display:none}tr{display:block;padding:.35rem .25rem;border-bottom:1px solid #d0d7de}"
    "td{display:inline-block;border:0;padding:.05rem .4rem}td:first-child{display:block;font-weight:600}"
    "tr.warn td:first-child,tr.bad td:first-child{box-shadow:none}tr.warn{box-shadow:inset 4px 0 var(--warn)}"
    "tr.bad{box-shadow:inset 4px 0 var(--bad)}}"
    // A wall screen: everything larger.
    "@media (min-width:1800px){body{font-size:20px}}"
    "@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}section,.tile{background:#161b22}"
    "th,td{border-color:#30363d}tr.warn{background:#3b2e00}tr.bad{background:#4a1014}}";

const char* LevelClass(StatusLevel level) {
  switch (level) {
    case StatusLevel::kOk:
    case StatusLevel::kStarting: return "";
    case StatusLevel::kDegraded: return "warn";
    case StatusLevel::kBlind:
    case StatusLevel::kOutage: return "bad";
  }
  return "bad";
}

std::string Badge(StatusLevel level, std::string_view text, bool neutral) {
  std::string cls = neutral ? "" : LevelClass(level);
  if (!neutral && cls.empty()) cls = "ok";
  return "<span class=\"badge" + (cls.empty() ? "" : " " + cls) + "\">" + HtmlEscape(text) + "</span>";
}

std::string Format(const char* fmt, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, value);
  return buf;
}

std::string Span(UnixNanos nanos) {
  const double s = std::max(0.0, ToSeconds(nanos));
  if (s < 120) return Format("%.0f s", s);
  if (s < 90 * 60) return Format("%.0f min", s / 60);
  if (s < 48 * 3600) return Format("%.0f h", s / 3600);
  return Format("%.0f d", s / 86400);
}

std::string Ago(std::optional<UnixNanos> at, UnixNanos now) {
  if (!at || *at <= 0) return "-";
  return "<time datetime=\"" + FormatIsoTime(*at) + "\" title=\"" + FormatIsoTime(*at) + "\">" + Span(now - *at) +
         " ago</time>";
}

std::string Section(const char* id, const std::string& title, const std::string& body) {
  return std::string("<section id=\"") + id + "\"><h2>" + title + "</h2>\n" + body + "</section>\n";
}

std::string Note(const std::string& html) { return "<p class=\"note\">" + html + "</p>\n"; }

std::string Table::Render(std::size_t max_rows) const {
  std::string html = "<div class=\"scroll\"><table><thead><tr>";
  for (const auto& h : headings_) html += "<th>" + h + "</th>";
  html += "</tr></thead><tbody>\n";
  for (std::size_t i = 0; i < rows_.size() && i < max_rows; ++i) {
    const char* cls = LevelClass(rows_[i].level);
    html += *cls ? std::string("<tr class=\"") + cls + "\">" : std::string("<tr>");
    for (const auto& c : rows_[i].cells) html += "<td>" + c + "</td>";
    html += "</tr>\n";
  }
  html += "</tbody></table></div>\n";
  if (rows_.size() > max_rows) {
    html += "<p class=\"note\">" + std::to_string(rows_.size() - max_rows) +
            " more not shown; <a href=\"/dashboard\">/dashboard</a> lists every one.</p>\n";
  }
  return html;
}

}  // namespace gx::status
