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

const std::string& GzipMembers::Compress(std::string_view text) {
  compressed_ = 0;
  std::size_t n = 0;
  std::size_t total = 0;
  while (!text.empty()) {
    // The end of the chunk: after its kChunkLines-th newline, or the end of the text.
    std::size_t end = 0;
    for (std::size_t lines = 0; lines < kChunkLines && end < text.size(); ++lines) {
      const void* nl = std::memchr(text.data() + end, '\n', text.size() - end);
      end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1 : text.size();
    }
    const std::string_view piece = text.substr(0, end);
    text.remove_prefix(end);
    if (n == chunks_.size()) chunks_.emplace_back();
    Chunk& c = chunks_[n++];
    const std::size_t hash = std::hash<std::string_view>()(piece);
    if (c.gz.empty() || c.length != piece.size() || c.hash != hash) {
      c.length = piece.size();
      c.hash = hash;
      c.gz = Gzip(piece);
      ++compressed_;
    }
    total += c.gz.size();
  }
  chunks_.resize(n);
  joined_.clear();
  joined_.reserve(total);
  for (const Chunk& c : chunks_) joined_ += c.gz;
  return joined_;
}

}  // namespace gx
