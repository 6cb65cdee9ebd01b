#include "exporter/sources/notifications/ws_url.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

TEST(WsUrlTest, SecureDefaultsToPort443) {
  WsUrl u;
  ASSERT_TRUE(ParseWsUrl("wss://streaming.mypurecloud.com/channels/streaming-0-abc", u, nullptr));
  EXPECT_TRUE(u.tls);
  EXPECT_EQ(u.host, "streaming.mypurecloud.com");
  EXPECT_EQ(u.port, "443");
  EXPECT_EQ(u.target, "/channels/streaming-0-abc");
}

TEST(WsUrlTest, PlainWithPortAndQuery) {
  WsUrl u;
  ASSERT_TRUE(ParseWsUrl("ws://127.0.0.1:8089/channels/x?y=1", u, nullptr));
  EXPECT_FALSE(u.tls);
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, "8089");
  EXPECT_EQ(u.target, "/channels/x?y=1");
  ASSERT_TRUE(ParseWsUrl("ws://[::1]:9/", u, nullptr));
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, "9");
  ASSERT_TRUE(ParseWsUrl("ws://h", u, nullptr));
  EXPECT_EQ(u.target, "/");
  EXPECT_EQ(u.port, "80");
}

TEST(WsUrlTest, RejectsOtherSchemesAndBadPorts) {
  WsUrl u;
  std::string error;
  EXPECT_FALSE(ParseWsUrl("https://h/x", u, &error));
  EXPECT_EQ(error, "connect URI is not ws:// or wss://");
  EXPECT_FALSE(ParseWsUrl("ws://h:99999/", u, &error));
  EXPECT_FALSE(ParseWsUrl("ws://h:abc/", u, &error));
  EXPECT_FALSE(ParseWsUrl("ws://:80/", u, &error));
  EXPECT_FALSE(ParseWsUrl("ws://user@h/", u, &error));
}

}  // namespace
}  // namespace gx
