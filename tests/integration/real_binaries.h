// What the integration tests that run the real programs share: the programs' paths,
// genesys_sim started from a scenario on loopback (port file, bounded wait), the exporter's
// port read from its log, and a GET that returns the body of a 200. Single-threaded use.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "tests/integration/child_process.h"

namespace gx::testing {

inline const std::string kExporterBinary = std::string(GX_BINARY_DIR) + "/genesys_exporter";
inline const std::string kSimBinary = std::string(GX_BINARY_DIR) + "/genesys_sim";

// The port of the exporter's first "msg=listening ... port=N" line; 0 until it is logged.
inline int ListeningPort(const std::string& log) {
  const auto line = log.find(" msg=listening ");
  const auto at = line == std::string::npos ? line : log.find(" port=", line);
  return at == std::string::npos ? 0 : std::atoi(log.c_str() + at + 6);
}

// The body of a 200 answer to GET `path`, else empty.
inline std::string GetBody(httplib::Client& c, const std::string& path) {
  auto r = c.Get(path);
  return r && r->status == 200 ? r->body : std::string();
}

// genesys_sim on 127.0.0.1 (an ephemeral port) playing `scenario_yaml`; its files go in `dir`.
class SimProcess {
 public:
  SimProcess(const std::string& dir, const std::string& scenario_yaml) {
    std::ofstream(dir + "/scenario.yaml") << scenario_yaml;
    const std::string port_file = dir + "/sim.port";
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{kSimBinary, "--scenario", dir + "/scenario.yaml", "--listen", "127.0.0.1:0",
                                 "--port-file", port_file, "--log.level", "warn"},
        std::vector<std::string>{}, dir + "/sim.log");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!std::filesystem::exists(port_file) && process_->running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::ifstream(port_file) >> port_;
  }
  // 0 when it did not start (see Log()).
  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string Log() const { return process_->Log(); }
  bool Stop() { return process_->Kill(SIGTERM); }

 private:
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

}  // namespace gx::testing
