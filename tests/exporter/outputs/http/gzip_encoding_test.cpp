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

TEST(GzipEncoding, RoundTrips) {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "genesys_phones{site=\"s" + std::to_string(i % 50) + "\"} 1\n";
  const std::string packed = Gzip(text);
  EXPECT_LT(packed.size(), text.size() / 5);
  EXPECT_EQ(Gunzip(packed), text);
  EXPECT_EQ(Gunzip(Gzip("")), "");
}

TEST(GzipChunks, OneGzipStreamThatRecompressesOnlyChangedChunks) {
  GzipChunks chunks;
  auto gzip = [](const DeflatedText& d) { return GzipJoin({&d}); };
  const int n = static_cast<int>(GzipChunks::kChunkLines) * 5 + 17;  // 6 chunks
  const std::string text = Lines(n);
  EXPECT_EQ(Gunzip(gzip(chunks.Compress(text))), text);
  EXPECT_EQ(chunks.compressed_chunks(), 6u);

  EXPECT_EQ(Gunzip(gzip(chunks.Compress(text))), text);
  EXPECT_EQ(chunks.compressed_chunks(), 0u) << "unchanged text: every chunk reused";

  // A value one character longer in the third chunk: only that chunk is compressed again.
  const std::string changed = Lines(n, static_cast<int>(GzipChunks::kChunkLines) * 2 + 5);
  EXPECT_EQ(Gunzip(gzip(chunks.Compress(changed))), changed);
  EXPECT_EQ(chunks.compressed_chunks(), 1u);
  EXPECT_EQ(Gunzip(gzip(chunks.last())), changed);

  // Shorter text drops the extra chunks; empty text has none; pieces join into one stream.
  GzipChunks other;
  const std::string shorter = Lines(10);
  const DeflatedText& a = chunks.Compress(shorter);
  const DeflatedText& b = other.Compress("tail 1\n");
  EXPECT_EQ(Gunzip(GzipJoin({&a, &b})), shorter + "tail 1\n");
  EXPECT_TRUE(chunks.Compress("").bytes.empty());
  EXPECT_EQ(Gunzip(GzipJoin({})), "");
}

}  // namespace
}  // namespace gx
