#include "exporter/outputs/http/web_config_reloader.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "exporter/util/base64.h"
#include "tests/exporter/outputs/http/bcrypt_hashes.h"
#include "tests/exporter/outputs/http/web_test_pki.h"
#include "tests/exporter/util/freed_memory_probe.h"

namespace gx {
namespace {

using testing::WebPki;

constexpr UnixNanos kStart = 1'700'000'000 * kNanosPerSecond;
constexpr UnixNanos kSec = kNanosPerSecond;

const std::string kTls = "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n";

std::string Headers(const std::string& frame_options) {
  return "http_server_config:\n  headers:\n    X-Frame-Options: " + frame_options + "\n";
}

class WebConfigReloaderTest : public ::testing::Test {
 protected:
  std::unique_ptr<WebConfigReloader> Start(const std::string& yaml) {
    path_ = pki_.WriteWebConfig(yaml);
    ConfigErrors errors;
    WebConfigReloader::Options options;
    options.checker = checker_;
    auto r = WebConfigReloader::Start(path_, clock_, &health_, errors, options);
    EXPECT_TRUE(r) << errors.messages[0];
    return r;
  }
  void Write(const std::string& yaml) { pki_.WriteWebConfig(yaml); }
  FileLoadHealth Health() const { return health_.Read([](const HealthData& h) { return h.web_config; }); }

