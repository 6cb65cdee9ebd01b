#include "exporter/config/config_loader.h"

#include <gtest/gtest.h>

#include <regex>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>

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

// A file holding `content`, removed at the end of the test.
class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    int fd = mkstemp(path_);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
    close(fd);
  }
  ~TempFile() { std::remove(path_); }
  std::string path() const { return path_; }

 private:
  char path_[32] = "/tmp/gx_config_test_XXXXXX";
};

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
  EXPECT_DOUBLE_EQ(c.collection.intervals.resync.count(), 3600);
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

// The original Go service's environment, and no file: what it configured is configured.
const std::map<std::string, std::string> kSeedEnv = {
    {"GENESYS_CLIENT_ID", "id"},
    {"GENESYS_CLIENT_SECRET", "s3cr3t-value"},
    {"GENESYS_SUBDOMAIN", "usw2"},
    {"TARGET_USER_ID", "3c5b5f3e-7a4b-4d7e-9b0a-2f1e6c8d9a01"},
    {"SIP_PROXY_HOST", "sip.carrier.example"},
    {"WEBHOOK_URL", "https://hooks.example.com/genesys?token=abc"}};

TEST(ConfigLoader, SeedEnvironmentAloneConfiguresWhatTheOriginalDid) {
  Config c;
  auto errors = Load("", kSeedEnv, c);
  ASSERT_TRUE(errors.ok()) << errors.messages[0];
  EXPECT_EQ(c.genesys.api_url, "https://api.usw2.pure.cloud");
  EXPECT_EQ(c.genesys.login_url, "https://login.usw2.pure.cloud");
  EXPECT_EQ(c.collection.users, std::vector<std::string>{"3c5b5f3e-7a4b-4d7e-9b0a-2f1e6c8d9a01"});
  ASSERT_EQ(c.tls.targets.size(), 1u);
  EXPECT_EQ(c.tls.targets[0].address, "sip.carrier.example");  // the prober's default port is 5061
  EXPECT_DOUBLE_EQ(c.tls.targets[0].timeout.count(), c.tls.timeout.count());
  ASSERT_EQ(c.alerting.receivers.size(), 1u);
  EXPECT_EQ(c.alerting.receivers[0].name, "webhook");
  EXPECT_EQ(c.alerting.receivers[0].format, "generic");
  EXPECT_EQ(c.alerting.receivers[0].urls, std::vector<std::string>{"https://hooks.example.com/genesys?token=abc"});
}

TEST(ConfigLoader, SeedEnvironmentWinsOverFile) {
  Config c;
  auto env = kSeedEnv;
  env["TARGET_USER_ID"] = "u7, u8";
  env["SIP_PROXY_HOST"] = "sbc.example:5062";
  auto errors = Load(R"(
genesys:
  region: mypurecloud.de
collection:
  users: [u1, u2]
tls_probes:
  timeout: 3s
  targets: [a.example, b.example]
alerting:
  receivers:
    - name: ops
      url: https://ops.example/hook
    - name: webhook
      format: alertmanager
      url: http://am.example:9093
)",
                     env, c);
  ASSERT_TRUE(errors.ok()) << errors.messages[0];
  EXPECT_EQ(c.genesys.api_url, "https://api.mypurecloud.de");  // GENESYS_SUBDOMAIN only when nothing else says
  EXPECT_EQ(c.collection.users, (std::vector<std::string>{"u7", "u8"}));
  ASSERT_EQ(c.tls.targets.size(), 1u);
  EXPECT_EQ(c.tls.targets[0].address, "sbc.example:5062");
  EXPECT_DOUBLE_EQ(c.tls.targets[0].timeout.count(), 3);
  ASSERT_EQ(c.alerting.receivers.size(), 2u);
  EXPECT_EQ(c.alerting.receivers[0].urls, std::vector<std::string>{"https://ops.example/hook"});
  EXPECT_EQ(c.alerting.receivers[1].name, "webhook");
  EXPECT_EQ(c.alerting.receivers[1].format, "alertmanager");
  EXPECT_EQ(c.alerting.receivers[1].urls, std::vector<std::string>{"https://hooks.example.com/genesys?token=abc"});
}

