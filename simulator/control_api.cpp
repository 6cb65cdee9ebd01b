// /sim/v1: the simulator's control API (truth, request log, faults, mutations, streaming and
// token controls, TLS endpoints). Bodies are flat JSON objects.
#include <simdjson.h>

#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <shared_mutex>

#include "simulator/http_internal.h"
#include "simulator/json_writer.h"
#include "simulator/phone_line_load.h"
#include "simulator/sim_core.h"
#include "simulator/sim_time.h"
#include "simulator/simulator.h"

namespace gx::sim {
namespace {

using Fields = std::map<std::string, std::string>;

// Flat object -> key/value strings (numbers and booleans as their JSON text).
Result<Fields> ParseFlat(const std::string& body) {
  Fields out;
  if (body.empty()) return out;
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(body);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object obj;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(obj)) return Status::Error("body must be a JSON object");
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return Status::Error("bad key");
    simdjson::ondemand::value v;
    if (field.value().get(v)) return Status::Error("bad value");
    simdjson::ondemand::json_type type;
    if (v.type().get(type)) return Status::Error("bad value");
    std::string value;
    if (type == simdjson::ondemand::json_type::string) {
      std::string_view s;
      if (v.get_string().get(s)) return Status::Error("bad string");
      value = s;
    } else if (type == simdjson::ondemand::json_type::null) {
      value = "";
    } else {
      std::string_view raw;
      raw = v.raw_json_token();
      value = raw;
      while (!value.empty() && (value.back() == ' ' || value.back() == '\n')) value.pop_back();
    }
    out[std::string(key)] = value;
  }
  return out;
}

double Num(const Fields& m, const char* k, double dflt) {
  auto it = m.find(k);
  if (it == m.end() || it->second.empty()) return dflt;
  try {
    return std::stod(it->second);
  } catch (...) {
    return dflt;
  }
}

std::string Str(const Fields& m, const char* k, const char* dflt = "") {
  auto it = m.find(k);
  return it == m.end() ? dflt : it->second;
}

void Reply(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_content(std::move(body), "application/json");
}

void Fail(httplib::Response& res, int status, const std::string& message) {
  JsonWriter w;
  w.BeginObject().Str("error", message).EndObject();
  Reply(res, status, w.Take());
}

std::string Ok(int count = -1) {
  JsonWriter w;
  w.BeginObject().Flag("ok", true);
  if (count >= 0) w.Num("count", count);
  w.EndObject();
  return w.Take();
}

// A numeric field within [lo, hi] (finite), or its default when absent; an error otherwise,
// so that a hostile value is a 400, not an overflowing cast.
Result<double> Bounded(const Fields& m, const char* k, double dflt, double lo, double hi) {
  const double v = Num(m, k, dflt);
  if (std::isfinite(v) && v >= lo && v <= hi) return v;
  return Status::Error(std::string(k) + " must be a number in [" + std::to_string(static_cast<long long>(lo)) + ", " +
                       std::to_string(static_cast<long long>(hi)) + "]");
}

Result<FaultSpec> FaultFrom(const Fields& m) {
  constexpr double kMaxSeconds = 366.0 * 86400;  // a year of simulated time is plenty for any fault
  const Result<double> count = Bounded(m, "count", -1, -1, 1e9);
  if (!count) return count.status();
  const Result<double> duration = Bounded(m, "duration_s", 0, 0, kMaxSeconds);
  if (!duration) return duration.status();
  const Result<double> status = Bounded(m, "status", 503, 100, 599);
  if (!status) return status.status();
  const Result<double> delay = Bounded(m, "delay_s", 5, 0, 3600);
  if (!delay) return delay.status();
  const Result<double> retry_after = Bounded(m, "retry_after_s", 2, 0, 1e9);
  if (!retry_after) return retry_after.status();
  FaultSpec f;
  f.kind = Str(m, "kind");
  f.path = Str(m, "path");
  f.count = static_cast<int>(*count);
  f.duration_s = *duration;
  f.status = static_cast<int>(*status);
  f.delay_s = *delay;
  f.retry_after_s = static_cast<int>(*retry_after);
  return f;
}

