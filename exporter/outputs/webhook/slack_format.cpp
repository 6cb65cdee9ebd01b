#include "exporter/outputs/webhook/slack_format.h"

#include <algorithm>

#include "exporter/outputs/webhook/message_text.h"
#include "exporter/util/iso_time.h"
#include "exporter/util/json_writer.h"
#include "exporter/util/text_truncate.h"

namespace gx {
namespace {

// Slack's mrkdwn gives &, < and > a meaning; values from the API are shown as they are.
std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

std::string SectionText(const Alert& a) {
  // Appended, not "literal" + temporary: GCC 12 -O3 warns falsely on that (-Wrestrict).
  std::string text = "*";
  text.append(Escape(a.name())).append("* \xC2\xB7 ").append(Escape(a.severity.empty() ? "unknown" : a.severity));
  text.append("\n").append(Escape(a.summary));
  text.append("\n*Where:* ").append(Escape(AlertWhere(a)));
  text.append("\n*Since:* ").append(FormatIsoTime(AlertStartsAt(a), 0));
  if (a.status == AlertStatus::kResolved) text.append("\n*Resolved:* ").append(FormatIsoTime(a.resolved_at, 0));
  // Escaping may have split an entity at the cut; a cut entity shows as text, harmlessly.
  return TruncateChars(text, kSlackMaxTextChars);
}

void TextObject(JsonWriter& w, std::string_view type, std::string_view text) {
  w.BeginObject().Field("type", type).Field("text", text);
  if (type == "plain_text") w.Field("emoji", true);
  w.EndObject();
}

std::string Message(const std::string& title, const std::vector<Alert>& alerts, const RenderOptions& options) {
  // The header and one section per alert; when they do not all fit, the last block says
  // how many were left out.
  const size_t limit = std::min<size_t>(static_cast<size_t>(std::max(1, options.max_alerts)), kSlackMaxBlocks - 1);
  const size_t shown = alerts.size() <= limit ? alerts.size() : std::min(limit, kSlackMaxBlocks - 2);
  JsonWriter w;
  w.BeginObject();
  w.Field("text", TruncateChars(title, kSlackMaxTextChars));
  w.Key("blocks").BeginArray();
  w.BeginObject().Field("type", "header").Key("text");
  TextObject(w, "plain_text", TruncateChars(title, kSlackMaxHeaderChars));
  w.EndObject();
  for (size_t i = 0; i < shown; ++i) {
    w.BeginObject().Field("type", "section").Key("text");
    TextObject(w, "mrkdwn", SectionText(alerts[i]));
    w.EndObject();
  }
  if (shown < alerts.size()) {
    const std::string note = std::string(kEllipsis) + "and " + std::to_string(alerts.size() - shown) + " more alerts not shown (" +
                             std::to_string(alerts.size()) + " in all)";
    w.BeginObject().Field("type", "context").Key("elements").BeginArray();
    TextObject(w, "mrkdwn", note);
    w.EndArray().EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

}  // namespace

std::vector<WebhookRequest> RenderSlack(const AlertMessage& n, const RenderOptions& options) {
  std::vector<WebhookRequest> out;
  if (!n.firing.empty()) {
    const std::string title = "\xF0\x9F\x94\xA5 " + FiringTitle(n);
    out.push_back({GroupMessageId(n, MessagePart::kFiring, options.ids), Message(title, n.firing, options)});
  }
  if (!n.resolved.empty() && options.send_resolved) {
    const std::string title = "\xE2\x9C\x85 " + ResolvedSummary(n);
    out.push_back({GroupMessageId(n, MessagePart::kResolved, options.ids), Message(title, n.resolved, options)});
  }
  return out;
}

}  // namespace gx
