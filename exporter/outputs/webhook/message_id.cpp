#include "exporter/outputs/webhook/message_id.h"

#include <openssl/evp.h>

#include <algorithm>

#include "exporter/outputs/webhook/message_text.h"

namespace gx {
namespace {

std::string Digest(std::string_view text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), md, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "msg_";
  for (unsigned int i = 0; i < 16 && i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

// Which repeat_interval round since the group's first startsAt a repeat belongs to; 0 for a
// message sent because something changed (its content tells it apart already).
std::int64_t RepeatRound(const AlertMessage& n, const MessageIdPolicy& policy) {
  if (!n.repeat || policy.repeat_interval <= 0) return 0;
  UnixNanos first = n.created_at;
  for (const auto& a : n.firing) first = std::min(first, AlertStartsAt(a));
  return std::max<UnixNanos>(0, n.created_at - first) / policy.repeat_interval;
}

void AppendAlert(std::string& key, const Alert& a, const MessageIdPolicy& policy) {
  key += a.fingerprint;
  key += a.status == AlertStatus::kResolved ? " resolved " : " firing ";
  key += std::to_string(policy.EpisodeStart(a));
  key += '\n';
}

}  // namespace

UnixNanos MessageIdPolicy::EpisodeStart(const Alert& a) const {
  const UnixNanos start = AlertStartsAt(a);
  const auto it = hold.find(a.name());
  const UnixNanos grid = it == hold.end() ? 0 : std::min(resolution, it->second);
  if (grid <= 0) return start;
  // Floor, also for times before 1970.
  const UnixNanos cell = start / grid - (start % grid < 0 ? 1 : 0);
  return cell * grid;
}

std::string GroupMessageId(const AlertMessage& n, MessagePart part, const MessageIdPolicy& policy) {
  std::string key = "group\n" + n.group_key + "\n";
  key += part == MessagePart::kWhole ? "whole" : part == MessagePart::kFiring ? "firing" : "resolved";
  key += "\nrepeat " + std::to_string(RepeatRound(n, policy)) + "\n";
  if (part != MessagePart::kResolved) {
    for (const auto& a : n.firing) AppendAlert(key, a, policy);
  }
  // The firing part names the resolved alerts too: a message on {a} after {a, b} tells
  // something new even when b's resolve is not shown, and must not look like the first {a}.
  for (const auto& a : n.resolved) AppendAlert(key, a, policy);
  return Digest(key);
}

std::string PerAlertMessageId(const Alert& a, const AlertMessage& n, const MessageIdPolicy& policy) {
  std::string key = "alert\nrepeat " + std::to_string(RepeatRound(n, policy)) + "\n";
  AppendAlert(key, a, policy);
  return Digest(key);
}

std::string PagerDutyDedupKey(const Alert& a, const MessageIdPolicy& policy) {
  const UnixNanos start = policy.EpisodeStart(a);
  // Fingerprints are 16 hex digits; an odd one from a hand-edited state file is cut to fit.
  std::string key = "genesys_exporter/" + a.fingerprint.substr(0, 64) + "/" + std::to_string(start / kNanosPerSecond);
  return key.substr(0, 255);
}

}  // namespace gx