  WebPki pki_;
  std::string path_;
  ManualClock clock_{kStart};
  HealthState health_;
  std::shared_ptr<BcryptChecker> checker_ = std::make_shared<BcryptChecker>();
};

TEST_F(WebConfigReloaderTest, AFileThatDoesNotLoadAtStartStopsTheStart) {
  const std::string path = pki_.WriteWebConfig("tls_server_config:\n  cert_file: server.crt\n");
  ConfigErrors errors;
  EXPECT_FALSE(WebConfigReloader::Start(path, clock_, &health_, errors));
  EXPECT_EQ(errors.messages,
            std::vector<std::string>{path + ":2: tls_server_config: missing one of key or key_file"});
  const FileLoadHealth h = Health();
  EXPECT_TRUE(h.in_use);
  EXPECT_FALSE(h.last_successful);
  EXPECT_EQ(h.errors, errors.messages);
}

TEST_F(WebConfigReloaderTest, StartReportsSuccess) {
  auto r = Start(Headers("deny"));
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->Current());
  EXPECT_EQ(r->Current()->headers[0].second, "deny");
  const FileLoadHealth s = r->Status();
  EXPECT_EQ(s.path, path_);
  EXPECT_TRUE(s.last_successful);
  EXPECT_EQ(s.last_success, kStart);
  EXPECT_TRUE(s.errors.empty());
  const FileLoadHealth h = Health();
  EXPECT_TRUE(h.in_use);
  EXPECT_EQ(h.path, path_);
  EXPECT_TRUE(h.last_successful);
  EXPECT_EQ(h.last_success, kStart);
}

TEST_F(WebConfigReloaderTest, AChangeIsSeenAtTheNextCheckAndNotBefore) {
  auto r = Start(Headers("deny"));
  ASSERT_TRUE(r);
  const auto first = r->Current();
  Write(Headers("sameorigin"));
  clock_.Advance(kSec - 1);
  r->Check();
  EXPECT_EQ(r->Current(), first);  // at most one look per second
  clock_.Advance(1);
  r->Check();
  const auto second = r->Current();
  ASSERT_NE(second, first);
  EXPECT_EQ(second->headers[0].second, "sameorigin");
  EXPECT_EQ(r->Status().last_success, kStart + kSec);
  // Nothing changed: the same policy, however much later.
  clock_.Advance(100 * kSec);
  r->Check();
  EXPECT_EQ(r->Current(), second);
  EXPECT_EQ(r->Status().last_success, kStart + kSec);
}

TEST_F(WebConfigReloaderTest, ABrokenFileKeepsTheLastGoodPolicyAndSaysWhy) {
  auto r = Start(Headers("deny"));
  ASSERT_TRUE(r);
  const auto good = r->Current();
  Write(Headers("allow-all"));
  clock_.Advance(kSec);
  r->Check();
  EXPECT_EQ(r->Current(), good);
  const std::string error = path_ +
                            ":3: http_server_config.headers.X-Frame-Options: invalid value \"allow-all\" (expected "
                            "one of: \"deny\", \"sameorigin\")";
  FileLoadHealth s = r->Status();
  EXPECT_FALSE(s.last_successful);
  EXPECT_EQ(s.last_success, kStart);
  EXPECT_EQ(s.errors, std::vector<std::string>{error});
  FileLoadHealth h = Health();
  EXPECT_FALSE(h.last_successful);
  EXPECT_EQ(h.last_success, kStart);
  EXPECT_EQ(h.errors, std::vector<std::string>{error});
  // Fixed: in force at the next check, and the error is gone.
  Write(Headers("sameorigin"));
  clock_.Advance(kSec);
  r->Check();
  EXPECT_EQ(r->Current()->headers[0].second, "sameorigin");
  s = r->Status();
  EXPECT_TRUE(s.last_successful);
  EXPECT_EQ(s.last_success, kStart + 2 * kSec);
  EXPECT_TRUE(s.errors.empty());
  h = Health();
  EXPECT_TRUE(h.last_successful);
  EXPECT_TRUE(h.errors.empty());
}

TEST_F(WebConfigReloaderTest, ARotatedCertificateIsAReload) {
  auto r = Start(kTls);
  ASSERT_TRUE(r);
  const auto first = r->Current();
  ASSERT_TRUE(first->tls);
  // The web config is unchanged; the certificate and key it names are replaced.
  WebPki other;
  std::filesystem::copy_file(other.server_cert_file, pki_.server_cert_file,
                             std::filesystem::copy_options::overwrite_existing);
  clock_.Advance(kSec);
  r->Check();
  // The new certificate with the old key: refused, the old pair stays.
  EXPECT_EQ(r->Current(), first);
  EXPECT_NE(r->Status().errors.at(0).find("tls_server_config.key_file: the private key does not match"),
            std::string::npos);
  std::filesystem::copy_file(other.server_key_file, pki_.server_key_file,
                             std::filesystem::copy_options::overwrite_existing);
  clock_.Advance(kSec);
  r->Check();
  const auto rotated = r->Current();
  EXPECT_NE(rotated, first);
  EXPECT_TRUE(r->Status().last_successful);
  X509* served = SSL_CTX_get0_certificate(rotated->tls->native_handle());
  EXPECT_EQ(X509_cmp(served, other.server.get()), 0);
}

TEST_F(WebConfigReloaderTest, ADeletedCertificateKeepsTheLastGoodPolicy) {
  auto r = Start(kTls);
  ASSERT_TRUE(r);
  const auto first = r->Current();
  std::filesystem::remove(pki_.server_cert_file);
  clock_.Advance(kSec);
  r->Check();
  EXPECT_EQ(r->Current(), first);
  EXPECT_EQ(r->Status().errors, std::vector<std::string>{path_ + ":2: tls_server_config.cert_file: cannot read " +
                                                         pki_.server_cert_file + ": No such file or directory"});
}

TEST_F(WebConfigReloaderTest, AReloadCannotTurnTlsOnOrOff) {
  auto plain = Start(Headers("deny"));
  ASSERT_TRUE(plain);
  const auto first = plain->Current();
  Write(kTls);
  clock_.Advance(kSec);
  plain->Check();
  EXPECT_EQ(plain->Current(), first);
  EXPECT_EQ(plain->Status().errors,
            std::vector<std::string>{path_ +
                                     ": tls_server_config: TLS was off at start and a reload cannot turn it on; "
                                     "restart the exporter"});

  auto tls = Start(kTls);
  ASSERT_TRUE(tls);
  const auto with_tls = tls->Current();
  Write(Headers("deny"));
  clock_.Advance(kSec);
  tls->Check();
  EXPECT_EQ(tls->Current(), with_tls);
  EXPECT_EQ(tls->Status().errors,
            std::vector<std::string>{path_ +
                                     ": tls_server_config: TLS was on at start and a reload cannot turn it off; "
                                     "restart the exporter"});
}

TEST_F(WebConfigReloaderTest, AClockThatWentBackLooksAtOnce) {
  auto r = Start(Headers("deny"));
  ASSERT_TRUE(r);
  Write(Headers("sameorigin"));
  clock_.Set(kStart - 3600 * kSec);
  r->Check();
  EXPECT_EQ(r->Current()->headers[0].second, "sameorigin");
}

TEST_F(WebConfigReloaderTest, AReloadKeepsTheCacheOfCheckedPasswords) {
  const std::string users = "basic_auth_users:\n  alice: " + testing::LibcryptBcrypt("pw", 4) + "\n";
  auto r = Start(users + Headers("deny"));
  ASSERT_TRUE(r);
  const std::string header = "Basic " + Base64Encode("alice:pw");
  EXPECT_TRUE(r->Current()->authorize(header));
  EXPECT_EQ(checker_->bcrypt_runs(), 1u);
  Write(users + Headers("sameorigin"));
  clock_.Advance(kSec);
  r->Check();
  const auto reloaded = r->Current();
  EXPECT_EQ(reloaded->headers[0].second, "sameorigin");
  EXPECT_TRUE(reloaded->authorize(header));
  EXPECT_EQ(checker_->bcrypt_runs(), 1u);  // the scrape after a reload is as cheap as before
  // Basic auth removed by a reload: everyone is allowed, as the file now says.
  Write(Headers("deny"));
  clock_.Advance(kSec);
  r->Check();
  EXPECT_FALSE(r->Current()->authorize);
}

TEST_F(WebConfigReloaderTest, TheSourceIsCurrent) {
  auto r = Start(Headers("deny"));
  ASSERT_TRUE(r);
  WebPolicySource source = r->Source();
  EXPECT_EQ(source(), r->Current());
  Write(Headers("sameorigin"));
  clock_.Advance(kSec);
  r->Check();
  EXPECT_EQ(source()->headers[0].second, "sameorigin");
}

// A FIFO named as the certificate: the server's Current() never waits for it (the watching
// thread reads the files, and opens regular files only), and the reload fails with a clear
// error while the last good policy stays.
TEST_F(WebConfigReloaderTest, ACertificateThatIsAFifoNeverStallsCurrentAndKeepsTheLastGoodPolicy) {
  auto r = Start(kTls);
  ASSERT_TRUE(r);
  const auto first = r->Current();
  std::filesystem::remove(pki_.server_cert_file);
  ASSERT_EQ(::mkfifo(pki_.server_cert_file.c_str(), 0600), 0);
  clock_.Advance(kSec);
  auto current = std::async(std::launch::async, [&] { return r->Current(); });
  const bool answered = current.wait_for(std::chrono::seconds(10)) == std::future_status::ready;  // a hang detector
  // Else a reader is blocked in open(): writers come and go until it is released.
  for (int i = 0; i < 100 && current.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready; ++i) {
    ::close(::open(pki_.server_cert_file.c_str(), O_RDWR | O_NONBLOCK));
  }
  EXPECT_TRUE(answered) << "Current() waited for a writer of the FIFO";
  EXPECT_EQ(current.get(), first);
  const std::string error =
      path_ + ":2: tls_server_config.cert_file: cannot read " + pki_.server_cert_file + ": not a regular file";
  EXPECT_TRUE(testpki::WaitFor([&] { return r->Status().errors == std::vector<std::string>{error}; }))
      << (r->Status().errors.empty() ? "" : r->Status().errors[0]);
  EXPECT_FALSE(r->Status().last_successful);
  EXPECT_EQ(r->Current(), first);
  EXPECT_EQ(Health().errors, std::vector<std::string>{error});
}

// The key file is read to load it and, on every check, to hash it: no copy of its bytes is
// left in memory freed afterwards.
TEST_F(WebConfigReloaderTest, TheKeyIsWipedFromEveryBufferThatHeldIt) {
  std::stringstream key_pem;
  key_pem << std::ifstream(pki_.server_key_file).rdbuf();
  const std::string key = key_pem.str();
  const size_t body = key.find('\n') + 1;  // a line of the key's base64, not its PEM header
  ASSERT_GT(key.size(), body + 48);
  {
    testing::FreedMemoryProbe probe(std::string_view(key).substr(body, 48));
    auto r = Start(kTls);
    ASSERT_TRUE(r);
    // Changed files: hashed, and loaded again (the key with them).
    Write(kTls + Headers("deny"));
    clock_.Advance(kSec);
    r->Check();
    ASSERT_EQ(r->Current()->headers.size(), 1u);
    clock_.Advance(kSec);
    r->Check();
    r.reset();
    EXPECT_EQ(probe.hits(), 0u) << "freed memory still held the private key";
  }
}

}  // namespace
}  // namespace gx
