#include "exporter/config/url_check.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

TEST(UrlProblem, BaseUrls) {
  EXPECT_EQ(UrlProblem("https://api.mypurecloud.ie", UrlShape::kBase), "");
  EXPECT_EQ(UrlProblem("http://127.0.0.1:8080", UrlShape::kBase), "");
  EXPECT_EQ(UrlProblem("http://[::1]:8080", UrlShape::kBase), "");
  EXPECT_EQ(UrlProblem("http://[::1]", UrlShape::kBase), "");
  const std::string want = "want http(s)://host[:port]";
  for (const char* bad : {"api.example.com", "ftp://x", "https://", "https://:80", "http://h:", "http://h:0",
                          "http://h:65536", "http://h:8o", "http://[::1", "http://[]:1", "http://[::1]x",
                          "http://h/x", "http://h?token=x", "http://h#f", "HTTP://h"}) {
    EXPECT_EQ(UrlProblem(bad, UrlShape::kBase), want) << bad;
  }
  EXPECT_EQ(UrlProblem("http://u:p@h", UrlShape::kBase), "user info is not supported; " + want);
  EXPECT_EQ(UrlProblem("http://h x", UrlShape::kBase), "spaces and control characters are not allowed; " + want);
}

TEST(UrlProblem, EndpointUrls) {
  EXPECT_EQ(UrlProblem("https://hooks.slack.com/services/T/B/X", UrlShape::kEndpoint), "");
  EXPECT_EQ(UrlProblem("http://am:9093", UrlShape::kEndpoint), "");
  EXPECT_EQ(UrlProblem("http://h:65535/x?a=1#f", UrlShape::kEndpoint), "");
  EXPECT_EQ(UrlProblem("https://u:p@h/x", UrlShape::kEndpoint),
            "user info is not supported; want http(s)://host[:port]/path");
  // An '@' in the path is not user info.
  EXPECT_EQ(UrlProblem("https://h/a@b", UrlShape::kEndpoint), "");
  EXPECT_EQ(UrlProblem("https:///x", UrlShape::kEndpoint), "want http(s)://host[:port]/path");
  EXPECT_EQ(UrlProblem("https://h/x\ny", UrlShape::kEndpoint),
            "spaces and control characters are not allowed; want http(s)://host[:port]/path");
}

}  // namespace
}  // namespace gx