TEST(ConfigLoader, BadSeedVariablesNameTheVariableWithUrlsRedacted) {
  struct Case {
    std::string var, value, error;
  };
  const std::vector<Case> cases = {
      {"WEBHOOK_URL", "ftp://hooks.example/x", "WEBHOOK_URL: alerting.receivers[name=webhook].url: invalid URL \"ftp://hooks.example/...\" (want http(s)://host[:port]/path)"},
      {"WEBHOOK_URL", "https://user:PASSWORD@hooks.example/services/SECRET",
       "WEBHOOK_URL: alerting.receivers[name=webhook].url: invalid URL \"https://***@hooks.example/...\" (user info is not supported; want "
       "http(s)://host[:port]/path)"},
      {"WEBHOOK_URL", "", "WEBHOOK_URL: alerting.receivers[name=webhook].url: invalid URL \"\" (want http(s)://host[:port]/path)"},
      {"TARGET_USER_ID", "", "TARGET_USER_ID: collection.users: want a user id, or several separated by commas, got \"\""},
      {"TARGET_USER_ID", "u1,,u2", "TARGET_USER_ID: collection.users: want a user id, or several separated by commas, got \"u1,,u2\""},
      {"TARGET_USER_ID", "u1 u2", "TARGET_USER_ID: collection.users: want a user id, or several separated by commas, got \"u1 u2\""},
      {"SIP_PROXY_HOST", "", "SIP_PROXY_HOST: tls_probes.targets: want a host name or host:port (port 5061 when omitted), got \"\""},
      {"SIP_PROXY_HOST", "sips://sbc.example",
       "SIP_PROXY_HOST: tls_probes.targets: want a host name or host:port (port 5061 when omitted), got \"sips://sbc.example\""},
      {"GENESYS_SUBDOMAIN", "mars",
       "GENESYS_SUBDOMAIN: genesys.region: \"mars\" names no Genesys Cloud region; set GENESYS_REGION to a region domain such as "
       "mypurecloud.com, mypurecloud.ie or usw2.pure.cloud"},
  };
  for (const auto& tc : cases) {
    Config c;
    auto env = kSeedEnv;
    env[tc.var] = tc.value;
    auto errors = Load("", env, c);
    ASSERT_FALSE(errors.ok()) << tc.var << "=" << tc.value;
    EXPECT_EQ(errors.messages[0], tc.error);
    for (const auto& m : errors.messages) {
      EXPECT_EQ(m.find("PASSWORD"), std::string::npos) << m;
      EXPECT_EQ(m.find("SECRET"), std::string::npos) << m;
    }
  }
}

TEST(ConfigLoader, SeedVariablesForTurnedOffSourcesAreErrors) {
  Config c;
  auto errors = Load("tls_probes:\n  enabled: false\nalerting:\n  enabled: false\n", kSeedEnv, c);
  ASSERT_EQ(errors.messages.size(), 2u);
  EXPECT_EQ(errors.messages[0], "SIP_PROXY_HOST: tls_probes.targets: is set, but tls_probes.enabled is false in the file");
  EXPECT_EQ(errors.messages[1], "WEBHOOK_URL: alerting.receivers[name=webhook].url: is set, but alerting.enabled is false in the file");
}

TEST(ConfigLoader, SeedSubdomainNamesARegion) {
  const std::map<std::string, std::string> want = {{"ie", "https://api.mypurecloud.ie"},
                                                   {"com.au", "https://api.mypurecloud.com.au"},
                                                   {"euw2", "https://api.euw2.pure.cloud"},
                                                   {"us_east_1", "https://api.mypurecloud.com"},
                                                   {"mypurecloud.jp", "https://api.mypurecloud.jp"}};
  for (const auto& [sub, api] : want) {
    Config c;
    auto env = kSeedEnv;
    env["GENESYS_SUBDOMAIN"] = sub;
    auto errors = Load("", env, c);
    ASSERT_TRUE(errors.ok()) << sub << ": " << errors.messages[0];
    EXPECT_EQ(c.genesys.api_url, api) << sub;
  }
  Config c;
  auto env = kSeedEnv;
  env["GENESYS_REGION"] = "mypurecloud.ie";
  env["GENESYS_SUBDOMAIN"] = "mars";  // GENESYS_REGION says: not read
  ASSERT_TRUE(Load("", env, c).ok());
  EXPECT_EQ(c.genesys.api_url, "https://api.mypurecloud.ie");
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
    resync: 2h
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
  EXPECT_DOUBLE_EQ(c.collection.intervals.resync.count(), 7200);
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
  TempFile secret("file-secret\n");
  Config c;
  auto errors = Load("genesys:\n  client_secret_file: " + secret.path() + "\n",
                     {{"GENESYS_CLIENT_ID", "id"}, {"GENESYS_REGION", "mypurecloud.com"}}, c);
  ASSERT_TRUE(errors.ok()) << errors.messages[0];
  EXPECT_EQ(c.genesys.client_secret, "file-secret");
}

