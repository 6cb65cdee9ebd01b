#include "exporter/config/config_loader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

namespace gx {
namespace {

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

const std::map<std::string, std::string> kCreds = {{"GENESYS_CLIENT_ID", "id"},
                                                   {"GENESYS_CLIENT_SECRET", "s3cr3t-value"},
                                                   {"GENESYS_REGION", "mypurecloud.ie"}};

ConfigErrors Load(const std::string& yaml, const std::map<std::string, std::string>& env, Config& c) {
  ConfigErrors errors;
  ParseConfigYaml(yaml, "config.yml", c, errors);
  FinishConfig(c, Env(env), errors);
  return errors;
}

TEST(ConfigLoader, DefaultsWithEnvironmentOnly) {
  Config c;
  auto errors = Load("", kCreds, c);
  ASSERT_TRUE(errors.ok()) << errors.messages[0];
  EXPECT_EQ(c.genesys.api_url, "https://api.mypurecloud.ie");
  EXPECT_EQ(c.genesys.login_url, "https://login.mypurecloud.ie");
  EXPECT_EQ(c.rate_limit.requests_per_minute, 150);
  EXPECT_DOUBLE_EQ(c.collection.intervals.phones.count(), 60);
  EXPECT_EQ(c.web.listen_addresses, std::vector<std::string>{":9786"});
}

TEST(ConfigLoader, RegionAcceptsSdkKey) {
  Config c;
  auto env = kCreds;
  env["GENESYS_REGION"] = "us_west_2";
  ASSERT_TRUE(Load("", env, c).ok());
  EXPECT_EQ(c.genesys.api_url, "https://api.usw2.pure.cloud");
  EXPECT_EQ(c.genesys.login_url, "https://login.usw2.pure.cloud");
}

TEST(ConfigLoader, EnvironmentWinsOverFile) {
  Config c;
  auto errors = Load(
      "genesys:\n  client_id: from-file\n  client_secret: file-secret\n  region: mypurecloud.com\n",
      {{"GENESYS_CLIENT_ID", "from-env"}, {"GENESYS_API_URL", "http://127.0.0.1:8080/"},
       {"GENESYS_LOGIN_URL", "http://127.0.0.1:8081"}},
      c);
  ASSERT_TRUE(errors.ok()) << errors.messages[0];
  EXPECT_EQ(c.genesys.client_id, "from-env");
  EXPECT_EQ(c.genesys.client_secret, "file-secret");
  EXPECT_EQ(c.genesys.api_url, "http://127.0.0.1:8080");  // trailing slash dropped
  EXPECT_EQ(c.genesys.login_url, "http://127.0.0.1:8081");
}

TEST(ConfigLoader, FileValuesAreRead) {
  Config c;
  auto errors = Load(R"(
collection:
  page_size: 100
  per_phone: true
  users: [u1, u2]
  intervals:
    phones: 2m
    trunks: 1m30s
tls_probes:
  targets:
    - sip.carrier.example:5061
    - address: other.example
      server_name: sni.example
      timeout: 3s
alerting:
  receivers:
    - name: ops
      url: https://hooks.example/x
      hmac_secrets: [whsec_a]
  rules:
    edge_offline:
      for: 5m
      severity: warning
)",
                     kCreds, c);
  ASSERT_TRUE(errors.ok()) << errors.messages[0];
  EXPECT_EQ(c.collection.page_size, 100);
  EXPECT_TRUE(c.collection.per_phone);
  EXPECT_EQ(c.collection.users, (std::vector<std::string>{"u1", "u2"}));
  EXPECT_DOUBLE_EQ(c.collection.intervals.phones.count(), 120);
  EXPECT_DOUBLE_EQ(c.collection.intervals.trunks.count(), 90);
  ASSERT_EQ(c.tls.targets.size(), 2u);
  EXPECT_EQ(c.tls.targets[0].address, "sip.carrier.example:5061");
  EXPECT_EQ(c.tls.targets[1].server_name, "sni.example");
  EXPECT_DOUBLE_EQ(c.tls.targets[1].timeout.count(), 3);
  ASSERT_EQ(c.alerting.receivers.size(), 1u);
  EXPECT_EQ(c.alerting.receivers[0].urls[0], "https://hooks.example/x");
  EXPECT_DOUBLE_EQ(c.alerting.rules["edge_offline"].for_duration.count(), 300);
  EXPECT_EQ(c.alerting.rules["edge_offline"].severity, "warning");
}

TEST(ConfigLoader, SecretFromFile) {
  char path[] = "/tmp/gx_secret_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, "file-secret\n", 12), 12);
  close(fd);
  Config c;
  auto errors = Load(std::string("genesys:\n  client_secret_file: ") + path + "\n",
                     {{"GENESYS_CLIENT_ID", "id"}, {"GENESYS_REGION", "mypurecloud.com"}}, c);
  std::remove(path);
  ASSERT_TRUE(errors.ok()) << errors.messages[0];
  EXPECT_EQ(c.genesys.client_secret, "file-secret");
}

struct InvalidCase {
  const char* name;
  const char* yaml;
  const char* message;
};

class InvalidConfig : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidConfig, IsRejectedWithExactMessage) {
  Config c;
  auto errors = Load(GetParam().yaml, kCreds, c);
  ASSERT_EQ(errors.messages.size(), 1u) << (errors.ok() ? "accepted" : errors.messages[0]);
  EXPECT_EQ(errors.messages[0], GetParam().message);
  // Secrets never appear in messages.
  EXPECT_EQ(errors.messages[0].find("s3cr3t-value"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Table, InvalidConfig,
    ::testing::Values(
        InvalidCase{"unknown_top", "genesis:\n  client_id: x\n", "config.yml:1: genesis: unknown key"},
        InvalidCase{"unknown_nested", "collection:\n  page_size: 10\n  pagesize: 5\n",
                    "config.yml:3: collection.pagesize: unknown key"},
        InvalidCase{"bad_duration", "collection:\n  intervals:\n    phones: 5x\n",
                    "config.yml:3: collection.intervals.phones: invalid duration \"5x\" (use e.g. 500ms, 30s, 5m, "
                    "1h, 7d)"},
        InvalidCase{"bare_number_duration", "tls_probes:\n  interval: 300\n",
                    "config.yml:2: tls_probes.interval: invalid duration \"300\" (use e.g. 500ms, 30s, 5m, 1h, "
                    "7d)"},
        InvalidCase{"too_short_interval", "collection:\n  intervals:\n    trunks: 100ms\n",
                    "config.yml:3: collection.intervals.trunks: must be at least 1s"},
        InvalidCase{"wrong_type_int", "collection:\n  page_size: lots\n",
                    "config.yml:2: collection.page_size: must be an integer"},
        InvalidCase{"int_range", "rate_limit:\n  requests_per_minute: 0\n",
                    "config.yml:2: rate_limit.requests_per_minute: must be between 1 and 100000"},
        InvalidCase{"wrong_type_bool", "collection:\n  per_phone: yes please\n",
                    "config.yml:2: collection.per_phone: must be true or false"},
        InvalidCase{"wrong_type_list", "collection:\n  users: u1\n",
                    "config.yml:2: collection.users: must be a list of strings"},
        InvalidCase{"section_not_map", "genesys: [1, 2]\n", "config.yml:1: genesys: must be a mapping"},
        InvalidCase{"yaml_syntax", "genesys:\n  client_id: [unclosed\n",
                    "config.yml:3: invalid YAML: end of sequence flow not found"},
        InvalidCase{"receiver_format",
                    "alerting:\n  receivers:\n    - name: a\n      url: http://x.example\n      format: slack\n",
                    "config.yml:3: alerting.receivers[0].format: must be generic or alertmanager, not \"slack\""},
        InvalidCase{"receiver_no_url", "alerting:\n  receivers:\n    - name: a\n",
                    "config.yml:3: alerting.receivers[0].url: at least one URL is required"},
        InvalidCase{"receiver_bad_url", "alerting:\n  receivers:\n    - name: a\n      url: ftp://x\n",
                    "alerting.receivers.a: invalid URL \"ftp://x\""},
        InvalidCase{"duplicate_receiver",
                    "alerting:\n  receivers:\n    - name: a\n      url: http://x.example\n    - name: a\n"
                    "      url: http://y.example\n",
                    "alerting.receivers: duplicate receiver name \"a\""},
        InvalidCase{"rule_severity", "alerting:\n  rules:\n    edge_offline:\n      severity: page\n",
                    "config.yml:4: alerting.rules.edge_offline.severity: must be critical, warning or info"},
        InvalidCase{"unknown_rule", "alerting:\n  rules:\n    phone_on_fire:\n      for: 1m\n",
                    "config.yml:3: alerting.rules.phone_on_fire: unknown key"},
        InvalidCase{"tls_thresholds", "alerting:\n  tls_warning: 1d\n  tls_critical: 7d\n",
                    "alerting.tls_critical: must not be longer than alerting.tls_warning"},
        InvalidCase{"tls_target_no_address", "tls_probes:\n  targets:\n    - server_name: x\n",
                    "config.yml:3: tls_probes.targets[0].address: is required"},
        InvalidCase{"missing_secret_file", "genesys:\n  client_secret_file: /nonexistent/secret\n",
                    "config.yml:2: genesys.client_secret_file: cannot read /nonexistent/secret: No such file or "
                    "directory"},
        InvalidCase{"bad_api_url", "genesys:\n  api_url: api.example.com\n",
                    "genesys.api_url: invalid URL \"api.example.com\" (want http(s)://host[:port])"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ConfigLoader, MissingCredentialsAndRegion) {
  Config c;
  auto errors = Load("", {}, c);
  ASSERT_EQ(errors.messages.size(), 3u);
  EXPECT_EQ(errors.messages[0], "genesys.client_id: missing (set GENESYS_CLIENT_ID or genesys.client_id[_file])");
  EXPECT_EQ(errors.messages[1],
            "genesys.client_secret: missing (set GENESYS_CLIENT_SECRET or genesys.client_secret[_file])");
  EXPECT_EQ(errors.messages[2],
            "genesys.region: missing (set GENESYS_REGION, or GENESYS_API_URL)");
}

TEST(ConfigLoader, UnknownRegion) {
  Config c;
  auto env = kCreds;
  env["GENESYS_REGION"] = "mars.pure.cloud";
  auto errors = Load("", env, c);
  ASSERT_EQ(errors.messages.size(), 1u);
  EXPECT_EQ(errors.messages[0],
            "genesys.region: unknown region \"mars.pure.cloud\" (use a region domain such as mypurecloud.com, "
            "mypurecloud.ie or usw2.pure.cloud)");
}

TEST(ConfigLoader, EveryErrorIsReported) {
  Config c;
  auto errors = Load("collection:\n  page_size: x\n  per_phone: maybe\nfoo: 1\n", kCreds, c);
  EXPECT_EQ(errors.messages.size(), 3u);
}

TEST(ConfigLoader, UnreadableFile) {
  Config c;
  auto errors = LoadConfig("/nonexistent/config.yml", Env(kCreds), c);
  ASSERT_EQ(errors.messages.size(), 1u);
  EXPECT_EQ(errors.messages[0], "/nonexistent/config.yml: cannot read: No such file or directory");
}

TEST(ParseDuration, Forms) {
  EXPECT_DOUBLE_EQ(*ParseDuration("500ms"), 0.5);
  EXPECT_DOUBLE_EQ(*ParseDuration("30s"), 30);
  EXPECT_DOUBLE_EQ(*ParseDuration("5m"), 300);
  EXPECT_DOUBLE_EQ(*ParseDuration("1h30m"), 5400);
  EXPECT_DOUBLE_EQ(*ParseDuration("2d"), 172800);
  EXPECT_DOUBLE_EQ(*ParseDuration("0"), 0);
  EXPECT_FALSE(ParseDuration(""));
  EXPECT_FALSE(ParseDuration("10"));
  EXPECT_FALSE(ParseDuration("m5"));
  EXPECT_FALSE(ParseDuration("5 m"));
  EXPECT_FALSE(ParseDuration("-5s"));
}

}  // namespace
}  // namespace gx
