#include "exporter/util/http/http_failure.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include "tests/exporter/outputs/webhook/webhook_test_server.h"

namespace gx {
namespace {

TEST(HttpFailure, ARefusedConnectionNamesHostAndPort) {
  const int port = testing::DeadPort();
  const std::string origin = "http://127.0.0.1:" + std::to_string(port);
  httplib::Client client(origin);
  auto res = client.Get("/");
  ASSERT_FALSE(res);
  EXPECT_EQ(DescribeHttpFailure(res.error(), origin, 0.01, 5),
            "cannot connect to 127.0.0.1:" + std::to_string(port) + " (connection refused or host unreachable)");
}

TEST(HttpFailure, EveryKindSaysWhatHappenedAndWhere) {
  const std::string origin = "https://login.example.test:8443";
  EXPECT_EQ(DescribeHttpFailure(httplib::Error::ConnectionTimeout, origin, 5.02, 5),
            "no connection to login.example.test:8443 within 5.0s");
  EXPECT_EQ(DescribeHttpFailure(httplib::Error::SSLServerVerification, origin, 0.1, 5),
            "TLS certificate of login.example.test:8443 not trusted (verification failed; a private CA needs "
            "ca_file)");
  EXPECT_EQ(DescribeHttpFailure(httplib::Error::SSLConnection, "https://[::1]", 0.1, 5),
            "TLS handshake with [::1]:443 failed");
  EXPECT_EQ(DescribeHttpFailure(httplib::Error::Read, "http://localhost", 0.1, 5),
            "connection to localhost:80 closed or failed while reading the answer");
}

TEST(HttpFailure, AConnectThatRanIntoItsTimeoutSaysSo) {
  // localhost resolves from /etc/hosts: no resolver traffic.
  EXPECT_EQ(DescribeHttpFailure(httplib::Error::Connection, "http://localhost:9", 4.99, 5),
            "no connection to localhost:9 within 5.0s");
}

}  // namespace
}  // namespace gx
