#include "exporter/config/url_check.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

TEST(CheckUrl, BaseUrls) {
  EXPECT_TRUE(CheckUrl("https://api.mypurecloud.ie", UrlShape::kBase).ok());
  EXPECT_EQ(CheckUrl("https://api.mypurecloud.ie", UrlShape::kBase).error(), "");
  EXPECT_EQ(CheckUrl("http://127.0.0.1:8080", UrlShape::kBase).error(), "");
  EXPECT_EQ(CheckUrl("http://[::1]:8080", UrlShape::kBase).error(), "");
  EXPECT_EQ(CheckUrl("http://[::1]", UrlShape::kBase).error(), "");
  const std::string want = "want http(s)://host[:port]";
  for (const char* bad : {"api.example.com", "ftp://x", "https://", "https://:80", "http://h:", "http://h:0",
                          "http://h:65536", "http://h:8o", "http://[::1", "http://[]:1", "http://[::1]x",
                          "http://h/x", "http://h?token=x", "http://h#f", "HTTP://h"}) {
    EXPECT_FALSE(CheckUrl(bad, UrlShape::kBase).ok()) << bad;
    EXPECT_EQ(CheckUrl(bad, UrlShape::kBase).error(), want) << bad;
  }
  EXPECT_EQ(CheckUrl("http://u:p@h", UrlShape::kBase).error(), "user info is not supported; " + want);
  EXPECT_EQ(CheckUrl("http://h x", UrlShape::kBase).error(), "spaces and control characters are not allowed; " + want);
}

TEST(CheckUrl, EndpointUrls) {
  EXPECT_EQ(CheckUrl("https://hooks.slack.com/services/T/B/X", UrlShape::kEndpoint).error(), "");
  EXPECT_EQ(CheckUrl("http://am:9093", UrlShape::kEndpoint).error(), "");
  EXPECT_EQ(CheckUrl("http://h:65535/x?a=1#f", UrlShape::kEndpoint).error(), "");
  EXPECT_EQ(CheckUrl("https://u:p@h/x", UrlShape::kEndpoint).error(),
            "user info is not supported; want http(s)://host[:port]/path");
  // An '@' in the path is not user info.
  EXPECT_EQ(CheckUrl("https://h/a@b", UrlShape::kEndpoint).error(), "");
  EXPECT_EQ(CheckUrl("https:///x", UrlShape::kEndpoint).error(), "want http(s)://host[:port]/path");
  EXPECT_EQ(CheckUrl("https://h/x\ny", UrlShape::kEndpoint).error(),
            "spaces and control characters are not allowed; want http(s)://host[:port]/path");
}

TEST(CheckReceiverUrl, NamesTheUrlRedactedWithItsPathHidden) {
  EXPECT_TRUE(CheckReceiverUrl("https://hooks.slack.com/services/T/B/X").ok());
  EXPECT_EQ(CheckReceiverUrl("https://u:secret@hooks.example/services/T/B/X").error(),
            "invalid URL \"https://***@hooks.example/...\" (user info is not supported; want http(s)://host[:port]/path)");
}

}  // namespace
}  // namespace gx
