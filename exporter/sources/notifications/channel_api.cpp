#include "exporter/sources/notifications/channel_api.h"

#include "exporter/util/json_writer.h"

namespace gx {
namespace {

constexpr const char* kChannelsEndpoint = "/api/v2/notifications/channels";
constexpr const char* kSubscriptionsEndpoint = "/api/v2/notifications/channels/{channelId}/subscriptions";

std::string Failure(const ApiResponse& r) { return r.error.empty() ? std::to_string(r.status) : r.error; }

}  // namespace

std::string SubscriptionBody(const std::vector<std::string>& topics) {
  JsonWriter w;
  w.BeginArray();
  for (const auto& t : topics) w.BeginObject().Field("id", t).EndObject();
  w.EndArray();
  return w.Take();
}

Result<Channel> ChannelApi::Create() {
  ApiResponse r = api_.Send("POST", kChannelsEndpoint, "", kChannelsEndpoint);
  if (!r.ok()) return Result<Channel>::Error("POST channels: " + Failure(r));
  Channel out;
  if (auto st = ParseChannel(r.body, out); !st.ok()) return Result<Channel>::Error("POST channels: " + st.error());
  return out;
}

Result<SubscriptionOutcome> ChannelApi::Subscribe(const std::string& channel_id,
                                                 const std::vector<std::string>& topics) {
  using Outcome = Result<SubscriptionOutcome>;
  const std::string path = std::string(kChannelsEndpoint) + "/" + channel_id + "/subscriptions?ignoreErrors=true";
  ApiResponse r = api_.Send("PUT", path, SubscriptionBody(topics), kSubscriptionsEndpoint);
  if (!r.ok()) return Outcome::Error("PUT subscriptions: " + Failure(r));
  std::vector<TopicSubscription> subs;
  if (auto st = ParseSubscriptions(r.body, subs); !st.ok()) return Outcome::Error("PUT subscriptions: " + st.error());
  SubscriptionOutcome out;
  for (const auto& s : subs) {
    if (s.state == "Rejected") {
      std::string perms;
      for (const auto& p : s.missing_permissions) perms += (perms.empty() ? "" : ", ") + p;
      out.rejected.push_back(s.id + " (missing permission: " + (perms.empty() ? "unknown" : perms) + ")");
    } else {
      ++out.permitted;
    }
  }
  if (subs.empty()) out.permitted = topics.size();  // an answer without entities: assume all taken
  return out;
}

}  // namespace gx
