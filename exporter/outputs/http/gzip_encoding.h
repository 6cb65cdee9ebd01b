// gzip Content-Encoding for web responses: whether a request's Accept-Encoding allows it,
// and the compression itself (zlib). The functions are pure and thread-safe.
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
// so that one gzip header and trailer can wrap them all (GzipHeader, GzipTrailer). One gzip member, not
// several: curl --compressed reads only the first member of a stream.
struct DeflatedText {
  std::string bytes;
  std::uint32_t crc = 0;  // crc32 of the text
  std::uint64_t length = 0;
};

// `text` as raw deflate ending with a sync flush (level 1), with its CRC-32 and length.
DeflatedText Deflate(std::string_view text);

// The CRC-32 and length of texts joined, one after the other (crc32_combine).
struct JoinedSum {
  std::uint32_t crc = 0;
  std::uint64_t length = 0;
  void Add(std::uint32_t next_crc, std::uint64_t next_length);
};

// A gzip stream of deflated pieces is GzipHeader(), the pieces' bytes in order, then
// GzipTrailer() of their texts' JoinedSum: the pieces can be sent as they are, not copied.
const std::shared_ptr<const std::string>& GzipHeader();
std::string GzipTrailer(const JoinedSum& texts);

}  // namespace gx