std::string TruthJson(const Truth& t) {
  JsonWriter w;
  w.BeginObject().Num("phones", t.phones).Num("edgesOnline", t.edges_online)
      .Num("edgesTotal", static_cast<std::int64_t>(t.edges.size()));
  w.Key("sites").BeginArray();
  for (const auto& s : t.sites) {
    w.BeginObject().Str("id", s.id).Str("name", s.name).Num("phones", s.phones)
        .Num("phonesRegistered", s.phones_registered).Num("lines", s.lines).Num("linesReachable", s.lines_reachable);
    w.Key("phonesByStatus").BeginObject();
    for (const auto& [k, v] : s.phones_by_status) w.Num(k, v);
    w.EndObject().EndObject();
  }
  w.EndArray();
  w.Key("trunks").BeginArray();
  for (const auto& tr : t.trunks) {
    w.BeginObject().Str("id", tr.id).Str("name", tr.name).Str("trunkType", tr.type).Str("edgeId", tr.edge_id)
        .Str("protocol", tr.protocol).Str("tlsCase", tr.tls_case).Flag("connected", tr.connected)
        .Flag("inService", tr.in_service).Flag("enabled", tr.enabled).Flag("optionsEnabled", tr.options_enabled)
        .Flag("registersEnabled", tr.registers_enabled).Num("inboundCalls", tr.inbound)
        .Num("outboundCalls", tr.outbound).Num("qosMismatches", tr.qos_mismatches);
    w.Key("proxies").BeginArray();
    for (const auto& p : tr.proxies) {
      w.BeginObject().Str("address", p.address).Flag("optionsUp", p.options_up).Flag("registerUp", p.register_up).EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray();
  w.Key("edges").BeginArray();
  for (const auto& e : t.edges) w.BeginObject().Str("id", e.id).Str("name", e.name).Str("site", e.site).Flag("online", e.online).EndObject();
  w.EndArray();
  w.Key("users").BeginArray();
  for (const auto& u : t.users) {
    w.BeginObject().Str("id", u.id).Str("name", u.name).Str("stationId", u.station_id).Str("phoneId", u.phone_id)
        .Flag("registered", u.registered).EndObject();
  }
  w.EndArray();
  w.Key("requests").BeginObject();
  for (const auto& [ep, by_status] : t.requests) {
    w.Key(ep).BeginObject();
    for (const auto& [st, n] : by_status) w.Num(std::to_string(st), static_cast<std::int64_t>(n));
    w.EndObject();
  }
  w.EndObject().EndObject();
  return w.Take();
}

// rate_limit_exhausted acts on the finished /api/v2 answer (any status): its inin-ratelimit-*
// headers say the window is used up and resets in the fault's retry_after_s. Installed with
// the control API, which creates the faults; the request pipeline stays as it is.
void InstallExhaustedWindowFault(httplib::Server& srv, SimCore& core) {
  srv.set_post_routing_handler([&core](const httplib::Request& req, httplib::Response& res) {
    if (req.path.rfind("/api/v2/", 0) != 0) return;
    auto reset_s = core.faults.MatchExhaustedWindow(req.path, core.Now());
    if (!reset_s) return;
    const std::string allowed = std::to_string(core.scenario().rate_limit_per_minute);
    for (const char* h : {"inin-ratelimit-allowed", "inin-ratelimit-count", "inin-ratelimit-reset"}) {
      res.headers.erase(h);
    }
    res.set_header("inin-ratelimit-allowed", allowed);
    res.set_header("inin-ratelimit-count", allowed);
    res.set_header("inin-ratelimit-reset", std::to_string(*reset_s));
  });
}

}  // namespace

void RegisterControlRoutes(httplib::Server& srv, SimCore& core, Simulator& sim) {
  using Req = const httplib::Request&;
  using Res = httplib::Response&;
  InstallExhaustedWindowFault(srv, core);
  srv.Get("/sim/v1/truth", [&core](Req, Res res) { Reply(res, 200, TruthJson(core.GetTruth())); });
  srv.Get("/sim/v1/requests", [&core](Req req, Res res) {
    std::uint64_t since = req.has_param("since") ? std::stoull("0" + req.get_param_value("since")) : 0;
    JsonWriter w;
    w.BeginObject().Key("counts").BeginObject();
    for (const auto& [ep, by_status] : core.requests.Counts()) {
      w.Key(ep).BeginObject();
      for (const auto& [st, n] : by_status) w.Num(std::to_string(st), static_cast<std::int64_t>(n));
      w.EndObject();
    }
    w.EndObject().Key("entries").BeginArray();
    for (const auto& r : core.requests.Since(since)) {
      w.BeginObject().Num("seq", static_cast<std::int64_t>(r.seq)).Str("time", FormatIso(r.time, 3))
          .Str("method", r.method).Str("path", r.path).Str("query", r.query).Str("endpoint", r.endpoint)
          .Num("status", r.status).Str("correlationId", r.correlation_id).EndObject();
    }
    w.EndArray().EndObject();
    Reply(res, 200, w.Take());
  });
  srv.Delete("/sim/v1/requests", [&core](Req, Res res) {
    core.requests.Reset();
    Reply(res, 200, Ok());
  });
  srv.Post("/sim/v1/faults", [&core](Req req, Res res) {
    const Result<Fields> body = ParseFlat(req.body);
    if (!body) return Fail(res, 400, body.error());
    const Fields& m = *body;
    Result<FaultSpec> spec = FaultFrom(m);
    if (!spec) return Fail(res, 400, spec.error());
    FaultSpec f = std::move(spec).value();
    static const std::set<std::string> streaming = {"socket_drop", "socket_closing", "heartbeat_stop",
                                                    "heartbeat_start", "token_revoke"};
    if (!FaultSet::IsHttpKind(f.kind) && !streaming.count(f.kind)) return Fail(res, 400, "unknown fault kind '" + f.kind + "'");
    int id = core.InjectFault(f);
    JsonWriter w;
    w.BeginObject().Num("id", id).Str("kind", f.kind).EndObject();
    Reply(res, 201, w.Take());
  });
  srv.Get("/sim/v1/faults", [&core](Req, Res res) {
    JsonWriter w;
    w.BeginObject().Key("faults").BeginArray();
    for (const auto& f : core.faults.List(core.Now())) {
      w.BeginObject().Num("id", f.id).Str("kind", f.spec.kind).Str("path", f.spec.path).Num("remaining", f.remaining)
          .Num("applied", f.applied).EndObject();
    }
    w.EndArray().Flag("heartbeatsEnabled", core.heartbeats_enabled()).EndObject();
    Reply(res, 200, w.Take());
  });
  srv.Delete("/sim/v1/faults", [&core](Req, Res res) {
    core.faults.Clear();
    core.SetHeartbeats(true);
    Reply(res, 200, Ok());
  });
  srv.Delete(R"(/sim/v1/faults/(\d+))", [&core](Req req, Res res) {
    if (!core.faults.Remove(std::stoi(req.matches[1]))) return Fail(res, 404, "no such fault");
    Reply(res, 200, Ok());
  });
  srv.Post("/sim/v1/mutations", [&core](Req req, Res res) {
    const Result<Fields> body = ParseFlat(req.body);
    if (!body) return Fail(res, 400, body.error());
    const Fields& m = *body;
    TimelineEvent ev;
    ev.action = Str(m, "action");
    ev.target = Str(m, "target");
    for (auto& [k, v] : m) {
      if (k != "action" && k != "target") ev.args[k] = v;
    }
    if (ev.action == "fault") {
      Result<FaultSpec> spec = FaultFrom(m);
      if (!spec) return Fail(res, 400, spec.error());
      ev.fault = std::move(spec).value();
    }
    if (Status applied = core.ApplyEvent(ev); !applied) {
      const std::string& err = applied.error();
      return Fail(res, err.rfind("unknown action", 0) == 0 ? 400 : 404, err);
    }
    Reply(res, 200, Ok());
  });
  // A steady stream of line changes from inside the simulator (phone_line_load.h).
  srv.Post("/sim/v1/load/phone_lines", [&sim](Req req, Res res) {
    const Result<Fields> body = ParseFlat(req.body);
    if (!body) return Fail(res, 400, body.error());
    PhoneLineLoadSpec spec;
    const Result<double> rate = Bounded(*body, "rate", spec.rate, 1, PhoneLineLoad::kMaxRate);
    if (!rate) return Fail(res, 400, rate.error());
    const Result<double> seconds = Bounded(*body, "seconds", spec.seconds, 1, PhoneLineLoad::kMaxSeconds);
    if (!seconds) return Fail(res, 400, seconds.error());
    const Result<double> phones = Bounded(*body, "phones", spec.phones, 1, 1e7);
    if (!phones) return Fail(res, 400, phones.error());
    spec.rate = *rate;
    spec.seconds = *seconds;
    spec.phones = static_cast<int>(*phones);
    if (Status started = sim.phone_line_load().Start(spec); !started) {
      return Fail(res, started.error() == "a load is running" ? 409 : 400, started.error());
    }
    Reply(res, 202, Ok());
  });
  srv.Get("/sim/v1/load/phone_lines", [&sim](Req, Res res) {
    const PhoneLineLoadStatus s = sim.phone_line_load().status();
    JsonWriter w;
    w.BeginObject().Flag("running", s.running).Num("sent", static_cast<std::int64_t>(s.sent))
        .Num("failed", static_cast<std::int64_t>(s.failed)).Num("lateMaxMicros", s.late_max_us)
        .Num("lateOver1ms", static_cast<std::int64_t>(s.late_over_1ms)).EndObject();
    Reply(res, 200, w.Take());
  });
  srv.Delete("/sim/v1/load/phone_lines", [&sim](Req, Res res) {
    sim.phone_line_load().Stop();
    Reply(res, 200, Ok());
  });
  srv.Post("/sim/v1/entities/delete", [&core](Req req, Res res) {
    const Result<Fields> body = ParseFlat(req.body);
    if (!body) return Fail(res, 400, body.error());
    const Fields& m = *body;
    if (Status deleted = core.DeleteEntity(Str(m, "kind"), Str(m, "id")); !deleted) {
      return Fail(res, 404, deleted.error());
    }
    Reply(res, 200, Ok());
  });
  srv.Post("/sim/v1/entities/phones", [&core](Req req, Res res) {
    const Result<Fields> body = ParseFlat(req.body);
    if (!body) return Fail(res, 400, body.error());
    const Fields& m = *body;
    const Result<std::string> id = core.AddPhone(Str(m, "site", "0"), Str(m, "name"));
    if (!id) return Fail(res, 404, id.error());
    JsonWriter w;
    w.BeginObject().Str("id", *id).EndObject();
    Reply(res, 201, w.Take());
  });
  srv.Post("/sim/v1/tokens/revoke", [&core](Req, Res res) { Reply(res, 200, Ok(core.RevokeTokens())); });
  srv.Post("/sim/v1/streaming/socket_closing", [&core](Req req, Res res) {
    const Result<Fields> body = ParseFlat(req.body);
    if (!body) return Fail(res, 400, body.error());
    const Fields& m = *body;
    Reply(res, 200, Ok(core.SendSocketClosing(Num(m, "close_after_s", 0))));
  });
  srv.Post("/sim/v1/streaming/drop", [&core](Req, Res res) { Reply(res, 200, Ok(core.DropSockets())); });
  srv.Post("/sim/v1/streaming/heartbeats", [&core](Req req, Res res) {
    const Result<Fields> body = ParseFlat(req.body);
    if (!body) return Fail(res, 400, body.error());
    const Fields& m = *body;
    if (m.count("enabled")) core.SetHeartbeats(Str(m, "enabled") == "true");
    if (m.count("interval_s")) {
      const Result<double> s = Bounded(m, "interval_s", 30, 0, kMaxHeartbeatIntervalS);
      if (!s) return Fail(res, 400, s.error());
      core.SetHeartbeatInterval(*s);
    }
    Reply(res, 200, Ok());
  });
  srv.Post("/sim/v1/streaming/channel_lifetime", [&core](Req req, Res res) {
    const Result<Fields> body = ParseFlat(req.body);
    if (!body) return Fail(res, 400, body.error());
    const Fields& m = *body;
    double s = Num(m, "seconds", -1);
    if (Status lifetime = CheckChannelLifetime(s); !lifetime) return Fail(res, 400, "seconds " + lifetime.error());
    core.SetChannelLifetime(s, Str(m, "apply_to_existing", "true") != "false");
    Reply(res, 200, Ok());
  });
  srv.Post("/sim/v1/streaming/reported_expires", [&core](Req req, Res res) {
    const Result<Fields> body = ParseFlat(req.body);
    if (!body) return Fail(res, 400, body.error());
    const Fields& m = *body;
    std::string text = Str(m, "expires");
    if (text.size() > 64) return Fail(res, 400, "expires must be at most 64 characters");
    core.channels.SetReportedExpires(std::move(text));
    Reply(res, 200, Ok());
  });
  srv.Get("/sim/v1/streaming", [&core](Req, Res res) {
    JsonWriter w;
    w.BeginObject().Flag("heartbeatsEnabled", core.heartbeats_enabled())
        .Key("heartbeatIntervalS").Double(core.heartbeat_interval_s())
        .Key("channelLifetimeS").Double(core.channel_lifetime_s())
        .Num("eventsPublished", static_cast<std::int64_t>(core.events_published.load()));
    w.Key("channels").BeginArray();
    for (const auto& c : core.channels.All()) {
      w.BeginObject().Str("id", c.id).Str("expires", FormatIso(c.expires, 3)).Flag("connected", c.connected)
          .Num("topics", static_cast<std::int64_t>(c.topics.size())).EndObject();
    }
    w.EndArray().EndObject();
    Reply(res, 200, w.Take());
  });
  srv.Get("/sim/v1/tls", [&sim](Req, Res res) {
    JsonWriter w;
    w.BeginObject().Str("caBundle", sim.ca_bundle_path()).Key("endpoints").BeginArray();
    for (const auto& e : sim.tls_endpoints()) {
      w.BeginObject().Str("name", e.name).Str("address", e.address).Flag("expectVerified", e.expect_verified).EndObject();
    }
    w.EndArray().EndObject();
    Reply(res, 200, w.Take());
  });
  srv.Get("/sim/v1/scenario", [&core, &sim](Req, Res res) {
    const auto& s = core.scenario();
    JsonWriter w;
    core.Read([&](const Org& org) {
    w.BeginObject().Str("name", s.name).Num("seed", static_cast<std::int64_t>(s.seed)).Key("timeScale").Double(s.time_scale)
        .Str("clientId", s.client_id).Num("maxPageSize", s.max_page_size).Num("rateLimitPerMinute", s.rate_limit_per_minute)
        .Num("tokenLifetimeS", s.token_lifetime_s).Str("baseUrl", sim.base_url())
        .Num("sites", static_cast<std::int64_t>(org.sites.size()))
        .Num("edges", static_cast<std::int64_t>(org.edges.size()))
        .Num("phones", static_cast<std::int64_t>(org.phones_by_name.size()))
        .Num("users", static_cast<std::int64_t>(org.users.size()))
        .Num("trunks", static_cast<std::int64_t>(org.trunks.size()))
        .Num("timelineEvents", static_cast<std::int64_t>(s.timeline.size()));
    });
    w.EndObject();
    Reply(res, 200, w.Take());
  });
}

}  // namespace gx::sim
