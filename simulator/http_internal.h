// Shared helpers for the simulator's cpp-httplib handlers: the /api/v2 request pipeline
// (correlation id, bearer check, rate limit, faults, request log) and Genesys error bodies.
// Only the simulator's HTTP .cpp files include this (it pulls in httplib). Thread-safe.
#pragma once

#include <httplib.h>

#include <functional>
#include <string>

#include "simulator/fault_set.h"
#include "simulator/render.h"

namespace gx::sim {

class SimCore;
class Simulator;

// Per-request context handed to an /api/v2 handler.
struct ApiCall {
  std::string token;
  std::string correlation_id;
  FaultEffects faults;
  RenderOptions render;
};

using ApiHandler = std::function<void(const httplib::Request&, httplib::Response&, ApiCall&)>;

// Registers an authenticated /api/v2 route. `endpoint` is the path template for the log.
void AddApiRoute(httplib::Server& srv, SimCore& core, const std::string& method,
                 const std::string& pattern, const std::string& endpoint, ApiHandler handler);

// Genesys API error body: {"message","code","status","contextId","details":[],"errors":[]}.
void SendError(httplib::Response& res, int status, const std::string& code, const std::string& message,
               const std::string& correlation_id);
// Sends JSON, damaging it when the call's faults ask for malformed or truncated JSON.
void SendJson(httplib::Response& res, int status, std::string body, const ApiCall& call);

std::string NewCorrelationId();

void RegisterOAuthRoutes(httplib::Server& srv, SimCore& core);
void RegisterRestRoutes(httplib::Server& srv, SimCore& core);
void RegisterNotificationRoutes(httplib::Server& srv, SimCore& core);
void RegisterControlRoutes(httplib::Server& srv, SimCore& core, Simulator& sim);

}  // namespace gx::sim
