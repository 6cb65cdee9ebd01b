// genesys_sim: runs the Genesys Cloud simulator until SIGINT/SIGTERM.

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include "exporter/util/logging.h"
#include "exporter/util/port_file.h"
#include "simulator/simulator.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

void Usage() {
  std::fprintf(stderr,
               "usage: genesys_sim --scenario <demo|large|path.yaml> [--listen 127.0.0.1:PORT]\n"
               "                   [--port-file PATH] [--time-scale X] [--log.level info]\n"
               "  --port-file PATH  once serving, write the HTTP port there (the kernel picks it with\n"
               "                    port 0); removed at start and at a clean stop\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::string scenario_name = "demo", listen = "127.0.0.1:0", port_file, level = "info";
  double time_scale = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const std::string& flag) -> std::string {
      if (a.rfind(flag + "=", 0) == 0) return a.substr(flag.size() + 1);
      if (a == flag && i + 1 < argc) return argv[++i];
      return "\x01";
    };
    std::string v;
    if ((v = value("--scenario")) != "\x01") scenario_name = v;
    else if ((v = value("--listen")) != "\x01") listen = v;
    else if ((v = value("--port-file")) != "\x01") port_file = v;
    else if ((v = value("--time-scale")) != "\x01") time_scale = std::atof(v.c_str());
    else if ((v = value("--log.level")) != "\x01") level = v;
    else if (a == "-h" || a == "--help") {
      Usage();
      return 0;
    } else {
      std::fprintf(stderr, "genesys_sim: unknown argument '%s'\n", a.c_str());
      Usage();
      return 2;
    }
  }
  gx::SetupLogging(level, gx::LogFormat::kLogfmt);  // the exporter's logger and line format
  gx::Result<gx::sim::Scenario> scenario = gx::sim::ResolveScenario(scenario_name);
  if (!scenario) {
    std::fprintf(stderr, "genesys_sim: %s\n", scenario.error().c_str());
    return 2;
  }
  if (time_scale > 0) scenario->time_scale = time_scale;
  auto colon = listen.rfind(':');
  std::string host = colon == std::string::npos ? listen : listen.substr(0, colon);
  int port = colon == std::string::npos ? 0 : std::atoi(listen.c_str() + colon + 1);
  if (host != "127.0.0.1" && host != "localhost") {
    std::fprintf(stderr, "genesys_sim: --listen must be on 127.0.0.1 (got %s)\n", host.c_str());
    return 2;
  }
  // A file left by an earlier run would name a port nobody (or someone else) listens on.
  if (gx::Status removed = port_file.empty() ? gx::Status::Ok() : gx::RemovePortFile(port_file); !removed) {
    std::fprintf(stderr, "genesys_sim: --port-file: %s\n", removed.error().c_str());
    return 2;
  }
  gx::sim::Simulator sim(*scenario);
  if (gx::Status started = sim.Start(port); !started) {
    std::fprintf(stderr, "genesys_sim: %s\n", started.error().c_str());
    return 1;
  }
  if (gx::Status written = port_file.empty() ? gx::Status::Ok() : gx::WritePortFile(port_file, {sim.http_port()});
      !written) {
    std::fprintf(stderr, "genesys_sim: --port-file: %s\n", written.error().c_str());
    sim.Stop();
    return 1;
  }
  std::printf("%s\n", sim.base_url().c_str());
  std::fflush(stdout);
  gx::LogInfo("genesys_sim started", {{"scenario", scenario->name},
                                       {"base_url", sim.base_url()},
                                       {"streaming_port", sim.ws_port()},
                                       {"ca_bundle", sim.ca_bundle_path()},
                                       {"client_id", scenario->client_id}});
  for (const auto& e : sim.tls_endpoints()) gx::LogInfo("sip-tls listener", {{"name", e.name}, {"address", e.address}});
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  while (!g_stop) {
    struct timespec ts{0, 100 * 1000 * 1000};
    nanosleep(&ts, nullptr);
  }
  gx::LogInfo("genesys_sim stopping");
  if (!port_file.empty()) static_cast<void>(gx::RemovePortFile(port_file));  // first: the file says "answering"
  sim.Stop();
  return 0;
}
