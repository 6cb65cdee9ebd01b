// The real genesys_exporter with --web.config.file, asked by real clients: curl for basic auth
// over TLS with a client certificate, openssl s_client for what the TLS layer refuses (no
// client certificate, TLS 1.1), and a change of the file while it runs. Certificates and
// bcrypt hashes are made at test time; everything is on the loopback.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "tests/exporter/outputs/http/bcrypt_hashes.h"
#include "tests/exporter/outputs/http/web_test_pki.h"
#include "tests/integration/real_binaries.h"
#include "tests/exporter/util/wait_for.h"

namespace gx {
namespace {

using testing::ChildProcess;
using testing::WaitForPort;
using testing::WebPki;

const std::string& kExporter = testing::kExporterBinary;
// The API is unreachable: the web endpoints answer all the same.
const std::vector<std::string> kEnv = {"GENESYS_CLIENT_ID=test-client", "GENESYS_CLIENT_SECRET=very-secret-value",
                                       "GENESYS_API_URL=http://127.0.0.1:9", "GENESYS_LOGIN_URL=http://127.0.0.1:9",
                                       "PATH=/usr/bin:/bin"};

struct ShellRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

ShellRun Shell(const std::string& command) {
  ShellRun r;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

using gx::testing::WaitFor;

class WebConfigE2eTest : public ::testing::Test {
 protected:
  // Starts the exporter on a free loopback port with `web_yaml` as its web config.
  void Start(const std::string& web_yaml) {
    web_ = pki_.WriteWebConfig(web_yaml);
    exporter_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{kExporter, "--web.listen-address=127.0.0.1:0",
                                 "--web.port-file=" + pki_.dir.path().string() + "/exporter.port",
                                 "--web.config.file=" + web_, "--log.level=info"},
        kEnv, pki_.dir.path().string() + "/exporter.log");
    ASSERT_EQ(exporter_->error(), "");
    port_ = WaitForPort(pki_.dir.path().string() + "/exporter.port", *exporter_);
    ASSERT_GT(port_, 0) << exporter_->Log();
  }

  std::string Url(const std::string& scheme, const std::string& path) const {
    return scheme + "://localhost:" + std::to_string(port_) + path;
  }

  // curl's status code for `path` over TLS (with the client certificate unless `cert` is
  // false), and the response headers in `headers`.
  std::string Curl(const std::string& path, const std::string& user_password, bool cert = true,
                   std::string* headers = nullptr) const {
    std::string command = "curl -sS -o /dev/null -D - -w 'status=%{http_code}' --max-time 10 --resolve localhost:" +
                          std::to_string(port_) + ":127.0.0.1 --cacert " + pki_.ca_file;
    if (cert) command += " --cert " + pki_.client_cert_file + " --key " + pki_.client_key_file;
    if (!user_password.empty()) command += " -u '" + user_password + "'";
    const ShellRun r = Shell(command + " " + Url("https", path));
    if (headers) *headers = r.output;
    const auto at = r.output.rfind("status=");
    return at == std::string::npos ? r.output : r.output.substr(at + 7);
  }

  ShellRun SClient(const std::string& options) const {
    return Shell("openssl s_client -connect 127.0.0.1:" + std::to_string(port_) + " -servername localhost -CAfile " +
                 pki_.ca_file + " " + options + " < /dev/null");
  }

  WebPki pki_;
  std::string web_;
  std::unique_ptr<ChildProcess> exporter_;
  int port_ = 0;
};

std::string TlsWithClientCerts() {
  return "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
         "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n"
         "http_server_config:\n  headers:\n    X-Frame-Options: deny\n";
}

TEST_F(WebConfigE2eTest, BasicAuthOverTlsWithClientCertificates) {
  const std::string users = "basic_auth_users:\n  prometheus: " + testing::HtpasswdBcrypt("s3cret", 6) + "\n";
  Start(TlsWithClientCerts() + users);
  std::string headers;
  EXPECT_EQ(Curl("/metrics", "prometheus:wrong", true, &headers), "401");
  EXPECT_NE(headers.find("WWW-Authenticate: Basic"), std::string::npos) << headers;
  EXPECT_NE(headers.find("X-Frame-Options: deny"), std::string::npos) << headers;  // on a 401 too
  EXPECT_EQ(Curl("/metrics", "mallory:s3cret"), "401");
  EXPECT_EQ(Curl("/metrics", ""), "401");
  EXPECT_EQ(Curl("/metrics", "prometheus:s3cret", true, &headers), "200");
  EXPECT_NE(headers.find("X-Frame-Options: deny"), std::string::npos) << headers;
  // Every route asks, as in exporter-toolkit; with the password, each answers as without auth.
  for (const auto& [path, status] : std::vector<std::pair<std::string, std::string>>{
           {"/", "200"}, {"/status", "200"}, {"/dashboard", "200"}, {"/api/v1/telephony/dashboard", "200"},
           {"/-/healthy", "200"},
           {"/-/ready", "503"}, {"/nothing-here", "404"}}) {
    EXPECT_EQ(Curl(path, ""), "401") << path;
    EXPECT_EQ(Curl(path, "prometheus:s3cret"), status) << path;
  }
  // The password never reaches the log.
  EXPECT_EQ(exporter_->Log().find("s3cret"), std::string::npos);
}

TEST_F(WebConfigE2eTest, TheTlsLayerRefusesNoClientCertificateAndTls11) {
  Start(TlsWithClientCerts());
  // The right certificate: a handshake, and an answer.
  EXPECT_EQ(Curl("/-/healthy", ""), "200");
  // No client certificate: curl gets no answer, s_client a refused handshake, in TLS 1.2
  // (handshake_failure) and 1.3 (certificate_required, after the client's Finished).
  EXPECT_EQ(Curl("/-/healthy", "", /*cert=*/false), "000");  // no HTTP answer at all
  ShellRun tls12 = SClient("-tls1_2");
  EXPECT_NE(tls12.exit_code, 0) << tls12.output;
  EXPECT_NE(tls12.output.find("alert handshake failure"), std::string::npos) << tls12.output;
  ShellRun tls13 = SClient("-tls1_3 -ign_eof");
  EXPECT_NE(tls13.output.find("alert certificate required"), std::string::npos) << tls13.output;
  // TLS 1.1 (offered at security level 0, so that the refusal is the server's): refused by
  // min_version's default, TLS12, with a certificate or without.
  ShellRun tls11 = SClient("-tls1_1 -cipher DEFAULT@SECLEVEL=0 -cert " + pki_.client_cert_file + " -key " +
                      pki_.client_key_file);
  EXPECT_NE(tls11.exit_code, 0) << tls11.output;
  EXPECT_NE(tls11.output.find("alert protocol version"), std::string::npos) << tls11.output;
  // A stranger's certificate, not issued by the client CA.
  ShellRun stranger = SClient("-tls1_2 -cert " + pki_.stranger_cert_file + " -key " + pki_.stranger_key_file);
  EXPECT_NE(stranger.exit_code, 0) << stranger.output;
  EXPECT_NE(stranger.output.find("alert unknown ca"), std::string::npos) << stranger.output;
  // The server is unharmed: the next client is served.
  EXPECT_EQ(Curl("/-/healthy", ""), "200");
}

TEST_F(WebConfigE2eTest, AChangedFileIsInForceAtTheNextRequestAndABrokenOneIsNot) {
  const std::string old_users = "basic_auth_users:\n  prometheus: " + testing::LibcryptBcrypt("old-pw", 5) + "\n";
  Start(TlsWithClientCerts() + old_users);
  EXPECT_EQ(Curl("/metrics", "prometheus:old-pw"), "200");
  // A new password.
  pki_.WriteWebConfig(TlsWithClientCerts() + "basic_auth_users:\n  prometheus: " +
                      testing::HtpasswdBcrypt("new-pw", 5) + "\n");
  ASSERT_TRUE(WaitFor([&] { return Curl("/metrics", "prometheus:new-pw") == "200"; })) << exporter_->Log();
  EXPECT_EQ(Curl("/metrics", "prometheus:old-pw"), "401");
  // A broken file: the last good one stays, and /metrics says so.
  pki_.WriteWebConfig(TlsWithClientCerts() + "basic_auth_users:\n  prometheus: new-pw\n");
  std::string metrics;
  ASSERT_TRUE(WaitFor([&] {
    const ShellRun r = Shell("curl -sS --max-time 10 --resolve localhost:" + std::to_string(port_) + ":127.0.0.1 --cacert " +
                        pki_.ca_file + " --cert " + pki_.client_cert_file + " --key " + pki_.client_key_file +
                        " -u prometheus:new-pw " + Url("https", "/metrics"));
    metrics = r.output;
    return metrics.find("\ngenesys_web_config_last_reload_successful 0\n") != std::string::npos;
  })) << metrics;
  EXPECT_NE(metrics.find("\ngenesys_web_config_last_reload_success_timestamp_seconds "), std::string::npos);
  EXPECT_EQ(Curl("/metrics", "prometheus:new-pw"), "200");
  const std::string log = exporter_->Log();
  EXPECT_NE(log.find("msg=\"web config not reloaded, the last good one stays in force\" file=" + web_ + " err=\"" +
                     web_ + ":10: basic_auth_users.prometheus: not a bcrypt hash"),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find("new-pw"), std::string::npos);  // the plain password written as a hash is not shown
}

TEST_F(WebConfigE2eTest, BasicAuthOverPlainHttp) {
  Start("basic_auth_users:\n  prometheus: " + testing::LibcryptBcrypt("pw", 5) + "\n");
  const std::string base = "curl -sS -o /dev/null -w '%{http_code}' --max-time 10 ";
  EXPECT_EQ(Shell(base + "http://127.0.0.1:" + std::to_string(port_) + "/metrics").output, "401");
  EXPECT_EQ(Shell(base + "-u prometheus:nope http://127.0.0.1:" + std::to_string(port_) + "/metrics").output, "401");
  EXPECT_EQ(Shell(base + "-u prometheus:pw http://127.0.0.1:" + std::to_string(port_) + "/metrics").output, "200");
}

TEST_F(WebConfigE2eTest, ABrokenFileAtStartStopsTheExporterWithItsLine) {
  web_ = pki_.WriteWebConfig("tls_server_config:\n  cert_file: server.crt\n  key_file: client.key\n");
  const ShellRun r = Shell("env -i GENESYS_CLIENT_ID=x GENESYS_CLIENT_SECRET=y GENESYS_API_URL=http://127.0.0.1:9 " +
                      kExporter + " --web.listen-address=127.0.0.1:0 --web.config.file=" + web_);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find(web_ + ":3: tls_server_config.key_file: the private key does not match the certificate"),
            std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace gx
