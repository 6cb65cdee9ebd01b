#include "exporter/outputs/http/web_config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "exporter/outputs/http/basic_auth.h"
#include "tests/exporter/util/scratch_dir.h"

namespace gx {
namespace {

constexpr const char* kHash = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";

ConfigErrors Parse(const std::string& yaml, WebConfigFile& c) {
  ConfigErrors errors;
  ParseWebConfigYaml(yaml, "web.yml", "/etc/gx", c, errors);
  return errors;
}

TEST(WebConfig, AnEmptyFileIsPlainHttpForEveryone) {
  WebConfigFile c;
  ASSERT_TRUE(Parse("", c).ok());
  EXPECT_FALSE(c.tls);
  EXPECT_TRUE(c.basic_auth_users.empty());
  EXPECT_TRUE(c.headers.empty());
  ASSERT_TRUE(Parse("tls_server_config:\nhttp_server_config:\nbasic_auth_users:\n", c).ok());
  EXPECT_FALSE(c.tls);
}

TEST(WebConfig, ReadsEveryKeyWithExporterToolkitsDefaults) {
  WebConfigFile c;
  auto errors = Parse(std::string("tls_server_config:\n"
                                  "  cert_file: server.crt\n"
                                  "  key_file: /abs/server.key\n"
                                  "  client_ca_file: ca/clients.pem\n"
                                  "  client_auth_type: RequireAndVerifyClientCert\n"
                                  "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256]\n"
                                  "  curve_preferences: [X25519, CurveP256]\n"
                                  "  client_allowed_sans: [scraper.example]\n"
                                  "http_server_config:\n"
                                  "  http2: false\n"
                                  "  headers:\n"
                                  "    X-Frame-Options: deny\n"
                                  "    X-Content-Type-Options: nosniff\n"
                                  "    Content-Security-Policy: \"default-src 'self'\"\n"
                                  "    Strict-Transport-Security: max-age=31536000\n"
                                  "    X-XSS-Protection: \"\"\n"
                                  "basic_auth_users:\n"
                                  "  alice: ") +
                          kHash + "\n  \"bob smith\": '" + kHash + "'\n",
                      c);
  ASSERT_TRUE(errors.ok()) << errors.messages[0];
  ASSERT_TRUE(c.tls);
  const TlsServerConfig& t = *c.tls;
  EXPECT_EQ(t.cert_file, "/etc/gx/server.crt");  // relative to the web config's folder
  EXPECT_EQ(t.key_file, "/abs/server.key");
  EXPECT_EQ(t.client_ca_file, "/etc/gx/ca/clients.pem");
  EXPECT_EQ(t.client_auth_type, ClientAuthType::kRequireAndVerifyClientCert);
  EXPECT_EQ(t.min_version, TlsVersion::kTls12);
  EXPECT_EQ(t.max_version, TlsVersion::kTls13);
  EXPECT_TRUE(t.prefer_server_cipher_suites);
  EXPECT_EQ(t.cipher_suites,
            (std::vector<std::string>{"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256"}));
  EXPECT_EQ(t.curve_preferences, (std::vector<std::string>{"X25519", "CurveP256"}));
  EXPECT_EQ(t.client_allowed_sans, (std::vector<std::string>{"scraper.example"}));
  EXPECT_EQ(t.where.at("cert_file"), "web.yml:2");
  EXPECT_EQ(t.where.at("client_ca_file"), "web.yml:4");
  // The blank X-XSS-Protection is unset, as exporter-toolkit documents.
  EXPECT_EQ(c.headers, (std::vector<std::pair<std::string, std::string>>{
                           {"X-Frame-Options", "deny"},
                           {"X-Content-Type-Options", "nosniff"},
                           {"Content-Security-Policy", "default-src 'self'"},
                           {"Strict-Transport-Security", "max-age=31536000"}}));
  EXPECT_EQ(c.basic_auth_users, (std::map<std::string, std::string>{{"alice", kHash}, {"bob smith", kHash}}));
  EXPECT_EQ(c.Files(), (std::vector<std::string>{"/etc/gx/server.crt", "/abs/server.key", "/etc/gx/ca/clients.pem"}));
}

TEST(WebConfig, ReadsInlinePemAndEveryClientAuthType) {
  const std::pair<const char*, ClientAuthType> types[] = {
      {"NoClientCert", ClientAuthType::kNoClientCert},
      {"RequestClientCert", ClientAuthType::kRequestClientCert},
      {"RequireAnyClientCert", ClientAuthType::kRequireAnyClientCert},
      {"RequireClientCert", ClientAuthType::kRequireAnyClientCert},
      {"VerifyClientCertIfGiven", ClientAuthType::kVerifyClientCertIfGiven},
      {"RequireAndVerifyClientCert", ClientAuthType::kRequireAndVerifyClientCert},
  };
  for (const auto& [name, type] : types) {
    WebConfigFile c;
    const bool verifies =
        type == ClientAuthType::kVerifyClientCertIfGiven || type == ClientAuthType::kRequireAndVerifyClientCert;
    auto errors = Parse(std::string("tls_server_config:\n  cert: |\n    PEM\n  key: |\n    KEY\n") +
                            (verifies ? "  client_ca: CA\n" : "") + "  client_auth_type: " + name +
                            "\n  min_version: TLS10\n  max_version: TLS11\n  prefer_server_cipher_suites: false\n",
                        c);
    ASSERT_TRUE(errors.ok()) << name << ": " << errors.messages[0];
    ASSERT_TRUE(c.tls);
    EXPECT_EQ(c.tls->client_auth_type, type) << name;
    EXPECT_EQ(c.tls->cert, "PEM\n");
    EXPECT_EQ(c.tls->key, "KEY\n");
    EXPECT_EQ(c.tls->min_version, TlsVersion::kTls10);
    EXPECT_EQ(c.tls->max_version, TlsVersion::kTls11);
    EXPECT_FALSE(c.tls->prefer_server_cipher_suites);
    EXPECT_TRUE(c.Files().empty());
  }
}

struct InvalidCase {
  const char* name;
  std::string yaml;
  std::string message;
};

void PrintTo(const InvalidCase& c, std::ostream* os) { *os << c.name; }

class InvalidWebConfig : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidWebConfig, IsRejectedWithExactMessage) {
  WebConfigFile c;
  const ConfigErrors errors = Parse(GetParam().yaml, c);
  ASSERT_EQ(errors.messages.size(), 1u) << (errors.ok() ? "no error" : errors.messages[0] + " ...");
  EXPECT_EQ(errors.messages[0], GetParam().message);
}

const std::string kTlsHead = "tls_server_config:\n  cert_file: s.crt\n  key_file: s.key\n";

INSTANTIATE_TEST_SUITE_P(
    AllCases, InvalidWebConfig,
    ::testing::Values(
        InvalidCase{"not_a_mapping", "- a\n", "web.yml:1: (top level): must be a mapping"},
        InvalidCase{"unknown_top_key", "tls_config:\n  cert_file: x\n", "web.yml:1: tls_config: unknown key"},
        // exporter-toolkit's web_config_junk_key.yml
        InvalidCase{"junk_key", "tls_server_config:\n  cert_filse: \"server.crt\"\n",
                    "web.yml:2: tls_server_config.cert_filse: unknown key"},
        InvalidCase{"bad_yaml", "tls_server_config:\n  cert_file: [a\n",
                    "web.yml:3: tls_server_config.cert_file: invalid YAML: end of sequence flow not found"},
        InvalidCase{"duplicate_key", "tls_server_config:\n  cert_file: a\n  cert_file: b\n",
                    "web.yml:3: tls_server_config.cert_file: duplicate key (first on line 2)"},
        InvalidCase{"cert_missing", "tls_server_config:\n  key_file: s.key\n",
                    "web.yml:2: tls_server_config: missing one of cert or cert_file"},
        InvalidCase{"key_missing", "tls_server_config:\n  cert_file: s.crt\n",
                    "web.yml:2: tls_server_config: missing one of key or key_file"},
        // exporter-toolkit serves plain HTTP here and ignores the section.
        InvalidCase{"no_certificate", "tls_server_config:\n  min_version: TLS13\n",
                    "web.yml:2: tls_server_config: no certificate: set cert_file and key_file to serve TLS, or "
                    "remove tls_server_config"},
        InvalidCase{"empty_cert_path", "tls_server_config:\n  cert_file: \"\"\n  key_file: \"\"\n",
                    "web.yml:2: tls_server_config: no certificate: set cert_file and key_file to serve TLS, or "
                    "remove tls_server_config"},
        InvalidCase{"cert_and_cert_file", kTlsHead + "  cert: PEM\n",
                    "web.yml:2: tls_server_config.cert_file: set either cert or cert_file, not both"},
        InvalidCase{"key_and_key_file", kTlsHead + "  key: PEM\n",
                    "web.yml:3: tls_server_config.key_file: set either key or key_file, not both"},
        // exporter-toolkit's web_config_noAuth.bad.yml
        InvalidCase{"ca_without_policy", kTlsHead + "  client_ca_file: \"/dev/null\"\n",
                    "web.yml:4: tls_server_config.client_ca_file: client CA's have been configured without a Client "
                    "Auth Policy (set client_auth_type, e.g. RequireAndVerifyClientCert)"},
        InvalidCase{"bad_client_auth", kTlsHead + "  client_auth_type: RequireAndVerify\n",
                    "web.yml:4: tls_server_config.client_auth_type: invalid ClientAuth \"RequireAndVerify\" (use "
                    "NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven or "
                    "RequireAndVerifyClientCert)"},
        // exporter-toolkit's web_config_auth_clientCAs_missing.bad.yml
        InvalidCase{"verify_without_ca", kTlsHead + "  client_auth_type: \"RequireAndVerifyClientCert\"\n",
                    "web.yml:4: tls_server_config.client_auth_type: verifying client certificates needs "
                    "client_ca_file (or client_ca): the CA they must be issued by"},
        InvalidCase{"verify_if_given_without_ca", kTlsHead + "  client_auth_type: VerifyClientCertIfGiven\n",
                    "web.yml:4: tls_server_config.client_auth_type: verifying client certificates needs "
                    "client_ca_file (or client_ca): the CA they must be issued by"},
        InvalidCase{"sans_without_client_auth", kTlsHead + "  client_allowed_sans: [a.example]\n",
                    "web.yml:4: tls_server_config.client_allowed_sans: needs a client_auth_type that asks for a "
                    "certificate, e.g. RequireAndVerifyClientCert"},
        InvalidCase{"unknown_version", kTlsHead + "  min_version: TLS14\n",
                    "web.yml:4: tls_server_config.min_version: unknown TLS version \"TLS14\" (use TLS10, TLS11, "
                    "TLS12 or TLS13)"},
        InvalidCase{"version_as_number", kTlsHead + "  max_version: 1.3\n",
                    "web.yml:4: tls_server_config.max_version: unknown TLS version \"1.3\" (use TLS10, TLS11, "
                    "TLS12 or TLS13)"},
        InvalidCase{"max_below_min", kTlsHead + "  max_version: TLS11\n",
                    "web.yml:4: tls_server_config.max_version: TLS11 is lower than min_version TLS12"},
        InvalidCase{"unknown_cipher", kTlsHead + "  cipher_suites:\n    - TLS_AES_128_GCM_SHA256\n    - TLS_RSA_WITH_RC4_128_SHA\n",
                    "web.yml:6: tls_server_config.cipher_suites[1]: unknown cipher \"TLS_RSA_WITH_RC4_128_SHA\" (the "
                    "names of Go's tls.CipherSuites(), e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)"},
        // An OpenSSL name is not a Go name.
        InvalidCase{"openssl_cipher_name", kTlsHead + "  cipher_suites: [ECDHE-RSA-AES128-GCM-SHA256]\n",
                    "web.yml:4: tls_server_config.cipher_suites[0]: unknown cipher \"ECDHE-RSA-AES128-GCM-SHA256\" "
                    "(the names of Go's tls.CipherSuites(), e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)"},
        InvalidCase{"ciphers_not_a_list", kTlsHead + "  cipher_suites: TLS_AES_128_GCM_SHA256\n",
                    "web.yml:4: tls_server_config.cipher_suites: must be a list of strings"},
        InvalidCase{"unknown_curve", kTlsHead + "  curve_preferences: [CurveP256, P-384]\n",
                    "web.yml:4: tls_server_config.curve_preferences[1]: unknown curve \"P-384\" (use CurveP256, "
                    "CurveP384, CurveP521 or X25519)"},
        InvalidCase{"prefer_not_bool", kTlsHead + "  prefer_server_cipher_suites: maybe\n",
                    "web.yml:4: tls_server_config.prefer_server_cipher_suites: must be true or false"},
        // exporter-toolkit's web_config_headers_extra_header.bad.yml
        InvalidCase{"header_not_allowed", "http_server_config:\n  headers:\n    Content-Type: foo\n",
                    "web.yml:3: http_server_config.headers.Content-Type: HTTP header \"Content-Type\" can not be "
                    "configured (allowed: Content-Security-Policy, Strict-Transport-Security, "
                    "X-Content-Type-Options, X-Frame-Options, X-XSS-Protection)"},
        InvalidCase{"header_authorization", "http_server_config:\n  headers:\n    Authorization: Basic x\n",
                    "web.yml:3: http_server_config.headers.Authorization: HTTP header \"Authorization\" can not be "
                    "configured (allowed: Content-Security-Policy, Strict-Transport-Security, "
                    "X-Content-Type-Options, X-Frame-Options, X-XSS-Protection)"},
        InvalidCase{"header_name_case", "http_server_config:\n  headers:\n    x-frame-options: deny\n",
                    "web.yml:3: http_server_config.headers.x-frame-options: HTTP header \"x-frame-options\" can not "
                    "be configured (allowed: Content-Security-Policy, Strict-Transport-Security, "
                    "X-Content-Type-Options, X-Frame-Options, X-XSS-Protection)"},
        // exporter-toolkit's web_config_headers_frame_options.bad.yml
        InvalidCase{"frame_options_value", "http_server_config:\n  headers:\n    X-Frame-Options: foo\n",
                    "web.yml:3: http_server_config.headers.X-Frame-Options: invalid value \"foo\" (expected one of: "
                    "\"deny\", \"sameorigin\")"},
        InvalidCase{"content_type_options_value",
                    "http_server_config:\n  headers:\n    X-Content-Type-Options: NOSNIFF\n",
                    "web.yml:3: http_server_config.headers.X-Content-Type-Options: invalid value \"NOSNIFF\" "
                    "(expected one of: \"nosniff\")"},
        InvalidCase{"header_line_break",
                    "http_server_config:\n  headers:\n    Content-Security-Policy: \"a\\r\\nSet-Cookie: x\"\n",
                    "web.yml:3: http_server_config.headers.Content-Security-Policy: must not contain a line break"},
        InvalidCase{"header_not_a_string", "http_server_config:\n  headers:\n    X-XSS-Protection: [1]\n",
                    "web.yml:3: http_server_config.headers.X-XSS-Protection: must be a string"},
        InvalidCase{"unknown_http_key", "http_server_config:\n  http3: true\n",
                    "web.yml:2: http_server_config.http3: unknown key"},
        InvalidCase{"http2_not_bool", "http_server_config:\n  http2: 1\n",
                    "web.yml:2: http_server_config.http2: must be true or false"},
        // exporter-toolkit's web_config_auth_user_list_invalid.bad.yml: the value is not shown.
        InvalidCase{"plain_password", "basic_auth_users:\n  john: doe\n",
                    "web.yml:2: basic_auth_users.john: not a bcrypt hash (want $2y$, $2b$ or $2a$, the cost and 53 "
                    "characters, as htpasswd -nB makes; the value is not shown)"},
        InvalidCase{"cost_too_high",
                    "basic_auth_users:\n  john: $2y$20$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi\n",
                    "web.yml:2: basic_auth_users.john: bcrypt cost 20 is outside 4..16 (each step doubles the time "
                    "of a check; 10 takes about 70 ms)"},
        InvalidCase{"user_with_colon", std::string("basic_auth_users:\n  \"a:b\": ") + kHash + "\n",
                    "web.yml:2: basic_auth_users.a:b: a user name cannot contain ':'"},
        InvalidCase{"users_as_list", "basic_auth_users:\n  - alice\n",
                    "web.yml:2: basic_auth_users: must be a mapping of user names to bcrypt hashes"},
        InvalidCase{"hash_not_a_string", "basic_auth_users:\n  alice: [x]\n",
                    "web.yml:2: basic_auth_users.alice: must be a bcrypt hash"},
        InvalidCase{"duplicate_user", std::string("basic_auth_users:\n  alice: ") + kHash + "\n  alice: " + kHash + "\n",
                    "web.yml:3: basic_auth_users.alice: duplicate key (first on line 2)"},
        InvalidCase{"rate_limit", "rate_limit:\n  interval: 1s\n  burst: 5\n",
                    "web.yml:2: rate_limit: not supported by genesys_exporter (limit request rates in a reverse "
                    "proxy)"}),
    [](const ::testing::TestParamInfo<InvalidCase>& info) { return info.param.name; });

TEST(WebConfig, AnUnreadableFileNamesTheFlag) {
  WebConfigFile c;
  const ConfigErrors errors = ReadWebConfigFile("/nonexistent/web.yml", c);
  ASSERT_EQ(errors.messages.size(), 1u);
  EXPECT_EQ(errors.messages[0], "--web.config.file: cannot read /nonexistent/web.yml: No such file or directory");
}

TEST(WebConfig, FilesAreRelativeToTheWebConfigsFolder) {
  testing::ScratchDir dir("gx-web-config");
  const std::string path = (dir.path() / "web.yml").string();
  std::ofstream(path) << "tls_server_config:\n  cert_file: tls/s.crt\n  key_file: s.key\n";
  WebConfigFile c;
  ASSERT_TRUE(ReadWebConfigFile(path, c).ok());
  ASSERT_TRUE(c.tls);
  EXPECT_EQ(c.tls->cert_file, (dir.path() / "tls/s.crt").string());
  EXPECT_EQ(c.tls->key_file, (dir.path() / "s.key").string());
  EXPECT_EQ(c.tls->where.at("key_file"), path + ":3");
}

// The example that docs/configuration.md points at stays valid.
TEST(WebConfig, TheShippedExampleParses) {
  WebConfigFile c;
  const ConfigErrors errors =
      ReadWebConfigFile(std::string(GX_SOURCE_DIR) + "/packaging/web-config.example.yml", c);
  ASSERT_TRUE(errors.ok()) << errors.messages[0];
  ASSERT_TRUE(c.tls);
  EXPECT_EQ(c.tls->client_auth_type, ClientAuthType::kRequireAndVerifyClientCert);
  EXPECT_EQ(c.tls->cert_file, std::string(GX_SOURCE_DIR) + "/packaging/server.crt");
  ASSERT_EQ(c.basic_auth_users.count("prometheus"), 1u);
  EXPECT_TRUE(BcryptChecker().Matches("prometheus", c.basic_auth_users["prometheus"], "change-me"));  // as it says
  EXPECT_EQ(c.headers.size(), 2u);
}

}  // namespace
}  // namespace gx
