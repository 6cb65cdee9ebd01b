// What the integration tests that run the real programs share: the programs' paths, waiting
// for a program's port file (both take port 0 and write the port the kernel picked),
// genesys_sim started from a scenario on loopback, and a GET that returns the body of a 200.
// Single-threaded use.
#pragma once

#include <httplib.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "tests/exporter/util/port_file_reader.h"
#include "tests/exporter/util/wait_for.h"
#include "tests/integration/child_process.h"

namespace gx::testing {

inline const std::string kExporterBinary = std::string(GX_BINARY_DIR) + "/genesys_exporter";
inline const std::string kSimBinary = std::string(GX_BINARY_DIR) + "/genesys_sim";

// The first port in `port_file` (--port-file, --web.port-file) once `process` has written it;
// 0 when the process ended first or after `limit`.
inline int WaitForPort(const std::string& port_file, ChildProcess& process,
                       std::chrono::seconds limit = std::chrono::seconds(30)) {
  std::vector<int> ports;
  WaitFor([&] { return !(ports = ReadPortFile(port_file)).empty() || !process.running(); }, limit);
  return ports.empty() ? 0 : ports.front();
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
    port_ = WaitForPort(port_file, *process_);
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