// A *_file secret is bounded: a path to a large file (or a device) is a mistake, not a secret.
TEST(ConfigLoader, SecretFileLargerThanTheBoundIsAnError) {
  TempFile big(std::string(64 * 1024 + 1, 'x'));
  Config c;
  auto errors = Load("genesys:\n  client_secret_file: " + big.path() + "\n", kCreds, c);
  ASSERT_EQ(errors.messages.size(), 1u);
  EXPECT_EQ(errors.messages[0],
            "config.yml:2: genesys.client_secret_file: " + big.path() + " is larger than 65536 bytes");
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
  for (const char* secret : {"s3cr3t-value", "PASSWORD", "SECRET"}) {
    EXPECT_EQ(errors.messages[0].find(secret), std::string::npos) << secret;
  }
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
                    "config.yml:3: genesys.client_id: invalid YAML: end of sequence flow not found"},
        // Found by the config_yaml fuzzer: a subscript on a scalar receiver threw out of the loader.
        InvalidCase{"receiver_not_map", "alerting:\n  receivers:\n    - just-a-string\n",
                    "config.yml:3: alerting.receivers[0]: must be a mapping"},
        InvalidCase{"receiver_format",
                    "alerting:\n  receivers:\n    - name: a\n      url: http://x.example\n      format: opsgenie\n",
                    "config.yml:3: alerting.receivers[0].format: must be generic, alertmanager, slack, teams, "
                    "pagerduty or seed, not \"opsgenie\""},
        InvalidCase{"pagerduty_no_routing_key", "alerting:\n  receivers:\n    - name: a\n      format: pagerduty\n",
                    "config.yml:3: alerting.receivers[0].routing_key: format pagerduty needs routing_key or "
                    "routing_key_file"},
        // The key is never quoted back.
        InvalidCase{"pagerduty_routing_key_blank",
                    "alerting:\n  receivers:\n    - name: a\n      format: pagerduty\n      routing_key: \"SECRET KEY\"\n",
                    "config.yml:5: alerting.receivers[0].routing_key: must be at most 255 characters without blanks "
                    "or control characters"},
        InvalidCase{"pagerduty_routing_key_empty",
                    "alerting:\n  receivers:\n    - name: a\n      format: pagerduty\n      routing_key: \"\"\n",
                    "config.yml:5: alerting.receivers[0].routing_key: must not be empty"},
        InvalidCase{"routing_key_not_pagerduty",
                    "alerting:\n  receivers:\n    - name: a\n      url: http://x.example\n      format: slack\n"
                    "      routing_key: SECRET\n",
                    "config.yml:6: alerting.receivers[0].routing_key: is for format pagerduty only"},
        InvalidCase{"seed_send_resolved",
                    "alerting:\n  receivers:\n    - name: a\n      url: http://x.example\n      format: seed\n"
                    "      send_resolved: true\n",
                    "config.yml:6: alerting.receivers[0].send_resolved: format seed has no status field and cannot "
                    "announce a resolve: leave send_resolved out or set it false"},
        InvalidCase{"watchdog_to_chat",
                    "alerting:\n  receivers:\n    - name: a\n      url: http://x.example\n      format: teams\n"
                    "      watchdog: true\n",
                    "config.yml:6: alerting.receivers[0].watchdog: the heartbeat goes to generic and alertmanager "
                    "receivers only, not to format teams"},
        InvalidCase{"notification_id_resolution_max", "alerting:\n  notification_id_resolution: 2h\n",
                    "config.yml:2: alerting.notification_id_resolution: must be at most 1h"},
        InvalidCase{"receiver_no_url", "alerting:\n  receivers:\n    - name: a\n",
                    "config.yml:3: alerting.receivers[0].url: at least one URL is required"},
        InvalidCase{"receiver_bad_url", "alerting:\n  receivers:\n    - name: a\n      url: ftp://x\n",
                    "config.yml:4: alerting.receivers[0].url: invalid URL \"ftp://x\" (want "
                    "http(s)://host[:port]/path)"},
        // User info would be taken for part of the host name; the path may hold the secret.
        InvalidCase{"receiver_url_user_info",
                    "alerting:\n  receivers:\n    - name: a\n      urls:\n        - http://ok.example\n"
                    "        - https://u:PASSWORD@host/x?token=SECRET\n",
                    "config.yml:6: alerting.receivers[0].urls[1]: invalid URL \"https://***@host/...\" (user info is "
                    "not supported; want http(s)://host[:port]/path)"},
        InvalidCase{"receiver_url_space_in_path",
                    "alerting:\n  receivers:\n    - name: a\n"
                    "      url: \"https://hooks.slack.com/services/SECRET x\"\n",
                    "config.yml:4: alerting.receivers[0].url: invalid URL \"https://hooks.slack.com/...\" (spaces and "
                    "control characters are not allowed; want http(s)://host[:port]/path)"},
        InvalidCase{"receiver_url_bad_port", "alerting:\n  receivers:\n    - name: a\n      url: http://x:99999/\n",
                    "config.yml:4: alerting.receivers[0].url: invalid URL \"http://x:99999/...\" (want "
                    "http(s)://host[:port]/path)"},
        InvalidCase{"receiver_url_and_urls",
                    "alerting:\n  receivers:\n    - name: a\n      url: http://x.example\n"
                    "      urls: [http://y.example]\n",
                    "config.yml:5: alerting.receivers[0].urls: set either url or urls, not both"},
        InvalidCase{"duplicate_receiver",
                    "alerting:\n  receivers:\n    - name: a\n      url: http://x.example\n    - name: a\n"
                    "      url: http://y.example\n",
                    "config.yml:5: alerting.receivers[1].name: duplicate receiver name \"a\" (first on line 3)"},
        InvalidCase{"receiver_backoffs",
                    "alerting:\n  receivers:\n    - name: a\n      url: http://x.example\n      initial_backoff: 10m\n"
                    "      max_backoff: 1m\n",
                    "config.yml:5: alerting.receivers[0].initial_backoff: must not be longer than "
                    "alerting.receivers[0].max_backoff"},
        InvalidCase{"rule_severity", "alerting:\n  rules:\n    edge_offline:\n      severity: page\n",
                    "config.yml:4: alerting.rules.edge_offline.severity: must be critical, warning or info"},
        InvalidCase{"unknown_rule", "alerting:\n  rules:\n    phone_on_fire:\n      for: 1m\n",
                    "config.yml:3: alerting.rules.phone_on_fire: unknown key"},
        InvalidCase{"tls_thresholds", "alerting:\n  tls_warning: 1d\n  tls_critical: 7d\n",
                    "config.yml:3: alerting.tls_critical: must not be longer than alerting.tls_warning"},
        // A check across two keys points at the one the file sets.
        InvalidCase{"tls_warning_below_default_critical", "alerting:\n  tls_warning: 1d\n",
                    "config.yml:2: alerting.tls_critical: must not be longer than alerting.tls_warning"},
        InvalidCase{"tls_target_no_address", "tls_probes:\n  targets:\n    - server_name: x\n",
                    "config.yml:3: tls_probes.targets[0].address: is required"},
        InvalidCase{"missing_secret_file", "genesys:\n  client_secret_file: /nonexistent/secret\n",
                    "config.yml:2: genesys.client_secret_file: cannot read /nonexistent/secret: No such file or "
                    "directory"},
        InvalidCase{"bad_api_url", "genesys:\n  api_url: api.example.com\n",
                    "config.yml:2: genesys.api_url: invalid URL \"api.example.com\" (want http(s)://host[:port])"},
        InvalidCase{"api_url_with_path", "genesys:\n  api_url: https://api.example.com/v2?access_token=SECRET\n",
                    "config.yml:2: genesys.api_url: invalid URL \"https://api.example.com/v2?access_token=***\" (want "
                    "http(s)://host[:port])"},
        InvalidCase{"login_url_user_info", "genesys:\n  login_url: https://u:PASSWORD@login.example.com\n",
                    "config.yml:2: genesys.login_url: invalid URL \"https://***@login.example.com\" (user info is not "
                    "supported; "
                    "want http(s)://host[:port])"},
        // YAML that yaml-cpp 0.7 accepts silently.
        InvalidCase{"unterminated_double_quote_at_end", "genesys:\n  client_id: \"abc\n",
                    "config.yml:2: genesys.client_id: unterminated double-quoted string (the closing \" is missing)"},
        InvalidCase{"unterminated_double_quote_swallows_the_rest",
                    "collection:\n  page_size: \"100\n  per_phone: true\nalerting:\n  enabled: false\n",
                    "config.yml:2: collection.page_size: unterminated double-quoted string (the closing \" is "
                    "missing)"},
        InvalidCase{"unterminated_single_quote", "tls_probes:\n  targets:\n    - 'sip.example:5061\n",
                    "config.yml:3: tls_probes.targets[0]: unterminated single-quoted string (the closing ' is "
                    "missing)"},
        InvalidCase{"unterminated_quoted_value_on_next_line", "genesys:\n  \"region: x\n",
                    "config.yml:2: genesys: unterminated double-quoted string (the closing \" is missing)"},
        InvalidCase{"unterminated_explicit_key", "genesys:\n  ? \"region\n",
                    "config.yml:2: genesys: unterminated double-quoted key (the closing \" is missing)"},
        InvalidCase{"unterminated_after_tag", "genesys:\n  region: !!str \"x\n",
                    "config.yml:2: genesys.region: unterminated double-quoted string (the closing \" is missing)"},
        InvalidCase{"duplicate_key", "genesys:\n  client_id: a\n  client_id: b\n",
                    "config.yml:3: genesys.client_id: duplicate key (first on line 2)"},
        InvalidCase{"duplicate_quoted_key", "genesys:\n  client_id: a\n  \"client_id\": b\n",
                    "config.yml:3: genesys.client_id: duplicate key (first on line 2)"},
        InvalidCase{"duplicate_section", "collection:\n  page_size: 10\ncollection:\n  per_phone: true\n",
                    "config.yml:3: collection: duplicate key (first on line 1)"},
        InvalidCase{"duplicate_flow_key", "tls_probes: {interval: 1m, interval: 2m}\n",
                    "config.yml:1: tls_probes.interval: duplicate key (first on line 1)"},
        InvalidCase{"duplicate_key_in_list_item",
                    "alerting:\n  receivers:\n    - name: a\n      url: http://x.example\n      name: b\n",
                    "config.yml:5: alerting.receivers[0].name: duplicate key (first on line 3)"},
        InvalidCase{"second_document", "collection:\n  page_size: 10\n---\nalerting:\n  enabled: false\n",
                    "config.yml:3: (top level): a second YAML document (---) is not supported; use one per file"},
        InvalidCase{"tab_indentation", "genesys:\n\tclient_id: abc\n",
                    "config.yml:2: (top level): invalid YAML: tab in indentation (indent with spaces)"},
        InvalidCase{"tab_after_spaces", "genesys:\n  client_id: abc\n \tregion: x\n",
                    "config.yml:3: genesys: invalid YAML: tab in indentation (indent with spaces)"},
        // Durations: checked arithmetic, and a maximum for each (docs/configuration.md).
        InvalidCase{"huge_duration", "notifications:\n  heartbeat_timeout: 99999999999999999999d\n",
                    "config.yml:2: notifications.heartbeat_timeout: must be at most 1h"},
        InvalidCase{"duration_over_max", "collection:\n  intervals:\n    phones: 25h\n",
                    "config.yml:3: collection.intervals.phones: must be at most 1d"},
        InvalidCase{"resync_too_long", "collection:\n  intervals:\n    resync: 2d\n",
                    "config.yml:3: collection.intervals.resync: must be at most 1d"},
        InvalidCase{"resync_too_short", "collection:\n  intervals:\n    resync: 30s\n",
                    "config.yml:3: collection.intervals.resync: must be at least 1m"},
        InvalidCase{"tiny_heartbeat", "notifications:\n  heartbeat_timeout: 50ms\n",
                    "config.yml:2: notifications.heartbeat_timeout: must be at least 100ms"},
        InvalidCase{"zero_rollover_interval", "notifications:\n  min_rollover_interval: 0\n",
                    "config.yml:2: notifications.min_rollover_interval: must be at least 1s"},
        InvalidCase{"zero_repeat_interval", "alerting:\n  repeat_interval: 0\n",
                    "config.yml:2: alerting.repeat_interval: must be at least 1m"},
        InvalidCase{"zero_group_interval", "alerting:\n  group_interval: 0s\n",
                    "config.yml:2: alerting.group_interval: must be at least 1s"},
        InvalidCase{"reconnect_order", "notifications:\n  reconnect_initial: 2m\n  reconnect_max: 1m\n",
                    "config.yml:2: notifications.reconnect_initial: must not be longer than "
                    "notifications.reconnect_max"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ConfigLoader, QuotedStringsThatCloseAreAccepted) {
  Config c;
  auto errors = Load("\xEF\xBB\xBF"  // a UTF-8 byte-order mark shifts nothing
                     "collection:\n  users: [\"a\\\"b\", 'it''s', \"x # y\", 'caf\xC3\xA9']\n"
                     "  \"per_phone\": !!str 'true'\n"
                     "alerting:\n  phones:\n    - |\n      p'1\n    - \"multi\n      line\"\n",
                     kCreds, c);
  ASSERT_TRUE(errors.ok()) << errors.messages[0];
  EXPECT_EQ(c.collection.users, (std::vector<std::string>{"a\"b", "it's", "x # y", "caf\xC3\xA9"}));
  EXPECT_TRUE(c.collection.per_phone);
  EXPECT_EQ(c.alerting.phones, (std::vector<std::string>{"p'1\n", "multi line"}));
}

