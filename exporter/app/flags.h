// Command-line flags, following Prometheus exporter conventions
// (--config.file, --web.listen-address, ...). Pure parsing; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "exporter/util/clock.h"
#include "exporter/util/result.h"

namespace gx {

struct Flags {
  std::string config_file;
  bool config_check = false;
  std::vector<std::string> listen_addresses;  // empty: the default :9786
  std::string telemetry_path = "/metrics";
  std::string web_config_file;
  bool web_systemd_socket = false;
  std::string web_port_file;  // empty: none
  std::size_t web_max_connections = 512;          // as Prometheus's --web.max-connections
  UnixNanos web_read_timeout = 300 * kNanosPerSecond;  // as Prometheus's --web.read-timeout
  std::string log_level = "info";
  std::string log_format = "logfmt";
  bool help = false;
  bool version = false;
};

// Accepts --flag=value and --flag value. A failure names the flag and what is wrong.
Result<Flags> ParseFlags(const std::vector<std::string>& args);

std::string UsageText();
// Version, branch, revision, build user and date, compiler and platform, one per line.
std::string VersionText();

}  // namespace gx
