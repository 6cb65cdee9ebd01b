#include "exporter/app/flags.h"
#include "exporter/util/build_version.h"

#include <functional>
#include <map>

#include "exporter/config/duration.h"

namespace gx {
namespace {

constexpr std::size_t kMaxWebConnections = 1000000;

}  // namespace

Result<Flags> ParseFlags(const std::vector<std::string>& args) {
  Flags flags;
  std::string error;  // what the refusing setter said
  using Setter = std::function<bool(const std::string&)>;
  const std::map<std::string, Setter> with_value = {
      {"--config.file", [&](const std::string& v) { flags.config_file = v; return true; }},
      {"--web.listen-address", [&](const std::string& v) { flags.listen_addresses.push_back(v); return true; }},
      {"--web.telemetry-path",
       [&](const std::string& v) {
         if (v.empty() || v[0] != '/' || v == "/") {
           error = "--web.telemetry-path: must start with / and not be the root path, got \"" + v + "\"";
           return false;
         }
         flags.telemetry_path = v;
         return true;
       }},
      {"--web.config.file", [&](const std::string& v) { flags.web_config_file = v; return true; }},
      {"--web.port-file",
       [&](const std::string& v) {
         if (v.empty()) {
           error = "--web.port-file: must name a file";
           return false;
         }
         flags.web_port_file = v;
         return true;
       }},
      {"--web.max-connections",
       [&](const std::string& v) {
         if (v.empty() || v.size() > 7 || v.find_first_not_of("0123456789") != std::string::npos || std::stoul(v) < 1 ||
             std::stoul(v) > kMaxWebConnections) {
           error = "--web.max-connections: must be a whole number from 1 to " + std::to_string(kMaxWebConnections) +
                   ", got \"" + v + "\"";
           return false;
         }
         flags.web_max_connections = std::stoul(v);
         return true;
       }},
      {"--web.read-timeout",
       [&](const std::string& v) {
         const auto d = ParseDuration(v);
         if (!d || *d < kNanosPerSecond || *d > 24 * kNanosPerHour) {
           error = "--web.read-timeout: must be a duration from 1s to 24h (e.g. 5m), got \"" + v + "\"";
           return false;
         }
         flags.web_read_timeout = *d;
         return true;
       }},
      {"--log.level",
       [&](const std::string& v) {
         if (v != "debug" && v != "info" && v != "warn" && v != "error") {
           error = "--log.level: must be one of debug, info, warn, error, got \"" + v + "\"";
           return false;
         }
         flags.log_level = v;
         return true;
       }},
      {"--log.format",
       [&](const std::string& v) {
         if (v != "logfmt" && v != "json") {
           error = "--log.format: must be logfmt or json, got \"" + v + "\"";
           return false;
         }
         flags.log_format = v;
         return true;
       }},
  };
  const std::map<std::string, bool*> switches = {
      {"--config.check", &flags.config_check},
      {"--web.systemd-socket", &flags.web_systemd_socket},
      {"--help", &flags.help},
      {"-h", &flags.help},
      {"--version", &flags.version},
  };
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::string value;
    bool has_value = false;
    if (auto eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    if (auto s = switches.find(arg); s != switches.end()) {
      if (has_value) {
        if (value != "true" && value != "false") {
          return Result<Flags>::Error(arg + ": takes no value");
        }
        *s->second = value == "true";
      } else {
        *s->second = true;
      }
      continue;
    }
    auto it = with_value.find(arg);
    if (it == with_value.end()) {
      return Result<Flags>::Error("unknown flag " + arg + " (see --help)");
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        return Result<Flags>::Error(arg + ": missing value");
      }
      value = args[++i];
    }
    if (!it->second(value)) return Result<Flags>::Error(error);
  }
  if (flags.listen_addresses.empty()) flags.listen_addresses.push_back(":9786");
  return flags;
}

std::string UsageText() {
  return R"(usage: genesys_exporter [<flags>]

Prometheus exporter and alert bridge for Genesys Cloud CX telephony.

Flags:
  --config.file=PATH          YAML configuration file (optional)
  --config.check              validate the configuration, print every error, exit 0 or 1
  --web.listen-address=ADDR   address to listen on; repeatable (default :9786, IPv6 and IPv4)
  --web.systemd-socket        use the sockets systemd passes (socket activation) instead
  --web.port-file=PATH        once serving, write the bound ports there, one per line in the order
                              of the listen addresses (with port 0 the kernel picks one); removed
                              at start and at a clean stop
  --web.max-connections=N     maximum simultaneous web connections (default 512)
  --web.read-timeout=DURATION time to read a request, and to keep an idle connection (default 5m)
  --web.telemetry-path=PATH   path under which to expose metrics (default /metrics)
  --web.config.file=PATH      TLS, basic auth and response headers (exporter-toolkit's format); re-read
                              when it or a file it names changes
  --log.level=LEVEL           debug, info, warn or error (default info)
  --log.format=FORMAT         logfmt or json (default logfmt)
  --version                   print the version and exit
  -h, --help                  print this help and exit

Environment:
  GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET   OAuth client credentials
  GENESYS_REGION                             region domain, e.g. mypurecloud.com, mypurecloud.ie, usw2.pure.cloud
  GENESYS_API_URL, GENESYS_LOGIN_URL         override the region's API and login base URLs
  TARGET_USER_ID                             followed user(s), comma-separated (collection.users)
  SIP_PROXY_HOST                             TLS probe target, host[:port], port 5061 by default
  WEBHOOK_URL                                URL of the generic webhook receiver "webhook"
  GENESYS_SUBDOMAIN                          region, when GENESYS_REGION is not set (e.g. usw2, ie)
)";
}

// The layout of Prometheus's `--version` (prometheus/common/version), with the compiler where
// Go programs print their Go version.
std::string VersionText() {
  return std::string("genesys_exporter, version ") + BuildVersion() + " (branch: " + BuildBranch() +
         ", revision: " + BuildRevision() + ")\n" +
         "  build user:       " + BuildUser() + "\n" +
         "  build date:       " + BuildDate() + "\n" +
         "  compiler:         " + BuildCompiler() + "\n" +
         "  platform:         " + BuildPlatform() + "\n";
}

}  // namespace gx
