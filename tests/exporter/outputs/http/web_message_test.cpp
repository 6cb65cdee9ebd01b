// Writing a reply's head: status line, fields, length and connection handling.
#include "exporter/outputs/http/web_message.h"

#include <gtest/gtest.h>

#include "exporter/outputs/http/web_policy.h"

namespace gx {
namespace {

TEST(WebMessage, HeadOfAKeptAliveReply) {
  WebReply r;
  r.headers = {{"Content-Type", "text/plain"}};
  r.body = "hello";
  EXPECT_EQ(SerializeReplyHead(r, 11, true), "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n");
  EXPECT_EQ(SerializeReplyHead(r, 10, true),
            "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(SerializeReplyHead(r, 11, false),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\n");
}

TEST(WebMessage, NotModifiedHasNoLength) {
  WebReply r;
  r.status = 304;
  EXPECT_EQ(SerializeReplyHead(r, 11, true), "HTTP/1.1 304 Not Modified\r\n\r\n");
}

TEST(WebMessage, FieldsWithLineBreaksAreNeverWritten) {
  WebReply r;
  r.headers = {{"X-Ok", "1"}, {"X-Bad", "a\r\nSet-Cookie: x"}, {"X\nBad", "1"}};
  AddMissingHeaders(r, {{"X-Ok", "2"}, {"X-Also", "b\nc"}, {"X-New", "3"}});
  const std::string head = SerializeReplyHead(r, 11, true);
  EXPECT_EQ(head, "HTTP/1.1 200 OK\r\nX-Ok: 1\r\nX-New: 3\r\nContent-Length: 0\r\n\r\n");
}

TEST(WebMessage, PlainReplyCarriesThePolicyHeaders) {
  WebPolicy p;
  p.headers = {{"X-Content-Type-Options", "nosniff"}};
  const WebReply r = PlainReply(431, "Request Header Fields Too Large\n", p);
  EXPECT_EQ(SerializeReplyHead(r, 11, false),
            "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "X-Content-Type-Options: nosniff\r\nContent-Length: 32\r\nConnection: close\r\n\r\n");
}

TEST(WebMessage, FieldLookupIgnoresCase) {
  WebRequest req;
  req.fields = {{"Accept-Encoding", "gzip"}, {"accept-encoding", "br"}};
  EXPECT_EQ(req.Field("ACCEPT-ENCODING"), "gzip");
  EXPECT_EQ(req.Field("authorization"), "");
}

}  // namespace
}  // namespace gx
