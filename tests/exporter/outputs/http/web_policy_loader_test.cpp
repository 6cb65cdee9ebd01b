#include "exporter/outputs/http/web_policy_loader.h"

#include <gtest/gtest.h>

#include "exporter/util/base64.h"
#include "tests/exporter/outputs/http/bcrypt_hashes.h"
#include "tests/exporter/outputs/http/web_test_pki.h"

namespace gx {
namespace {

using testing::WebPki;

TEST(WebPolicyLoader, AnEmptyFileIsAPolicyThatAllowsEverything) {
  WebPki pki;
  const std::string path = pki.WriteWebConfig("");
  ConfigErrors errors;
  std::vector<std::string> files;
  auto policy = LoadWebPolicy(path, std::make_shared<BcryptChecker>(), errors, &files);
  ASSERT_TRUE(policy);
  EXPECT_FALSE(policy->tls);
  EXPECT_FALSE(policy->authorize);
  EXPECT_TRUE(policy->headers.empty());
  EXPECT_EQ(files, std::vector<std::string>{path});
}

TEST(WebPolicyLoader, BuildsTlsAuthAndHeaders) {
  WebPki pki;
  const std::string hash = testing::LibcryptBcrypt("pw", 4);
  const std::string path = pki.WriteWebConfig(
      "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_ca_file: ca.crt\n"
      "  client_auth_type: RequireAndVerifyClientCert\n"
      "http_server_config:\n  headers:\n    X-Frame-Options: deny\n"
      "basic_auth_users:\n  alice: " + hash + "\n");
  ConfigErrors errors;
  std::vector<std::string> files;
  auto policy = LoadWebPolicy(path, std::make_shared<BcryptChecker>(), errors, &files);
  ASSERT_TRUE(policy) << errors.messages[0];
  EXPECT_TRUE(policy->tls);
  ASSERT_TRUE(policy->authorize);
  EXPECT_TRUE(policy->authorize("Basic " + Base64Encode("alice:pw")));
  EXPECT_FALSE(policy->authorize("Basic " + Base64Encode("alice:wrong")));
  EXPECT_EQ(policy->headers, (std::vector<std::pair<std::string, std::string>>{{"X-Frame-Options", "deny"}}));
  EXPECT_EQ(files, (std::vector<std::string>{path, pki.server_cert_file, pki.server_key_file, pki.ca_file}));
}

TEST(WebPolicyLoader, ATlsErrorNamesTheFileLineAndKey) {
  WebPki pki;
  const std::string dir = pki.dir.path().string();
  struct Case {
    std::string yaml;
    std::string message;
  };
  for (const Case& k : {
           Case{"tls_server_config:\n  cert_file: missing.crt\n  key_file: server.key\n",
                "web.yml:2: tls_server_config.cert_file: cannot read " + dir + "/missing.crt: No such file or directory"},
           Case{"tls_server_config:\n  cert_file: server.crt\n  key_file: client.key\n",
                "web.yml:3: tls_server_config.key_file: the private key does not match the certificate (key values "
                "mismatch)"},
           Case{"# exporter-toolkit's web_config_auth_clientCAs_invalid.bad.yml\ntls_server_config:\n"
                "  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n"
                "  client_ca_file: somefile\n",
                "web.yml:6: tls_server_config.client_ca_file: cannot read " + dir + "/somefile: No such file or directory"},
           Case{"tls_server_config:\n  cert: |\n    junk\n  key_file: server.key\n",
                "web.yml:2: tls_server_config.cert: no PEM certificate found"},
       }) {
    const std::string path = pki.WriteWebConfig(k.yaml);
    ConfigErrors errors;
    EXPECT_FALSE(LoadWebPolicy(path, std::make_shared<BcryptChecker>(), errors));
    ASSERT_EQ(errors.messages.size(), 1u);
    EXPECT_EQ(errors.messages[0], dir + "/" + k.message);
  }
}

TEST(WebPolicyLoader, AParseErrorStillListsTheFilesItNames) {
  WebPki pki;
  const std::string path = pki.WriteWebConfig("tls_server_config:\n  cert_file: server.crt\n");
  ConfigErrors errors;
  std::vector<std::string> files;
  EXPECT_FALSE(LoadWebPolicy(path, std::make_shared<BcryptChecker>(), errors, &files));
  EXPECT_EQ(errors.messages,
            std::vector<std::string>{path + ":2: tls_server_config: missing one of key or key_file"});
  EXPECT_EQ(files, (std::vector<std::string>{path, pki.server_cert_file}));
}

TEST(WebPolicyLoader, SecretsNeverAppearInErrors) {
  WebPki pki;
  const std::string key = testpki::KeyPem(pki.client_key.get());  // the wrong key, inline
  std::string indented;
  for (size_t start = 0; start < key.size();) {
    const size_t end = key.find('\n', start);
    indented += "    " + key.substr(start, end - start) + "\n";
    start = end + 1;
  }
  ConfigErrors errors;
  EXPECT_FALSE(LoadWebPolicy(pki.WriteWebConfig("tls_server_config:\n  cert_file: server.crt\n  key: |\n" + indented),
                             std::make_shared<BcryptChecker>(), errors));
  EXPECT_FALSE(LoadWebPolicy(pki.WriteWebConfig("basic_auth_users:\n  john: hunter2\n"),
                             std::make_shared<BcryptChecker>(), errors));
  ASSERT_EQ(errors.messages.size(), 2u);
  EXPECT_NE(errors.messages[0].find("tls_server_config.key: the private key does not match"), std::string::npos);
  EXPECT_NE(errors.messages[1].find("basic_auth_users.john: not a bcrypt hash"), std::string::npos);
  for (const auto& m : errors.messages) {
    EXPECT_EQ(m.find("hunter2"), std::string::npos) << m;
    EXPECT_EQ(m.find("PRIVATE"), std::string::npos) << m;
    EXPECT_EQ(m.find(key.substr(40, 20)), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace gx
