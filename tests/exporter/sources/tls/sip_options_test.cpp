#include "exporter/sources/tls/sip_options.h"

#include <gtest/gtest.h>

#include <memory>

#include "tests/exporter/util/finishes_within.h"

namespace gx::tls {
namespace {

TEST(SipOptionsTest, RequestShape) {
  std::string r = BuildSipOptionsRequest("sip.carrier.example", 5061, "abc123");
  EXPECT_EQ(r.rfind("OPTIONS sip:sip.carrier.example:5061 SIP/2.0\r\n", 0), 0u);
  EXPECT_NE(r.find("Via: SIP/2.0/TLS genesys-exporter.invalid;branch=z9hG4bKabc123;rport\r\n"), std::string::npos);
  EXPECT_NE(r.find("CSeq: 1 OPTIONS\r\n"), std::string::npos);
  EXPECT_NE(r.find("To: <sip:sip.carrier.example:5061>\r\n"), std::string::npos);
  EXPECT_EQ(r.substr(r.size() - 21), "Content-Length: 0\r\n\r\n");
  EXPECT_EQ(BuildSipOptionsRequest("2001:db8::1", 5061, "x").rfind("OPTIONS sip:[2001:db8::1]:5061 SIP/2.0", 0), 0u);
}

TEST(SipOptionsTest, StatusLine) {
  EXPECT_EQ(ParseSipStatusLine("SIP/2.0 200 OK"), 200);
  EXPECT_EQ(ParseSipStatusLine("SIP/2.0 404 Not Found"), 404);
  EXPECT_EQ(ParseSipStatusLine("SIP/2.0 503"), 503);
  EXPECT_EQ(ParseSipStatusLine("SIP/2.0 20 OK"), std::nullopt);
  EXPECT_EQ(ParseSipStatusLine("SIP/2.0 2000 OK"), std::nullopt);
  EXPECT_EQ(ParseSipStatusLine("SIP/2.0 099 Low"), std::nullopt);
  EXPECT_EQ(ParseSipStatusLine("HTTP/1.1 200 OK"), std::nullopt);
  EXPECT_EQ(ParseSipStatusLine(""), std::nullopt);
}

TEST(SipOptionsTest, ScanSkipsProvisionalResponses) {
  const std::string trying = "SIP/2.0 100 Trying\r\nContent-Length: 4\r\n\r\nbody";
  const std::string ok = "SIP/2.0 200 OK\r\nl: 0\r\n\r\n";
  EXPECT_TRUE(ScanSipResponses(trying).need_more());
  EXPECT_EQ(ScanSipResponses(trying).provisional, 1);
  EXPECT_EQ(ScanSipResponses(trying + ok).final_status, 200);
  EXPECT_EQ(ScanSipResponses("\r\n" + ok).final_status, 200);
  EXPECT_EQ(ScanSipResponses("SIP/2.0 404 Not Found\r\n\r\n").final_status, 404);  // no headers at all
  // Incomplete: wait for more bytes.
  EXPECT_TRUE(ScanSipResponses("SIP/2.0 200 OK\r\nCSeq: 1").need_more());
  EXPECT_TRUE(ScanSipResponses("SIP/2").need_more());
  EXPECT_TRUE(ScanSipResponses("").need_more());
}

// Runs the scanner on a thread with a deadline: the old scanner looped forever on some of
// these inputs, and a regression must fail the test, not hang it.
SipScan Scan(std::string input) {
  auto in = std::make_shared<std::string>(std::move(input));
  auto out = std::make_shared<SipScan>();
  const bool returned =
      gx::testing::FinishesWithin([in, out] { *out = ScanSipResponses(*in); }, std::chrono::seconds(20));
  if (!returned) {
    ADD_FAILURE() << "ScanSipResponses did not return";
    SipScan hung;
    hung.failure = "hung";
    return hung;
  }
  return *out;
}

void ExpectFailure(const std::string& input, const char* failure, const std::string& error) {
  SipScan scan = Scan(input);
  EXPECT_FALSE(scan.final_status.has_value());
  ASSERT_NE(scan.failure, nullptr) << error;
  EXPECT_STREQ(scan.failure, failure) << error;
  EXPECT_EQ(scan.error, error);
}

TEST(SipOptionsTest, ContentLengthNearTwoToTheSixtyFourFailsInsteadOfLooping) {
  // 18446744073709551556 + 60 wraps to 0: the old scanner stood still on this message forever.
  const std::string hostile = "SIP/2.0 100 Trying\r\nContent-Length: 18446744073709551556\r\n\r\n";
  ASSERT_EQ(hostile.size(), 60u);
  ExpectFailure(hostile, kSipLimit, "Content-Length 18446744073709551556 exceeds 16384 bytes");
  ExpectFailure(hostile + "SIP/2.0 200 OK\r\n\r\n", kSipLimit,
                "Content-Length 18446744073709551556 exceeds 16384 bytes");
}

TEST(SipOptionsTest, HugeContentLengths) {
  const std::string trying = "SIP/2.0 100 Trying\r\nContent-Length: ";
  ExpectFailure(trying + "18446744073709551615\r\n\r\n", kSipLimit,
                "Content-Length 18446744073709551615 exceeds 16384 bytes");
  ExpectFailure(trying + "18446744073709551616\r\n\r\n", kSipLimit,
                "Content-Length 18446744073709551616 exceeds 16384 bytes");
  ExpectFailure(trying + std::string(300, '9') + "\r\n\r\n", kSipLimit,
                "Content-Length of 300 digits exceeds 16384 bytes");
  ExpectFailure(trying + "16385\r\n\r\n", kSipLimit, "Content-Length 16385 exceeds 16384 bytes");
  ExpectFailure("SIP/2.0 200 OK\r\nl: 99999999\r\n\r\n", kSipLimit, "Content-Length 99999999 exceeds 16384 bytes");
  // The largest allowed body is skipped like any other.
  const std::string big = trying + "16384\r\n\r\n" + std::string(16384, 'x');
  EXPECT_TRUE(Scan(big.substr(0, big.size() - 1)).need_more());
  EXPECT_EQ(Scan(big + "SIP/2.0 200 OK\r\n\r\n").final_status, 200);
}

TEST(SipOptionsTest, NegativeAndNonNumericContentLengths) {
  for (const char* value : {"-1", "-18446744073709551556", "+4", "abc", "", "12abc", "0x10", "1 2", "4;x", "\xff"}) {
    ExpectFailure(std::string("SIP/2.0 100 Trying\r\nContent-Length: ") + value + "\r\n\r\n", kSipMalformed,
                  "invalid Content-Length");
  }
  ExpectFailure("SIP/2.0 100 Trying\r\nContent-Length: 4\r\nl: 5\r\n\r\n", kSipMalformed,
                "conflicting Content-Length headers");
  // Surrounding blanks, the compact form, any case and a repeated equal value are fine.
  EXPECT_EQ(Scan("SIP/2.0 100 Trying\r\ncontent-LENGTH :\t 2 \r\nL: 2\r\n\r\nxxSIP/2.0 200 OK\r\n\r\n").final_status,
            200);
}

TEST(SipOptionsTest, EndlessProvisionalResponses) {
  const std::string trying = "SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\n";
  std::string eight;
  for (int i = 0; i < kMaxSipProvisional; ++i) eight += trying;
  EXPECT_TRUE(Scan(eight).need_more());
  SipScan answered = Scan(eight + "SIP/2.0 200 OK\r\n\r\n");
  EXPECT_EQ(answered.final_status, 200);
  EXPECT_EQ(answered.provisional, kMaxSipProvisional);
  ExpectFailure(eight + trying, kSipLimit, "more than 8 provisional responses");
  std::string endless;
  for (int i = 0; i < 2000; ++i) endless += "SIP/2.0 100 Trying\r\n\r\n";
  ExpectFailure(endless, kSipLimit, "more than 8 provisional responses");
}

TEST(SipOptionsTest, EndlessHeaderAndStatusLines) {
  const std::string status = "SIP/2.0 200 OK\r\n";
  // A header block of exactly kMaxSipHeaderBytes (blank line included) is accepted.
  const std::string filler(kMaxSipHeaderBytes - status.size() - 4 - 3, 'a');
  EXPECT_EQ(Scan(status + "X: " + filler + "\r\n\r\n").final_status, 200);
  ExpectFailure(status + "X: " + filler + "a\r\n\r\n", kSipLimit, "header block exceeds 8192 bytes");
  EXPECT_TRUE(Scan(status + "X: " + filler).need_more());
  ExpectFailure(status + "X: " + std::string(100000, 'a'), kSipLimit, "header block exceeds 8192 bytes");
  ExpectFailure("SIP/2.0 200 " + std::string(100000, 'a'), kSipLimit, "status line exceeds 8192 bytes");
  ExpectFailure("SIP/2.0 200 " + std::string(9000, 'a') + "\r\n\r\n", kSipLimit, "status line exceeds 8192 bytes");
}

TEST(SipOptionsTest, EndlessKeepAlivesHitTheTotalBound) {
  std::string crlfs;
  while (crlfs.size() < kMaxSipResponseBytes) crlfs += "\r\n";
  EXPECT_TRUE(Scan(crlfs.substr(0, kMaxSipResponseBytes - 2)).need_more());
  ExpectFailure(crlfs, kSipLimit, "no final response in 65536 bytes");
}

TEST(SipOptionsTest, NotSip) {
  ExpectFailure("HTTP/1.1 400 Bad", kSipMalformed, "not a SIP status line");  // judged before the line ends
  ExpectFailure("SIP/2.0 xyz\r\n\r\n", kSipMalformed, "not a SIP status line");
  ExpectFailure("SIP/2.0 20x OK\r\n\r\n", kSipMalformed, "not a SIP status line");
  ExpectFailure(std::string("SIP/2.0 2\0"
                            "0 OK\r\n\r\n",
                            19),
                kSipMalformed, "not a SIP status line");
  ExpectFailure("SIP/2.0 100 Trying\r\n\r\nGARBAGE", kSipMalformed, "not a SIP status line");
  ExpectFailure("\r\r\n", kSipMalformed, "not a SIP status line");
  EXPECT_TRUE(Scan("\r\n\r").need_more());  // half a keep-alive
}

// A response that arrives a byte at a time is never judged before it is complete.
TEST(SipOptionsTest, ByteTrickleNeverFailsEarly) {
  const std::string response =
      "\r\nSIP/2.0 100 Trying\r\nl: 4\r\n\r\nbodySIP/2.0 183 Progress\r\nContent-Length: 0\r\n\r\n"
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/TLS x;branch=z9hG4bK1\r\nContent-Length: 3\r\n\r\nabc";
  const size_t final_at = response.size() - 3;  // the blank line after the 200's headers
  for (size_t n = 0; n < response.size(); ++n) {
    SipScan scan = ScanSipResponses(std::string_view(response).substr(0, n));
    EXPECT_EQ(scan.failure, nullptr) << n;
    EXPECT_EQ(scan.final_status.has_value(), n >= final_at) << n;
  }
  EXPECT_EQ(ScanSipResponses(response).final_status, 200);
}

}  // namespace
}  // namespace gx::tls
