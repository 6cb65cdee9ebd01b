// gzip for web responses: which Accept-Encoding values allow it, and that it round-trips.
#include "exporter/outputs/http/gzip_encoding.h"

#include <gtest/gtest.h>

#include "tests/exporter/outputs/http/gunzip.h"

namespace gx {
namespace {

using testing::Gunzip;

std::string Lines(int n, int changed_line = -1) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    text += "genesys_phone_registered{phone_id=\"p" + std::to_string(i) + "\"} " + (i == changed_line ? "10" : "1") + "\n";
  }
  return text;
}

TEST(GzipEncoding, AcceptEncodingValues) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("deflate, GZIP;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("x-gzip"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0, *")) << "gzip named outright: the wildcard does not override it";
  EXPECT_FALSE(AcceptsGzip("gzip;q=abc"));
  EXPECT_FALSE(AcceptsGzip("gzipped"));
}

// The gzip stream of `pieces` joined, as /metrics sends it: header, pieces, trailer.
std::string Join(const std::vector<const DeflatedText*>& pieces) {
  std::string out = *GzipHeader();
  JoinedSum sum;
  for (const DeflatedText* p : pieces) {
    out += p->bytes;
    sum.Add(p->crc, p->length);
  }
  return out + GzipTrailer(sum);
}

TEST(GzipEncoding, RoundTrips) {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "genesys_phones{site=\"s" + std::to_string(i % 50) + "\"} 1\n";
  const std::string packed = Gzip(text);
  EXPECT_LT(packed.size(), text.size() / 5);
  EXPECT_EQ(Gunzip(packed), text);
  EXPECT_EQ(Gunzip(Gzip("")), "");
}

// Pieces deflated one by one join into one gzip member: /metrics compresses only the pieces
// written since the last scrape and joins them with the kept ones.
TEST(GzipPieces, DeflatedPiecesJoinIntoOneGzipStream) {
  const std::string a = Lines(3000), b = Lines(10, 4), c = "tail 1\n";
  const DeflatedText da = Deflate(a), db = Deflate(b), dc = Deflate(c);
  EXPECT_EQ(da.length, a.size());
  EXPECT_LT(da.bytes.size(), a.size() / 5);
  EXPECT_LE(da.bytes.capacity(), da.bytes.size() + 64) << "kept between scrapes: no deflateBound-sized buffer";
  EXPECT_EQ(Gunzip(Join({&da, &db, &dc})), a + b + c);
  EXPECT_EQ(Gunzip(Join({&dc, &da})), c + a);
  const DeflatedText empty = Deflate("");
  EXPECT_EQ(Gunzip(Join({&empty, &dc})), c);
  EXPECT_EQ(Gunzip(Join({})), "");
}

// The pieces can be sent as they are between the header and the trailer; the trailer's sum
// combines the texts' checksums in order, as the checksum of the whole text.
TEST(GzipPieces, TheTrailersSumIsTheWholeTextsChecksum) {
  const std::string a = Lines(500), b = Lines(20, 3);
  const DeflatedText da = Deflate(a), db = Deflate(b);
  JoinedSum sum;
  sum.Add(da.crc, da.length);
  sum.Add(db.crc, db.length);
  const std::string whole = a + b;
  EXPECT_EQ(sum.crc, Deflate(whole).crc);
  EXPECT_EQ(sum.length, whole.size());
  const std::string stream = *GzipHeader() + da.bytes + db.bytes + GzipTrailer(sum);
  EXPECT_EQ(Gunzip(stream), whole);
}

}  // namespace
}  // namespace gx
