// Certificate facts from certificates made at test time, cross-checked with the openssl CLI.
#include "exporter/sources/tls/cert_facts.h"

#include <gtest/gtest.h>

#include <limits>

#include "exporter/util/time_math.h"
#include "tests/exporter/sources/tls/test_pki.h"

namespace gx::tls {
namespace {

using namespace gx::testpki;

TEST(CertFactsTest, FactsMatchTheOpensslCli) {
  KeyPtr ca_key = NewKey();
  CertPtr ca = MakeCert({"Facts Root", "7F", "2026-01-01T00:00:00Z", "2030-01-01T00:00:00Z", true, {}, {}}, ca_key.get());
  KeyPtr key = NewKey();
  CertPtr leaf = MakeCert({"sip.facts.example", "00FFEE0102030405060708090A0B0C0D", "2026-02-03T04:05:06Z",
                           "2027-03-04T05:06:07Z", false, {"sip.facts.example", "alt.facts.example"}, {"192.0.2.1"}},
                          key.get(), ca.get(), ca_key.get());
  CertificateFacts f = FactsOf(leaf.get(), 0);
  EXPECT_EQ(f.position, 0);
  EXPECT_EQ(f.serial, "FFEE0102030405060708090A0B0C0D");
  EXPECT_EQ(f.subject_cn, "sip.facts.example");
  EXPECT_EQ(f.issuer_cn, "Facts Root");
  EXPECT_EQ(f.not_before, Utc("2026-02-03T04:05:06Z") * kNanosPerSecond);
  EXPECT_EQ(f.not_after, Utc("2027-03-04T05:06:07Z") * kNanosPerSecond);
  EXPECT_EQ(f.dns_names, (std::vector<std::string>{"sip.facts.example", "alt.facts.example"}));
  ASSERT_EQ(f.sha256_fingerprint.size(), 64u);

  TempDir dir;
  std::string path = dir.Write("leaf.pem", Pem(leaf.get()));
  std::string cli = RunCommand("openssl x509 -in " + path + " -noout -serial -enddate -startdate -fingerprint -sha256");
  std::string fp;  // "AB:CD:..." -> "abcd..."
  for (char c : f.sha256_fingerprint) {
    if (!fp.empty() && fp.size() % 3 == 2) fp.push_back(':');
    fp.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  EXPECT_EQ(cli, "serial=" + f.serial + "\nnotAfter=Mar  4 05:06:07 2027 GMT\nnotBefore=Feb  3 04:05:06 2026 GMT\n" +
                     "sha256 Fingerprint=" + fp + "\n");
}

TEST(CertFactsTest, CommonNameIsTheLastOneAndEmptyWhenAbsent) {
  X509_NAME* name = X509_NAME_new();
  EXPECT_EQ(CommonName(name), "");
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("first"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("org"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("zw\xc3\xb6lf"), -1, -1,
                             0);
  EXPECT_EQ(CommonName(name), "zw\xc3\xb6lf");
  X509_NAME_free(name);
  EXPECT_EQ(CommonName(nullptr), "");
}

TEST(CertFactsTest, Asn1Times) {
  ASN1_TIME* t = ASN1_TIME_new();
  ASSERT_TRUE(ASN1_TIME_set_string(t, "491231235959Z"));  // UTCTime: 2049
  EXPECT_EQ(Asn1TimeToUnixNanos(t), Utc("2049-12-31T23:59:59Z") * kNanosPerSecond);
  ASSERT_TRUE(ASN1_TIME_set_string(t, "500101000000Z"));  // UTCTime: 1950
  EXPECT_EQ(Asn1TimeToUnixNanos(t), -631152000 * kNanosPerSecond);
  ASSERT_TRUE(ASN1_TIME_set_string(t, "20500101000000Z"));  // GeneralizedTime
  EXPECT_EQ(Asn1TimeToUnixNanos(t), Utc("2050-01-01T00:00:00Z") * kNanosPerSecond);
  ASSERT_TRUE(ASN1_TIME_set_string(t, "99991231235959Z"));  // RFC 5280 "no expiry": past int64 nanos
  EXPECT_EQ(Asn1TimeToUnixNanos(t), std::numeric_limits<UnixNanos>::max());
  ASN1_TIME_free(t);
  EXPECT_EQ(Asn1TimeToUnixNanos(nullptr), std::nullopt);
}

TEST(CertFactsTest, NoExpiryCertificateSaturatesInsteadOfWrapping) {
  // RFC 5280's "no well-defined expiration" 9999-12-31 and a notBefore before 1678: both
  // outside int64 nanoseconds, so they saturate (an expiry must never turn into the past).
  KeyPtr key = NewKey();
  CertPtr forever =
      MakeCert({"forever.example", "01", "1600-01-01T00:00:00Z", "9999-12-31T23:59:59Z", false, {}, {}}, key.get());
  const CertificateFacts f = FactsOf(forever.get(), 0);
  EXPECT_EQ(f.not_after, kMaxNanos);
  EXPECT_EQ(f.not_before, kMinNanos);
  CertificateFacts soon;
  soon.not_after = Utc("2027-01-01T00:00:00Z") * kNanosPerSecond;
  EXPECT_EQ(EarliestExpiry({f, soon}), soon.not_after);
  EXPECT_EQ(EarliestExpiry({f}), kMaxNanos);
}

TEST(CertFactsTest, SerialEdgeCases) {
  KeyPtr key = NewKey();
  CertPtr zero = MakeCert({"z", "0", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", false, {}, {}}, key.get());
  EXPECT_EQ(SerialHex(zero.get()), "00");
  CertPtr odd = MakeCert({"o", "ABC", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", false, {}, {}}, key.get());
  EXPECT_EQ(SerialHex(odd.get()), "0ABC");
  EXPECT_TRUE(DnsNames(odd.get()).empty());
}

TEST(CertFactsTest, EarliestExpiry) {
  EXPECT_EQ(EarliestExpiry({}), std::nullopt);
  CertificateFacts a, b;
  a.not_after = 300;
  b.not_after = 200;
  EXPECT_EQ(EarliestExpiry({a, b}), 200);
}

}  // namespace
}  // namespace gx::tls