TEST(ConfigLoader, SameKeyInDifferentMappingsIsNotADuplicate) {
  Config c;
  auto errors = Load("tls_probes:\n  timeout: 3s\n  targets:\n    - {address: a, timeout: 1s}\n"
                     "    - {address: b, timeout: 2s}\nnotifications:\n  connect_timeout: 5s\n"
                     "genesys:\n  connect_timeout: 5s\n",
                     kCreds, c);
  ASSERT_TRUE(errors.ok()) << errors.messages[0];
}

TEST(ConfigLoader, TlsProbeTimeoutAppliesWhereverItIsWritten) {
  Config c;
  auto errors = Load("tls_probes:\n  targets:\n    - a.example\n    - {address: b.example, timeout: 2s}\n"
                     "  timeout: 4s\n",
                     kCreds, c);
  ASSERT_TRUE(errors.ok()) << errors.messages[0];
  ASSERT_EQ(c.tls.targets.size(), 2u);
  EXPECT_DOUBLE_EQ(c.tls.targets[0].timeout.count(), 4);  // was 10 (the default) before
  EXPECT_DOUBLE_EQ(c.tls.targets[1].timeout.count(), 2);
}

TEST(ConfigLoader, HmacSecretsFromBothKeysAreKeptWhateverTheOrder) {
  TempFile secret("whsec_file\n");
  Config c;
  auto errors = Load("alerting:\n  receivers:\n    - name: a\n      url: http://x.example\n"
                     "      hmac_secret_files: [" + secret.path() + "]\n      hmac_secrets: [whsec_inline]\n",
                     kCreds, c);
  ASSERT_TRUE(errors.ok()) << errors.messages[0];
  EXPECT_EQ(c.alerting.receivers[0].hmac_secrets, (std::vector<std::string>{"whsec_inline", "whsec_file"}));
}

