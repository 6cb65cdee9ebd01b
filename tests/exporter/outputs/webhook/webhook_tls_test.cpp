// HTTPS receivers: the certificate is verified (a self-signed receiver is refused
// until its CA is configured). Certificates are generated at test time.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>

#include "exporter/outputs/webhook/webhook_dispatcher.h"
#include "exporter/state/self_metrics.h"
#include "exporter/util/http/http_listener.h"
#include "tests/exporter/outputs/alerts/alert_test_util.h"

namespace gx {
namespace {

TEST(WebhookTlsTest, VerifiesTheReceiverCertificate) {
  const auto dir = std::filesystem::temp_directory_path() / ("gx-webhook-tls-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -keyout " + key + " -out " + cert +
                          " -days 1 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost"
                          " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);

  httplib::SSLServer server(cert.c_str(), key.c_str());
  std::atomic<int> hits{0};
  server.Post("/hook", [&](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.status = 204;
  });
  HttpListener listener(server);  // an SSLServer is an httplib::Server
  const Status started = listener.Start("127.0.0.1", 0);
  ASSERT_TRUE(started.ok()) << started.error();
  const int port = listener.port();

  ManualClock clock(gx::testing::kT0);
  AlertMessage n;
  Alert a;
  a.labels = {{"alertname", "edge_offline"}, {"edge_id", "e1"}};
  a.fingerprint = AlertFingerprint(a.labels);
  a.status = AlertStatus::kFiring;
  n.firing = {a};
  n.created_at = clock.Now();

  WebhookDispatcherOptions o;
  ReceiverConfig r;
  r.name = "tls";
  r.urls = {"https://127.0.0.1:" + std::to_string(port) + "/hook"};
  r.timeout = Seconds(5);
  o.receivers = {r};
  o.spool_dir = (dir / "spool-untrusted").string();
  {
    HealthState health;
    WebhookDispatcher d(o, clock, &health);
    d.Enqueue(n);
    EXPECT_EQ(d.DeliverDue(), 1);
    EXPECT_EQ(hits, 0);
    EXPECT_EQ(d.QueueLength(), 1u);  // an untrusted certificate is retried, not delivered
    EXPECT_EQ(health.self_metrics().WebhookReceivers().at("tls").failures, 1u);
  }
  o.receivers[0].ca_file = cert;
  o.spool_dir = (dir / "spool-trusted").string();
  {
    HealthState health;
    WebhookDispatcher d(o, clock, &health);
    d.Enqueue(n);
    EXPECT_EQ(d.DeliverDue(), 1);
    EXPECT_EQ(hits, 1);
    EXPECT_EQ(d.QueueLength(), 0u);
  }
  listener.Stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gx
