#include "exporter/sources/notifications/ws_url.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

TEST(WsUrlTest, SecureDefaultsToPort443) {
  const auto u = ParseWsUrl("wss://streaming.mypurecloud.com/channels/streaming-0-abc");
  ASSERT_TRUE(u) << u.error();
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "streaming.mypurecloud.com");
  EXPECT_EQ(u->port, "443");
  EXPECT_EQ(u->target, "/channels/streaming-0-abc");
}

TEST(WsUrlTest, PlainWithPortAndQuery) {
  auto u = ParseWsUrl("ws://127.0.0.1:8089/channels/x?y=1");
  ASSERT_TRUE(u) << u.error();
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, "8089");
  EXPECT_EQ(u->target, "/channels/x?y=1");
  u = ParseWsUrl("ws://[::1]:9/");
  ASSERT_TRUE(u) << u.error();
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, "9");
  u = ParseWsUrl("ws://h");
  ASSERT_TRUE(u) << u.error();
  EXPECT_EQ(u->target, "/");
  EXPECT_EQ(u->port, "80");
  u = ParseWsUrl("ws://h?x=1");
  ASSERT_TRUE(u) << u.error();
  EXPECT_EQ(u->target, "/?x=1");
}

// A fragment is never sent; before the one URL reading it ran into the host ("h#f").
TEST(WsUrlTest, TheFragmentIsNotPartOfTheHostOrTheTarget) {
  const auto u = ParseWsUrl("wss://h#f");
  ASSERT_TRUE(u) << u.error();
  EXPECT_EQ(u->host, "h");
  EXPECT_EQ(u->target, "/");
}

TEST(WsUrlTest, RejectsOtherSchemesBadPortsAndUserInfo) {
  EXPECT_EQ(ParseWsUrl("https://h/x").error(), "connect URI is not ws:// or wss://");
  EXPECT_EQ(ParseWsUrl("streaming.example/x").error(), "connect URI is not ws:// or wss://");
  EXPECT_EQ(ParseWsUrl("ws://h:99999/").error(), "connect URI has a bad port");
  EXPECT_EQ(ParseWsUrl("ws://h:abc/").error(), "connect URI has a bad port");
  EXPECT_EQ(ParseWsUrl("ws://h:/").error(), "connect URI has a bad port");
  EXPECT_EQ(ParseWsUrl("ws://h:1:2/").error(), "connect URI has a bad port");
  EXPECT_EQ(ParseWsUrl("ws://:80/").error(), "connect URI has no host");
  EXPECT_EQ(ParseWsUrl("ws://[::1/").error(), "connect URI has a bad IPv6 host");
  EXPECT_EQ(ParseWsUrl("ws://user@h/").error(), "connect URI carries user info");
  EXPECT_EQ(ParseWsUrl("ws://h/a b").error(), "connect URI has spaces or control characters");
}

}  // namespace
}  // namespace gx
