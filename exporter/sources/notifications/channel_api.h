// The Notification Service's REST side: create a channel, and set the topics it
// carries (docs/genesys-api.md, /api/v2/notifications/channels). Holds no state;
// thread-safe as the ApiClient is.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "exporter/genesys/api/api_client.h"
#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/util/result.h"

namespace gx {

// What the service made of a PUT of subscriptions.
struct SubscriptionOutcome {
  std::size_t permitted = 0;
  // "<topic> (missing permission: a, b)", one per rejected topic, for the log and the dashboard.
  std::vector<std::string> rejected;
};

class ChannelApi {
 public:
  explicit ChannelApi(ApiClient& api) : api_(api) {}

  // POST channels. A failure says "POST channels: ...".
  Result<Channel> Create();
  // PUT the channel's whole topic list (ignoreErrors=true: a rejected topic does
  // not fail the others). A failure says "PUT subscriptions: ...".
  Result<SubscriptionOutcome> Subscribe(const std::string& channel_id, const std::vector<std::string>& topics);

 private:
  ApiClient& api_;
};

// The PUT body: [{"id":"<topic>"}, ...].
std::string SubscriptionBody(const std::vector<std::string>& topics);

}  // namespace gx