TEST(ConfigLoader, EveryDurationAtItsLimitsIsAccepted) {
  Config c;
  auto errors = Load(R"(
genesys: {connect_timeout: 5m, request_timeout: 10m}
collection:
  intervals: {phones: 1d, stations: 1s, trunks: 1d, trunk_metrics: 1d, edges: 1d, edge_metrics: 1d}
tls_probes: {interval: 1d, timeout: 5m, targets: [{address: a, timeout: 1ms}]}
notifications: {heartbeat_timeout: 1h, ping_timeout: 10m, rollover_before_expiry: 12h, min_rollover_interval: 1h,
                reconnect_initial: 10m, reconnect_max: 1h, replan_interval: 10m, connect_timeout: 5m}
alerting:
  evaluation_interval: 1h
  resend_interval: 1d
  tls_warning: 365d
  tls_critical: 365d
  blind_after: 7d
  group_wait: 1h
  group_interval: 1d
  repeat_interval: 30d
  rules: {edge_offline: {for: 7d}}
  receivers:
    - {name: a, url: http://x.example, timeout: 5m, retry_horizon: 7d, initial_backoff: 1h, max_backoff: 1h}
)",
                     kCreds, c);
  ASSERT_TRUE(errors.ok()) << errors.messages[0];
  EXPECT_DOUBLE_EQ(c.notifications.heartbeat_timeout.count(), 3600);
  EXPECT_DOUBLE_EQ(c.alerting.repeat_interval.count(), 30 * 86400);
}

