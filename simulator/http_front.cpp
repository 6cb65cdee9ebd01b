#include "simulator/http_front.h"

#include <chrono>
#include <random>
#include <thread>

#include "exporter/util/http/http_listener.h"
#include "simulator/http_internal.h"
#include "simulator/json_writer.h"
#include "simulator/sim_core.h"

namespace gx::sim {

std::string NewCorrelationId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return MakeId(rng);
}

void SendError(httplib::Response& res, int status, const std::string& code, const std::string& message,
               const std::string& correlation_id) {
  JsonWriter w;
  w.BeginObject().Str("message", message).Str("code", code).Num("status", status);
  w.Str("messageWithParams", message).Key("messageParams").BeginObject().EndObject();
  w.Str("contextId", correlation_id).Key("details").BeginArray().EndArray();
  w.Key("errors").BeginArray().EndArray().EndObject();
  res.status = status;
  res.set_content(w.Take(), "application/json");
}

void SendJson(httplib::Response& res, int status, std::string body, const ApiCall& call) {
  if (call.faults.truncated_json && body.size() > 2) {
    body.resize(body.size() / 2);
  } else if (call.faults.malformed_json && !body.empty()) {
    body.insert(body.size() / 2, "\",}{:[");
  }
  res.status = status;
  res.set_content(body, "application/json");
}

