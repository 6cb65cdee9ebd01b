#include "exporter/app/flags.h"

#include <gtest/gtest.h>

#include <regex>

namespace gx {
namespace {

TEST(Flags, Defaults) {
  const auto parsed = ParseFlags({});
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  const Flags& f = *parsed;
  EXPECT_EQ(f.listen_addresses, std::vector<std::string>{":9786"});
  EXPECT_EQ(f.telemetry_path, "/metrics");
  EXPECT_EQ(f.log_level, "info");
  EXPECT_EQ(f.log_format, "logfmt");
  EXPECT_FALSE(f.config_check);
  EXPECT_FALSE(f.web_systemd_socket);
  EXPECT_EQ(f.web_port_file, "");
  EXPECT_EQ(f.web_max_connections, 512u);
  EXPECT_EQ(f.web_read_timeout, 300 * kNanosPerSecond);
}

// The web server's flags, named and defaulted as in exporter-toolkit and Prometheus.
TEST(Flags, WebServerFlags) {
  const auto parsed = ParseFlags({"--web.systemd-socket", "--web.max-connections=64", "--web.read-timeout", "90s",
                                  "--web.port-file=/run/gx/port"});
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  const Flags& f = *parsed;
  EXPECT_TRUE(f.web_systemd_socket);
  EXPECT_EQ(f.web_port_file, "/run/gx/port");
  EXPECT_EQ(f.web_max_connections, 64u);
  EXPECT_EQ(f.web_read_timeout, 90 * kNanosPerSecond);
}

TEST(Flags, BothValueFormsAndRepeatableListenAddress) {
  const auto parsed =
      ParseFlags({"--config.file=/etc/x.yml", "--web.listen-address", "127.0.0.1:1", "--web.listen-address=:2",
                  "--web.telemetry-path=/m", "--log.level", "debug", "--log.format=json", "--config.check"});
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  const Flags& f = *parsed;
  EXPECT_EQ(f.config_file, "/etc/x.yml");
  EXPECT_EQ(f.listen_addresses, (std::vector<std::string>{"127.0.0.1:1", ":2"}));
  EXPECT_EQ(f.telemetry_path, "/m");
  EXPECT_EQ(f.log_level, "debug");
  EXPECT_EQ(f.log_format, "json");
  EXPECT_TRUE(f.config_check);
}

TEST(Flags, Errors) {
  struct Case {
    std::vector<std::string> args;
    const char* error;
  } cases[] = {
      {{"--nope"}, "unknown flag --nope (see --help)"},
      {{"--config.file"}, "--config.file: missing value"},
      {{"--log.level=trace"}, "--log.level: must be one of debug, info, warn, error, got \"trace\""},
      {{"--log.format=text"}, "--log.format: must be logfmt or json, got \"text\""},
      {{"--web.telemetry-path=metrics"}, "--web.telemetry-path: must start with / and not be the root path, got \"metrics\""},
      {{"--version=yes"}, "--version: takes no value"},
      {{"--web.max-connections=0"}, "--web.max-connections: must be a whole number from 1 to 1000000, got \"0\""},
      {{"--web.max-connections=-5"}, "--web.max-connections: must be a whole number from 1 to 1000000, got \"-5\""},
      {{"--web.max-connections=99999999999999999999"},
       "--web.max-connections: must be a whole number from 1 to 1000000, got \"99999999999999999999\""},
      {{"--web.read-timeout=10"}, "--web.read-timeout: must be a duration from 1s to 24h (e.g. 5m), got \"10\""},
      {{"--web.read-timeout=500ms"}, "--web.read-timeout: must be a duration from 1s to 24h (e.g. 5m), got \"500ms\""},
      {{"--web.read-timeout=2d"}, "--web.read-timeout: must be a duration from 1s to 24h (e.g. 5m), got \"2d\""},
      {{"--web.port-file="}, "--web.port-file: must name a file"},
  };
  for (const auto& c : cases) {
    const auto parsed = ParseFlags(c.args);
    EXPECT_FALSE(parsed.ok()) << c.args[0];
    EXPECT_EQ(parsed.error(), c.error);
  }
}

TEST(Flags, HelpAndVersion) {
  const auto parsed = ParseFlags({"-h"});
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_TRUE(parsed->help);
  EXPECT_NE(UsageText().find("--web.listen-address"), std::string::npos);
  EXPECT_NE(UsageText().find("--web.port-file=PATH"), std::string::npos);
  EXPECT_EQ(VersionText().rfind("genesys_exporter, version ", 0), 0u);
}

// The layout of Prometheus binaries' --version, line for line.
TEST(Flags, VersionTextHasThePrometheusLayout) {
  static const std::regex layout(
      "genesys_exporter, version [0-9]+\\.[0-9]+\\.[0-9]+ \\(branch: [^ ,()]+, revision: ([0-9a-f]{12}|unknown)\\)\n"
      "  build user:       [^ \n]+\n"
      "  build date:       ([0-9]{8}-[0-9]{2}:[0-9]{2}:[0-9]{2}|unknown)\n"
      "  compiler:         [A-Za-z]+-[0-9.]+\n"
      "  platform:         [a-z0-9]+/[a-z0-9]+\n");
  EXPECT_TRUE(std::regex_match(VersionText(), layout)) << VersionText();
}

}  // namespace
}  // namespace gx