TEST(ConfigLoader, ReceiverFormatsWithWhatEachNeeds) {
  TempFile key("file-routing-key\n");
  Config c;
  auto errors = Load("alerting:\n  notification_id_resolution: 0s\n  receivers:\n"
                     "    - {name: chat, format: slack, url: https://hooks.slack.example/services/T/B/X}\n"
                     "    - {name: teams, format: teams, url: https://prod.workflows.example/x}\n"
                     "    - {name: pd, format: pagerduty, routing_key: inline-key}\n"
                     "    - {name: pd2, format: pagerduty, routing_key_file: " + key.path() +
                         ", url: http://127.0.0.1:1/v2/enqueue}\n"
                     "    - {name: legacy, format: seed, url: http://legacy.example/alert}\n",
                     kCreds, c);
  ASSERT_TRUE(errors.ok()) << errors.messages[0];
  const auto& r = c.alerting.receivers;
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[2].urls, std::vector<std::string>{"https://events.pagerduty.com/v2/enqueue"});
  EXPECT_EQ(r[2].routing_key, "inline-key");
  EXPECT_EQ(r[3].routing_key, "file-routing-key");
  EXPECT_EQ(r[3].urls, std::vector<std::string>{"http://127.0.0.1:1/v2/enqueue"});
  EXPECT_FALSE(r[4].send_resolved) << "seed cannot announce a resolve";
  EXPECT_TRUE(r[0].routing_key.empty());
  EXPECT_EQ(c.alerting.notification_id_resolution.count(), 0);
  Config d;
  auto both = Load("alerting:\n  receivers:\n    - {name: pd, format: pagerduty, routing_key: SECRET, "
                   "routing_key_file: " + key.path() + "}\n",
                   kCreds, d);
  ASSERT_EQ(both.messages.size(), 1u);
  EXPECT_EQ(both.messages[0],
            "config.yml:3: alerting.receivers[0].routing_key_file: set either routing_key or routing_key_file, not both");
}

// The example configurations show every receiver format commented out; uncommented (with
// real secret files) they pass the same checks as --config.check.
TEST(ConfigLoader, CommentedReceiverExamplesAreValid) {
  TempFile secret("example-secret\n");
  for (const char* file : {"deploy/genesys_exporter.yml", "packaging/config.example.yml"}) {
    std::ifstream in(std::string(GX_SOURCE_DIR) + "/" + file);
    ASSERT_TRUE(in) << file;
    std::string line, block;
    bool inside = false;
    std::set<std::string> formats;
    while (std::getline(in, line)) {
      if (line.rfind("  # receivers:", 0) == 0) inside = true;
      else if (inside && line.rfind("  #", 0) != 0) break;
      if (!inside) continue;
      line = "  " + line.substr(4);  // "  # x" -> "  x"
      for (const char* key : {"routing_key_file: ", "hmac_secret_files: ["}) {
        if (auto at = line.find(key); at != std::string::npos) {
          const bool list = std::string(key).back() == '[';
          line = line.substr(0, at + std::string(key).size()) + secret.path() + (list ? "]" : "");
        }
      }
      if (auto at = line.find("format: "); at != std::string::npos) formats.insert(line.substr(at + 8));
      block += line + "\n";
    }
    EXPECT_EQ(formats, (std::set<std::string>{"slack", "teams", "pagerduty", "seed"})) << file;
    Config c;
    auto errors = Load("alerting:\n" + block, kCreds, c);
    ASSERT_TRUE(errors.ok()) << file << ": " << errors.messages[0] << "\n" << block;
    EXPECT_EQ(c.alerting.receivers.size(), 5u) << file;
  }
}

TEST(ConfigLoader, ValueAndFileOfOneSecretIsAnError) {
  TempFile id("from-file\n");
  Config c;
  auto errors = Load("genesys:\n  client_id_file: " + id.path() + "\n  client_id: inline\n", kCreds, c);
  ASSERT_EQ(errors.messages.size(), 1u);
  EXPECT_EQ(errors.messages[0],
            "config.yml:2: genesys.client_id_file: set either client_id or client_id_file, not both");
}

