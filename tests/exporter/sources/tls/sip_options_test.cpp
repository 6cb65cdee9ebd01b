#include "exporter/sources/tls/sip_options.h"

#include <gtest/gtest.h>

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
  EXPECT_FALSE(ScanSipResponses(trying).final_status.has_value());
  EXPECT_FALSE(ScanSipResponses(trying).malformed);
  EXPECT_EQ(ScanSipResponses(trying + ok).final_status, 200);
  EXPECT_EQ(ScanSipResponses("\r\n" + ok).final_status, 200);
  // Incomplete: wait for more bytes.
  EXPECT_FALSE(ScanSipResponses("SIP/2.0 200 OK\r\nCSeq: 1").final_status.has_value());
  EXPECT_FALSE(ScanSipResponses("SIP/2").malformed);
  EXPECT_TRUE(ScanSipResponses("HTTP/1.1 400 Bad").malformed);
  EXPECT_TRUE(ScanSipResponses("SIP/2.0 xyz\r\n\r\n").malformed);
}

}  // namespace
}  // namespace gx::tls
