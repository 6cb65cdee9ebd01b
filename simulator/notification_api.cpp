// /api/v2/notifications: channels (POST, GET, HEAD), subscriptions (GET, PUT, POST, DELETE)
// and availabletopics.
#include <simdjson.h>

#include <regex>

#include "simulator/http_internal.h"
#include "simulator/json_writer.h"
#include "simulator/sim_core.h"
#include "simulator/sim_time.h"

namespace gx::sim {
namespace {

const char* kTopicTemplates[][2] = {
    {"v2.telephony.providers.edges.phones.{id}", "Phone status changes"},
    {"v2.telephony.providers.edges.trunks.{id}", "Trunk status changes"},
    {"v2.telephony.providers.edges.trunks.{id}.metrics", "Trunk call and QoS metrics"},
    {"v2.telephony.providers.edges.{id}", "Edge online status changes"},
    {"v2.telephony.providers.edges.{id}.metrics", "Edge metrics"},
    {"v2.telephony.providers.edges.{id}.logicalinterfaces", "Edge logical interface changes"},
    {"v2.telephony.providers.edges.{id}.softwareupdate", "Edge software update progress"},
    {"v2.users.{id}.station", "User station association changes"},
};

bool TopicPermitted(const std::string& topic) {
  static const std::regex re(
      R"(^v2\.(telephony\.providers\.edges\.(phones\.[^.]+|trunks\.[^.]+(\.metrics)?|[^.]+(\.(metrics|logicalinterfaces|softwareupdate))?)|users\.[^.]+\.station)$)");
  return std::regex_match(topic, re);
}

void WriteChannel(JsonWriter& w, const ChannelInfo& c, const SimCore& core) {
  w.BeginObject().Str("connectUri", core.ws_base + "/channels/" + c.id).Str("id", c.id)
      .Str("expires", c.reported_expires.empty() ? FormatIso(c.expires, 3) : c.reported_expires).EndObject();
}

// Parses [{"id":"topic"}, ...]; false on a malformed body.
bool ParseTopics(const std::string& body, std::vector<std::string>& out) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(body);
  simdjson::ondemand::document doc;
  if (parser.iterate(padded).get(doc)) return false;
  simdjson::ondemand::array arr;
  if (doc.get_array().get(arr)) return false;
  for (auto item : arr) {
    simdjson::ondemand::object obj;
    if (item.get_object().get(obj)) return false;
    std::string_view id;
    if (obj["id"].get_string().get(id)) return false;
    out.emplace_back(id);
  }
  return true;
}

}  // namespace

