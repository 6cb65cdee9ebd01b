// Command-line flags, following Prometheus exporter conventions
// (--config.file, --web.listen-address, ...). Pure parsing; thread-safe.
#pragma once

#include <string>
#include <vector>

namespace gx {

struct Flags {
  std::string config_file;
  bool config_check = false;
  std::vector<std::string> listen_addresses;  // empty: the default :9786
  std::string telemetry_path = "/metrics";
  std::string web_config_file;
  std::string log_level = "info";
  std::string log_format = "logfmt";
  bool help = false;
  bool version = false;
};

// Accepts --flag=value and --flag value. On error returns false with `error` set.
bool ParseFlags(const std::vector<std::string>& args, Flags& flags, std::string& error);

std::string UsageText();
// Version, branch, revision, build user and date, compiler and platform, one per line.
std::string VersionText();

}  // namespace gx
