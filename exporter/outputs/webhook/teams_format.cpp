#include "exporter/outputs/webhook/teams_format.h"

#include <algorithm>

#include "exporter/outputs/webhook/message_text.h"
#include "exporter/util/iso_time.h"
#include "exporter/util/json_writer.h"
#include "exporter/util/text_truncate.h"

namespace gx {
namespace {

std::string Text(std::string_view s) { return TruncateChars(s, kTeamsMaxTextChars); }

void TextBlock(JsonWriter& w, std::string_view text, bool title = false, std::string_view color = "") {
  w.BeginObject().Field("type", "TextBlock").Field("text", Text(text)).Field("wrap", true);
  if (title) w.Field("size", "Large").Field("weight", "Bolder");
  if (!color.empty()) w.Field("color", color);
  w.EndObject();
}

void Fact(JsonWriter& w, std::string_view title, std::string_view value) {
  w.BeginObject().Field("title", title).Field("value", Text(value)).EndObject();
}

// One alert as a Container: its name and summary, then a FactSet.
std::string AlertContainer(const Alert& a) {
  JsonWriter w;
  w.BeginObject().Field("type", "Container").Field("separator", true).Key("items").BeginArray();
  TextBlock(w, a.name() + ": " + a.summary);
  w.BeginObject().Field("type", "FactSet").Key("facts").BeginArray();
  Fact(w, "Severity", a.severity.empty() ? "unknown" : a.severity);
  Fact(w, "Where", AlertWhere(a));
  Fact(w, "Since", FormatIsoTime(AlertStartsAt(a), 0));
  if (a.status == AlertStatus::kResolved) Fact(w, "Resolved", FormatIsoTime(a.resolved_at, 0));
  w.EndArray().EndObject();
  w.EndArray().EndObject();
  return w.Take();
}

std::string Card(const std::string& title, std::string_view color, const std::vector<Alert>& alerts,
                 const RenderOptions& options) {
  const size_t limit = static_cast<size_t>(std::max(1, options.max_alerts));
  std::vector<std::string> containers;
  size_t bytes = 1024 + title.size();  // the envelope, the title and the note
  for (const auto& a : alerts) {
    if (containers.size() >= limit) break;
    std::string c = AlertContainer(a);
    if (bytes + c.size() + 1 > kTeamsMaxBodyBytes) break;
    bytes += c.size() + 1;
    containers.push_back(std::move(c));
  }
  JsonWriter w;
  w.BeginObject().Field("type", "message").Key("attachments").BeginArray();
  w.BeginObject().Field("contentType", "application/vnd.microsoft.card.adaptive").Key("contentUrl").Null();
  w.Key("content").BeginObject();
  w.Field("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
  w.Field("type", "AdaptiveCard").Field("version", "1.4");
  w.Key("body").BeginArray();
  TextBlock(w, title, /*title=*/true, color);
  for (const auto& c : containers) w.Raw(c);
  if (containers.size() < alerts.size()) {
    TextBlock(w, std::string(kEllipsis) + "and " + std::to_string(alerts.size() - containers.size()) + " more alerts not shown (" +
                     std::to_string(alerts.size()) + " in all)");
  }
  w.EndArray();
  w.Key("msteams").BeginObject().Field("width", "Full").EndObject();
  w.EndObject();  // content
  w.EndObject().EndArray().EndObject();
  return w.Take();
}

}  // namespace

std::vector<WebhookRequest> RenderTeams(const AlertMessage& n, const RenderOptions& options) {
  std::vector<WebhookRequest> out;
  if (!n.firing.empty()) {
    const std::string title = FiringTitle(n);
    out.push_back({GroupMessageId(n, MessagePart::kFiring, options.ids), Card(title, "Attention", n.firing, options)});
  }
  if (!n.resolved.empty() && options.send_resolved) {
    out.push_back(
        {GroupMessageId(n, MessagePart::kResolved, options.ids), Card(ResolvedSummary(n), "Good", n.resolved, options)});
  }
  return out;
}

}  // namespace gx