void RegisterNotificationRoutes(httplib::Server& srv, SimCore& core) {
  const std::string base = "/api/v2/notifications";
  AddApiRoute(srv, core, "POST", base + "/channels", base + "/channels",
              [&core](const httplib::Request&, httplib::Response& res, ApiCall& call) {
    ChannelInfo c = core.channels.Create(call.token, core.scenario().client_id, core.Now(), core.channel_lifetime_s());
    JsonWriter w;
    WriteChannel(w, c, core);
    SendJson(res, 200, w.Take(), call);
  });
  AddApiRoute(srv, core, "GET", base + "/channels", base + "/channels",
              [&core](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    std::string include = req.has_param("includechannels") ? req.get_param_value("includechannels") : "token";
    auto list = core.channels.ListForClient(core.scenario().client_id, call.token, include != "oauthclient", core.Now());
    JsonWriter w;
    w.BeginObject().Key("entities").BeginArray();
    for (const auto& c : list) WriteChannel(w, c, core);
    w.EndArray().EndObject();
    SendJson(res, 200, w.Take(), call);
  });
  // HEAD is routed here by httplib (it strips the body).
  AddApiRoute(srv, core, "GET", base + "/channels/([^/]+)", base + "/channels/{channelId}",
              [&core](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    if (!core.channels.Get(req.matches[1], core.Now())) {
      SendError(res, 404, "not.found", "Channel not found", call.correlation_id);
      return;
    }
    res.status = 200;
  });
  const std::string subs = base + "/channels/([^/]+)/subscriptions";
  const std::string subs_t = base + "/channels/{channelId}/subscriptions";
  auto write_topics = [](const std::vector<std::string>& permitted, const std::vector<std::string>& rejected) {
    JsonWriter w;
    w.BeginObject().Key("entities").BeginArray();
    for (const auto& t : permitted) w.BeginObject().Str("id", t).Str("state", "Permitted").EndObject();
    for (const auto& t : rejected) {
      w.BeginObject().Str("id", t).Str("state", "Rejected").Str("rejectionReason", "Topic not found or not allowed")
          .Key("missingPermissions").BeginArray().EndArray().EndObject();
    }
    w.EndArray().EndObject();
    return w.Take();
  };
  auto set = [&core, write_topics](bool replace) {
    return [&core, replace, write_topics](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
      std::vector<std::string> topics;
      if (!ParseTopics(req.body, topics)) {
        SendError(res, 400, "bad.request", "The request body must be a JSON array of {\"id\": topic}",
                  call.correlation_id);
        return;
      }
      const bool ignore = req.get_param_value("ignoreErrors") == "true";
      std::vector<std::string> permitted, rejected;
      for (auto& t : topics) (TopicPermitted(t) ? permitted : rejected).push_back(t);
      if (!rejected.empty() && !ignore) {
        SendError(res, 400, "bad.request", "Invalid topic: " + rejected.front(), call.correlation_id);
        return;
      }
      auto r = core.channels.Subscribe(req.matches[1], permitted, replace, core.Now());
      if (!r) {
        SendError(res, 404, "not.found", "Channel not found", call.correlation_id);
        return;
      }
      if (!r->ok) {
        SendError(res, 400, "bad.request", r->error, call.correlation_id);
        return;
      }
      SendJson(res, 200, write_topics(r->topics, rejected), call);
    };
  };
  AddApiRoute(srv, core, "PUT", subs, subs_t, set(true));
  AddApiRoute(srv, core, "POST", subs, subs_t, set(false));
  AddApiRoute(srv, core, "GET", subs, subs_t,
              [&core, write_topics](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    auto c = core.channels.Get(req.matches[1], core.Now());
    if (!c) return SendError(res, 404, "not.found", "Channel not found", call.correlation_id);
    SendJson(res, 200, write_topics(c->topics, {}), call);
  });
  AddApiRoute(srv, core, "DELETE", subs, subs_t,
              [&core](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    if (!core.channels.ClearTopics(req.matches[1])) {
      return SendError(res, 404, "not.found", "Channel not found", call.correlation_id);
    }
    res.status = 204;
  });
  AddApiRoute(srv, core, "GET", base + "/availabletopics", base + "/availabletopics",
              [](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    std::string expand = req.get_param_value("expand");
    JsonWriter w;
    w.BeginObject().Key("entities").BeginArray();
    for (const auto& t : kTopicTemplates) {
      w.BeginObject().Str("id", t[0]);
      if (expand.find("description") != std::string::npos) w.Str("description", t[1]);
      if (expand.find("requiresPermissions") != std::string::npos) {
        w.Key("requiresPermissions").BeginArray().String("telephony:plugin:all").EndArray();
      }
      if (expand.find("permissionDetails") != std::string::npos) {
        w.Key("permissionDetails").BeginArray().BeginObject().Str("type", "permission")
            .Key("permissions").BeginArray().String("telephony:plugin:all").EndArray().Flag("allowsCurrentUser", false)
            .Flag("enforced", true).EndObject().EndArray();
      }
      if (expand.find("transports") != std::string::npos) {
        w.Key("transports").BeginArray().String("Websocket").EndArray();
      }
      w.Flag("requiresCurrentUser", false).Flag("requiresCurrentUserOrPermission", false);
      w.Str("visibility", "Public").Flag("enforced", true);
      w.EndObject();
    }
    w.EndArray().EndObject();
    SendJson(res, 200, w.Take(), call);
  });
}

}  // namespace gx::sim