TEST(ConfigLoader, UrlsInErrorsHaveNoSecrets) {
  Config c;
  auto env = kCreds;
  env["GENESYS_API_URL"] = "http://u:PASSWORD@127.0.0.1:8080";
  auto errors = Load("alerting:\n  receivers:\n    - name: a\n      url: https://u:PASSWORD@host/x?token=SECRET\n",
                     env, c);
  ASSERT_EQ(errors.messages.size(), 2u);
  EXPECT_EQ(errors.messages[0],
            "config.yml:4: alerting.receivers[0].url: invalid URL \"https://***@host/...\" (user info is not "
            "supported; want http(s)://host[:port]/path)");
  EXPECT_EQ(errors.messages[1],
            "GENESYS_API_URL: genesys.api_url: invalid URL \"http://***@127.0.0.1:8080\" (user info is not supported; want "
            "http(s)://host[:port])");
  for (const auto& m : errors.messages) {
    EXPECT_EQ(m.find("PASSWORD"), std::string::npos) << m;
    EXPECT_EQ(m.find("SECRET"), std::string::npos) << m;
  }
}

TEST(ConfigLoader, MissingCredentialsAndRegion) {
  Config c;
  auto errors = Load("", {}, c);
  ASSERT_EQ(errors.messages.size(), 3u);
  EXPECT_EQ(errors.messages[0],
            "config.yml: genesys.client_id: missing (set GENESYS_CLIENT_ID or genesys.client_id[_file])");
  EXPECT_EQ(errors.messages[1],
            "config.yml: genesys.client_secret: missing (set GENESYS_CLIENT_SECRET or genesys.client_secret[_file])");
  EXPECT_EQ(errors.messages[2], "config.yml: genesys.region: missing (set GENESYS_REGION, or GENESYS_API_URL)");
}

TEST(ConfigLoader, WithoutAFileMissingKeysAreTheEnvironments) {
  Config c;
  auto errors = LoadConfig("", Env({{"GENESYS_CLIENT_ID", "id"}}), c);
  ASSERT_EQ(errors.messages.size(), 2u);
  EXPECT_EQ(errors.messages[0],
            "environment: genesys.client_secret: missing (set GENESYS_CLIENT_SECRET or "
            "genesys.client_secret[_file])");
  EXPECT_EQ(errors.messages[1], "environment: genesys.region: missing (set GENESYS_REGION, or GENESYS_API_URL)");
}

TEST(ConfigLoader, MissingCredentialsPointAtTheGenesysSection) {
  Config c;
  auto errors = Load("rate_limit:\n  requests_per_minute: 100\ngenesys:\n  region: mypurecloud.ie\n", {}, c);
  ASSERT_EQ(errors.messages.size(), 2u);
  EXPECT_EQ(errors.messages[0],
            "config.yml:3: genesys.client_id: missing (set GENESYS_CLIENT_ID or genesys.client_id[_file])");
  EXPECT_EQ(errors.messages[1],
            "config.yml:3: genesys.client_secret: missing (set GENESYS_CLIENT_SECRET or genesys.client_secret[_file])");
}

TEST(ConfigLoader, AnUnknownRegionInTheFileIsReportedAtItsLine) {
  Config c;
  auto errors = Load("genesys:\n  client_id: a\n  region: mars.pure.cloud\n", {{"GENESYS_CLIENT_SECRET", "s"}}, c);
  ASSERT_EQ(errors.messages.size(), 1u);
  EXPECT_EQ(errors.messages[0],
            "config.yml:3: genesys.region: unknown region \"mars.pure.cloud\" (use a region domain such as "
            "mypurecloud.com, mypurecloud.ie or usw2.pure.cloud)");
}

TEST(ConfigLoader, UnknownRegion) {
  Config c;
  auto env = kCreds;
  env["GENESYS_REGION"] = "mars.pure.cloud";
  auto errors = Load("", env, c);
  ASSERT_EQ(errors.messages.size(), 1u);
  EXPECT_EQ(errors.messages[0],
            "GENESYS_REGION: genesys.region: unknown region \"mars.pure.cloud\" (use a region domain such as mypurecloud.com, "
            "mypurecloud.ie or usw2.pure.cloud)");
}

TEST(ConfigLoader, EveryErrorIsReported) {
  Config c;
  auto errors = Load("collection:\n  page_size: x\n  per_phone: maybe\nfoo: 1\n", kCreds, c);
  EXPECT_EQ(errors.messages.size(), 3u);
}

