#include "exporter/outputs/http/gzip_encoding.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <cstdlib>
#include <stdexcept>

#include "exporter/util/text_match.h"

namespace gx {
namespace {

// The q-value of one "coding;q=0.5" element: 1 when absent, 0 when unreadable.
double QValue(std::string_view params) {
  while (!params.empty()) {
    const auto semi = params.find(';');
    std::string_view p = TrimBlanks(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
      const std::string value(TrimBlanks(p.substr(2)));
      char* end = nullptr;
      const double q = std::strtod(value.c_str(), &end);
      return end == value.c_str() + value.size() && !value.empty() ? q : 0;
    }
  }
  return 1;
}

}  // namespace

bool AcceptsGzip(std::string_view accept_encoding) {
  // A coding named outright decides; "*" only stands in for one that is not named.
  double named = -1, wildcard = -1;
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    const std::string_view element = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    const auto semi = element.find(';');
    const std::string_view coding = TrimBlanks(element.substr(0, semi));
    const std::string_view params = semi == std::string_view::npos ? std::string_view() : element.substr(semi + 1);
    if (EqualsIgnoreCase(coding, "gzip") || EqualsIgnoreCase(coding, "x-gzip")) {
      named = std::max(named, QValue(params));
    } else if (coding == "*") {
      wildcard = QValue(params);
    }
  }
  return named >= 0 ? named > 0 : wildcard > 0;
}

std::string Gzip(std::string_view body) {
  z_stream zs{};
  // 15 window bits + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&zs, static_cast<uLong>(body.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  zs.avail_in = static_cast<uInt>(body.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

// Raw deflate (no header) ending with a sync flush: byte-aligned, no final block.
DeflatedText Deflate(std::string_view text) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  DeflatedText out;
  out.bytes.resize(deflateBound(&zs, static_cast<uLong>(text.size())) + 16);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  int rc = Z_OK;
  do {
    if (zs.total_out == out.bytes.size()) out.bytes.resize(out.bytes.size() * 2);
    zs.next_out = reinterpret_cast<Bytef*>(out.bytes.data() + zs.total_out);
    zs.avail_out = static_cast<uInt>(out.bytes.size() - zs.total_out);
    rc = deflate(&zs, Z_SYNC_FLUSH);
  } while (rc == Z_OK && (zs.avail_in > 0 || zs.avail_out == 0));
  out.bytes.resize(zs.total_out);
  out.bytes.shrink_to_fit();  // kept between scrapes: not the deflateBound-sized buffer
  deflateEnd(&zs);
  if (rc != Z_OK && rc != Z_BUF_ERROR) throw std::runtime_error("deflate failed");
  out.crc = static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(text.data()),
                                             static_cast<uInt>(text.size())));
  out.length = text.size();
  return out;
}

namespace {

void AppendLittleEndian32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

void JoinedSum::Add(std::uint32_t next_crc, std::uint64_t next_length) {
  crc = static_cast<std::uint32_t>(crc32_combine(crc, next_crc, static_cast<z_off_t>(next_length)));
  length += next_length;
}

const std::shared_ptr<const std::string>& GzipHeader() {
  static const auto kHeader =
      std::make_shared<const std::string>("\x1f\x8b\x08\0\0\0\0\0\0\xff", 10);  // deflate, no name, no time
  return kHeader;
}

std::string GzipTrailer(const JoinedSum& texts) {
  std::string out = {'\x03', '\x00'};  // an empty final fixed-Huffman block
  AppendLittleEndian32(out, texts.crc);
  AppendLittleEndian32(out, static_cast<std::uint32_t>(texts.length));  // ISIZE: the length mod 2^32
  return out;
}

}  // namespace gx
