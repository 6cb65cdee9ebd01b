#include "exporter/util/url.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

TEST(ParseUrlTest, SplitsEveryPart) {
  const auto u = ParseUrl("https://user:pw@api.example.com:8443/a/b?x=1&y#frag");
  ASSERT_TRUE(u) << u.error();
  EXPECT_EQ(u->scheme, "https");
  EXPECT_TRUE(u->user_info);
  EXPECT_EQ(u->host, "api.example.com");
  EXPECT_EQ(u->port, "8443");
  EXPECT_EQ(u->path, "/a/b");
  EXPECT_TRUE(u->has_query);
  EXPECT_EQ(u->query, "x=1&y");
  EXPECT_TRUE(u->has_fragment);
  EXPECT_EQ(u->origin(), "https://api.example.com:8443");
  EXPECT_EQ(u->target(), "/a/b?x=1&y");
  EXPECT_FALSE(u->origin_only());
}

TEST(ParseUrlTest, OriginOnlyAndDefaults) {
  auto u = ParseUrl("http://h");
  ASSERT_TRUE(u) << u.error();
  EXPECT_EQ(u->port, "");
  EXPECT_EQ(u->port_or("80"), "80");
  EXPECT_EQ(u->target(), "/");
  EXPECT_TRUE(u->origin_only());
  EXPECT_TRUE(ParseUrl("http://h/")->origin_only());
  EXPECT_FALSE(ParseUrl("http://h?")->origin_only());
  EXPECT_EQ(ParseUrl("ws://h?x=1")->target(), "/?x=1");
}

TEST(ParseUrlTest, Ipv6LiteralsKeepTheirBracketsInTheOriginOnly) {
  const auto u = ParseUrl("http://[::1]:9093/api");
  ASSERT_TRUE(u) << u.error();
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, "9093");
  EXPECT_EQ(u->origin(), "http://[::1]:9093");
  EXPECT_TRUE(ParseUrl("http://[::1]"));
}

// RFC 3986: the user info ends at the authority's last '@'; an '@' in the path is not one.
TEST(ParseUrlTest, UserInfoIsSeenButNotKept) {
  auto u = ParseUrl("https://a@b:p@w@host/x");
  ASSERT_TRUE(u) << u.error();
  EXPECT_TRUE(u->user_info);
  EXPECT_EQ(u->host, "host");
  EXPECT_EQ(u->origin().find('@'), std::string::npos);
  u = ParseUrl("https://host/a@b");
  ASSERT_TRUE(u) << u.error();
  EXPECT_FALSE(u->user_info);
  EXPECT_EQ(u->path, "/a@b");
}

TEST(ParseUrlTest, SaysWhatIsWrongWithoutQuotingTheUrl) {
  EXPECT_EQ(ParseUrl("api.example.com").error(), "has no scheme");
  EXPECT_EQ(ParseUrl("://h").error(), "has no scheme");
  EXPECT_EQ(ParseUrl("1http://h").error(), "has no scheme");
  EXPECT_EQ(ParseUrl("http://h x").error(), "has spaces or control characters");
  EXPECT_EQ(ParseUrl("http://h/\x7f").error(), "has spaces or control characters");
  EXPECT_EQ(ParseUrl("https://").error(), "has no host");
  EXPECT_EQ(ParseUrl("https://:80").error(), "has no host");
  EXPECT_EQ(ParseUrl("https://u:secret@/x").error(), "has no host");
  for (const char* bad : {"http://[::1", "http://[]:1", "http://[::1]x", "http://a]b"}) {
    EXPECT_EQ(ParseUrl(bad).error(), "has a bad IPv6 host") << bad;
  }
  for (const char* bad : {"http://h:", "http://h:0", "http://h:65536", "http://h:8o", "http://h:1:2", "http://h:000080"}) {
    EXPECT_EQ(ParseUrl(bad).error(), "has a bad port") << bad;
  }
  EXPECT_EQ(ParseUrl("http://h:65535")->port, "65535");
}

}  // namespace
}  // namespace gx