namespace {

std::string BearerToken(const httplib::Request& req) {
  auto h = req.get_header_value("Authorization");
  if (h.size() > 7 && strncasecmp(h.c_str(), "bearer ", 7) == 0) return h.substr(7);
  return "";
}

void RateHeaders(httplib::Response& res, int limit, int count, int reset_s) {
  res.set_header("inin-ratelimit-allowed", std::to_string(limit));
  res.set_header("inin-ratelimit-count", std::to_string(count));
  res.set_header("inin-ratelimit-reset", std::to_string(reset_s));
}

void Log(SimCore& core, const httplib::Request& req, const httplib::Response& res, const std::string& endpoint,
         const std::string& cid) {
  RequestRecord r;
  r.time = core.Now();
  r.method = req.method;
  r.path = req.path;
  std::string q;
  for (const auto& [k, v] : req.params) q += (q.empty() ? "" : "&") + k + "=" + v;
  r.query = q;
  r.endpoint = endpoint;
  r.correlation_id = cid;
  r.status = res.status;
  core.requests.Add(std::move(r));
}

std::string Base64Decode(const std::string& in) {
  static const std::string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int val = 0, bits = -8;
  for (char c : in) {
    if (c == '=') break;
    auto pos = chars.find(c);
    if (pos == std::string::npos) continue;
    val = (val << 6) + static_cast<int>(pos);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((val >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

// Applies the faults that replace the answer; true when the response is already final.
bool ApplyBlockingFaults(httplib::Response& res, const FaultEffects& f, const std::string& cid) {
  if (f.delay_s > 0) std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(f.delay_s * 1000)));
  if (f.rate_limit) {
    res.set_header("Retry-After", std::to_string(f.retry_after_s));
    SendError(res, 429, "too.many.requests", "Rate limit exceeded the maximum. Retry the request in [" +
                                                 std::to_string(f.retry_after_s) + "] seconds",
              cid);
    return true;
  }
  if (f.server_error) {
    int s = f.server_error;
    const char* code = s == 503 ? "service.unavailable" : s == 504 ? "request.timeout" : "internal.server.error";
    SendError(res, s, code, "The requested operation failed with status " + std::to_string(s), cid);
    return true;
  }
  return false;
}

void OAuthError(httplib::Response& res, int status, const std::string& error, const std::string& text) {
  JsonWriter w;
  w.BeginObject().Str("error", error).Str("description", text).Str("error_description", text).EndObject();
  res.status = status;
  res.set_content(w.Take(), "application/json");
}

}  // namespace

void AddApiRoute(httplib::Server& srv, SimCore& core, const std::string& method, const std::string& pattern,
                 const std::string& endpoint, ApiHandler handler) {
  auto wrapped = [&core, endpoint, handler](const httplib::Request& req, httplib::Response& res) {
    ApiCall call;
    call.correlation_id = NewCorrelationId();
    res.set_header("ININ-Correlation-Id", call.correlation_id);
    const int limit = core.scenario().rate_limit_per_minute;
    call.token = BearerToken(req);
    const UnixNanos now = core.Now();
    switch (core.tokens.Validate(call.token, now)) {
      case TokenCheck::kOk:
        break;
      case TokenCheck::kMissing:
        RateHeaders(res, limit, 0, 60);
        SendError(res, 401, "authentication.required", "No authentication bearer token specified in authorization header.",
                  call.correlation_id);
        return Log(core, req, res, endpoint, call.correlation_id);
      case TokenCheck::kExpired:
        RateHeaders(res, limit, 0, 60);
        SendError(res, 401, "credentials.expired", "The supplied credentials are expired and cannot be used.",
                  call.correlation_id);
        return Log(core, req, res, endpoint, call.correlation_id);
      case TokenCheck::kUnknown:
      case TokenCheck::kRevoked:
        RateHeaders(res, limit, 0, 60);
        SendError(res, 401, "bad.credentials", "Invalid login credentials.", call.correlation_id);
        return Log(core, req, res, endpoint, call.correlation_id);
    }
    RateDecision rd = core.tokens.Consume(call.token, now, limit);
    RateHeaders(res, limit, rd.count, rd.reset_s);
    if (!rd.allowed) {
      res.set_header("Retry-After", std::to_string(rd.reset_s));
      SendError(res, 429, "too.many.requests",
                "Rate limit exceeded the maximum. Retry the request in [" + std::to_string(rd.reset_s) + "] seconds",
                call.correlation_id);
      return Log(core, req, res, endpoint, call.correlation_id);
    }
    call.faults = core.faults.Match(req.path, now);
    if (ApplyBlockingFaults(res, call.faults, call.correlation_id)) {
      return Log(core, req, res, endpoint, call.correlation_id);
    }
    call.render.unknown_enum = call.faults.unknown_enum;
    call.render.extra_fields = call.faults.extra_fields;
    call.render.missing_optional = call.faults.missing_optional;
    handler(req, res, call);
    Log(core, req, res, endpoint, call.correlation_id);
  };
  if (method == "GET") srv.Get(pattern, wrapped);
  else if (method == "POST") srv.Post(pattern, wrapped);
  else if (method == "PUT") srv.Put(pattern, wrapped);
  else if (method == "DELETE") srv.Delete(pattern, wrapped);
}

void RegisterOAuthRoutes(httplib::Server& srv, SimCore& core) {
  srv.Post("/oauth/token", [&core](const httplib::Request& req, httplib::Response& res) {
    const std::string cid = NewCorrelationId();
    res.set_header("ININ-Correlation-Id", cid);
    RateHeaders(res, core.scenario().rate_limit_per_minute, 0, 60);
    const std::string endpoint = "/oauth/token";
    FaultEffects f = core.faults.Match(req.path, core.Now());
    if (ApplyBlockingFaults(res, f, cid)) return Log(core, req, res, endpoint, cid);
    std::string id, secret;
    auto auth = req.get_header_value("Authorization");
    if (auth.size() > 6 && strncasecmp(auth.c_str(), "basic ", 6) == 0) {
      std::string dec = Base64Decode(auth.substr(6));
      auto colon = dec.find(':');
      if (colon != std::string::npos) {
        id = dec.substr(0, colon);
        secret = dec.substr(colon + 1);
      }
    } else {
      id = req.get_param_value("client_id");
      secret = req.get_param_value("client_secret");
    }
    if (req.get_param_value("grant_type") != "client_credentials") {
      OAuthError(res, 400, "unsupported_grant_type", "grant type not supported");
    } else if (id != core.scenario().client_id) {
      OAuthError(res, 400, "invalid_client", "client not found");
    } else if (secret != core.scenario().client_secret) {
      OAuthError(res, 401, "invalid_client", "authentication failed");
    } else {
      const int lifetime = core.scenario().token_lifetime_s;
      std::string token = core.tokens.Issue(id, core.Now(), lifetime);
      JsonWriter w;
      w.BeginObject().Str("access_token", token).Str("token_type", "bearer").Num("expires_in", lifetime).EndObject();
      ApiCall call;
      call.faults = f;
      SendJson(res, 200, w.Take(), call);
    }
    Log(core, req, res, endpoint, cid);
  });
}

struct HttpFront::Impl {
  httplib::Server server;
  HttpListener listener{server};
};

HttpFront::HttpFront(SimCore& core, Simulator& sim) : impl_(std::make_unique<Impl>()) {
  auto& srv = impl_->server;
  srv.new_task_queue = [] { return new httplib::ThreadPool(24); };
  srv.set_keep_alive_max_count(1000);
  RegisterOAuthRoutes(srv, core);
  RegisterRestRoutes(srv, core);
  RegisterNotificationRoutes(srv, core);
  RegisterControlRoutes(srv, core, sim);
  srv.set_error_handler([&core](const httplib::Request& req, httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) {
      std::string cid = NewCorrelationId();
      res.set_header("ININ-Correlation-Id", cid);
      RateHeaders(res, core.scenario().rate_limit_per_minute, 0, 60);
      SendError(res, 404, "not.found", "The requested operation failed with status 404", cid);
      Log(core, req, res, "unknown", cid);
    }
  });
}

HttpFront::~HttpFront() { Stop(); }

Status HttpFront::Start(int port) {
  return impl_->listener.Start("127.0.0.1", port).Prefixed("cannot bind HTTP on 127.0.0.1:" + std::to_string(port) + ": ");
}

void HttpFront::Stop() { impl_->listener.Stop(); }

int HttpFront::port() const { return impl_->listener.port(); }

}  // namespace gx::sim