TEST(ConfigLoader, SiteRatioThresholdsAreOrdered) {
  Config c;
  auto errors = Load("alerting:\n  site_unregistered_ratio: 0.3\n  site_unregistered_ratio_critical: 0.2\n", kCreds, c);
  ASSERT_EQ(errors.messages.size(), 1u);
  EXPECT_EQ(errors.messages[0],
            "config.yml:3: alerting.site_unregistered_ratio_critical: must not be lower than "
            "alerting.site_unregistered_ratio");
  Config d;
  ASSERT_TRUE(Load("alerting:\n  site_unregistered_ratio_critical: 0.8\n", kCreds, d).ok());
  EXPECT_DOUBLE_EQ(d.alerting.site_unregistered_ratio, 0.1);
  EXPECT_DOUBLE_EQ(d.alerting.site_unregistered_ratio_critical, 0.8);
}

TEST(ConfigLoader, WatchdogIsOffByDefaultBoundedAndNeedsAReceiver) {
  Config c;
  ASSERT_TRUE(Load("", kCreds, c).ok());
  EXPECT_EQ(c.alerting.watchdog_interval.count(), 0);

  const std::string receivers =
      "  receivers:\n    - name: deadman\n      url: https://hc.example/ping\n"
      "    - name: chat\n      url: https://chat.example/x\n      watchdog: false\n";
  Config d;
  auto errors = Load("alerting:\n  watchdog_interval: 5m\n" + receivers, kCreds, d);
  ASSERT_TRUE(errors.ok()) << errors.messages[0];
  EXPECT_DOUBLE_EQ(d.alerting.watchdog_interval.count(), 300);
  EXPECT_TRUE(d.alerting.receivers[0].watchdog);
  EXPECT_FALSE(d.alerting.receivers[1].watchdog);

  const std::vector<std::pair<std::string, std::string>> bad = {
      {"5s", "config.yml:2: alerting.watchdog_interval: must be 0 (off) or at least 10s"},
      {"2d", "config.yml:2: alerting.watchdog_interval: must be at most 1d"},
  };
  for (const auto& [value, error] : bad) {
    Config e;
    auto errs = Load("alerting:\n  watchdog_interval: " + value + "\n" + receivers, kCreds, e);
    ASSERT_EQ(errs.messages.size(), 1u) << value;
    EXPECT_EQ(errs.messages[0], error);
  }
  Config f;
  auto none = Load("alerting:\n  watchdog_interval: 5m\n  receivers:\n    - name: chat\n      url: https://chat.example/x\n"
                   "      watchdog: false\n",
                   kCreds, f);
  ASSERT_EQ(none.messages.size(), 1u);
  EXPECT_EQ(none.messages[0],
            "config.yml:2: alerting.watchdog_interval: no receiver takes the heartbeat (add a generic or "
            "alertmanager one, or set watchdog: true on one)");
  Config g;
  auto off = Load("alerting:\n  enabled: false\n  watchdog_interval: 5m\n" + receivers, kCreds, g);
  ASSERT_EQ(off.messages.size(), 1u);
  EXPECT_EQ(off.messages[0], "config.yml:3: alerting.watchdog_interval: is set, but alerting.enabled is false");
}

// Every error, from the file, the environment or a check across keys, reads "where: key: message".
TEST(ConfigLoader, EveryErrorHasOneFormat) {
  const std::regex format(R"(^[^ ]+: ([^ ]+|\(top level\)): [^ ].*$)");
  std::vector<std::string> all;
  auto add = [&](const std::string& yaml, std::map<std::string, std::string> env) {
    Config c;
    for (auto& m : Load(yaml, env, c).messages) all.push_back(std::move(m));
  };
  add("", {});  // missing credentials and region, no file section
  add("genesys:\n  client_id: [x\n", kCreds);  // syntax
  add("alerting:\n  tls_warning: 1d\n  tls_critical: 2d\n", kCreds);  // across keys
  add("alerting:\n  enabled: false\n  watchdog_interval: 5m\n", kCreds);
  add("tls_probes:\n  enabled: false\n",
      {{"GENESYS_CLIENT_ID", "i"}, {"GENESYS_CLIENT_SECRET", "s"}, {"GENESYS_REGION", "mars"},
       {"GENESYS_API_URL", "ftp://x"}, {"SIP_PROXY_HOST", "sbc"}, {"TARGET_USER_ID", ","}, {"WEBHOOK_URL", "x"}});
  add("", {{"GENESYS_CLIENT_ID", "i"}, {"GENESYS_CLIENT_SECRET", "s"}, {"GENESYS_SUBDOMAIN", "mars"}});
  Config c;
  for (auto& m : LoadConfig("", Env({}), c).messages) all.push_back(std::move(m));
  for (auto& m : LoadConfig("/nonexistent/config.yml", Env(kCreds), c).messages) all.push_back(std::move(m));
  EXPECT_GE(all.size(), 14u);
  for (const auto& m : all) EXPECT_TRUE(std::regex_match(m, format)) << m;
}

TEST(ConfigLoader, UnreadableFile) {
  Config c;
  auto errors = LoadConfig("/nonexistent/config.yml", Env(kCreds), c);
  ASSERT_EQ(errors.messages.size(), 1u);
  EXPECT_EQ(errors.messages[0], "/nonexistent/config.yml: --config.file: cannot read: No such file or directory");
}

}  // namespace
}  // namespace gx
