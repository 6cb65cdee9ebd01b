// gzip Content-Encoding for web responses: whether a request's Accept-Encoding allows it,
// and the compression itself (zlib). The functions are pure and thread-safe; a GzipChunks
// is not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gx {

// A response body: `text`, then `parts` (shared, sent without a copy); and whether it is
// already gzip-encoded.
struct EncodedBody {
  EncodedBody() = default;
  explicit EncodedBody(std::string plain) : text(std::move(plain)) {}
  std::string text;
  std::vector<std::shared_ptr<const std::string>> parts;
  bool gzip = false;
  std::string Joined() const {
    std::string out = text;
    for (const auto& p : parts) out += *p;
    return out;
  }
};

// True when `accept_encoding` lists gzip (or x-gzip, or *) with a q-value above zero.
bool AcceptsGzip(std::string_view accept_encoding);

// The body as a gzip member. Fast compression: /metrics text shrinks ~10x at level 1, and the
// CPU goes to the scrape, not to the last few percent.
std::string Gzip(std::string_view body);

// Text compressed as raw deflate blocks, byte-aligned (each piece ends with a sync flush) so
// that pieces concatenate into one deflate stream, as pigz does; with their CRC-32 and length
// so that one gzip header and trailer can wrap them all (GzipJoin). One gzip member, not
// several: curl --compressed reads only the first member of a stream.
struct DeflatedText {
  std::string bytes;
  std::uint32_t crc = 0;  // crc32 of the text
  std::uint64_t length = 0;
};

// The gzip stream of the concatenation of `pieces` (in order).
std::string GzipJoin(const std::vector<const DeflatedText*>& pieces);

// Compresses text in chunks of kChunkLines lines and keeps them: compressing changed text again
// only compresses the chunks whose bytes changed. Chunks are cut by line count, not bytes, so
// a value that changes length moves no other chunk's boundaries.
class GzipChunks {
 public:
  static constexpr std::size_t kChunkLines = 2048;

  // `text` deflated; valid until the next call.
  const DeflatedText& Compress(std::string_view text);
  // The last result, without looking at the text again: for text known to be unchanged.
  const DeflatedText& last() const { return joined_; }
  std::size_t compressed_chunks() const { return compressed_; }  // by the last Compress

 private:
  // A chunk is known by its length and a 64-bit hash of its bytes, not a copy of them: at
  // 200,000 phones a copy would keep another 28 MB resident.
  struct Chunk {
    std::size_t hash = 0;
    DeflatedText deflated;
  };
  std::vector<Chunk> chunks_;
  DeflatedText joined_;
  std::size_t compressed_ = 0;
};

}  // namespace gx
