#include "exporter/util/text_truncate.h"

namespace gx {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The largest prefix of `text` of at most `max_bytes` bytes that ends on a character boundary.
std::size_t BoundaryAtOrBefore(std::string_view text, std::size_t max_bytes) {
  if (max_bytes >= text.size()) return text.size();
  std::size_t end = max_bytes;
  while (end > 0 && IsContinuation(static_cast<unsigned char>(text[end]))) --end;
  return end;
}

}  // namespace

std::size_t CountChars(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!IsContinuation(static_cast<unsigned char>(text[i]))) ++n;
  }
  return n;
}

std::string TruncateChars(std::string_view text, std::size_t max_chars, std::string_view ellipsis) {
  if (CountChars(text) <= max_chars) return std::string(text);
  const std::size_t marker = CountChars(ellipsis);
  if (marker >= max_chars) return std::string(text.substr(0, BoundaryAtOrBefore(text, max_chars)));
  std::size_t keep = max_chars - marker, end = 0;
  for (std::size_t chars = 0; end < text.size(); ++end) {
    if (!IsContinuation(static_cast<unsigned char>(text[end])) && chars++ == keep) break;
  }
  return std::string(text.substr(0, end)) + std::string(ellipsis);
}

std::string TruncateBytes(std::string_view text, std::size_t max_bytes, std::string_view ellipsis) {
  if (text.size() <= max_bytes) return std::string(text);
  if (ellipsis.size() >= max_bytes) return std::string(text.substr(0, BoundaryAtOrBefore(text, max_bytes)));
  return std::string(text.substr(0, BoundaryAtOrBefore(text, max_bytes - ellipsis.size()))) + std::string(ellipsis);
}

}  // namespace gx
