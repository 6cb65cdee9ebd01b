// Cuts text to a receiver's limit counted in characters (UTF-8 code points, as Slack and
// PagerDuty count them) or in bytes, never inside a UTF-8 sequence, marking the cut with an
// ellipsis that fits inside the limit. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gx {

inline constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026, one character

// Code points in `text` (continuation bytes do not count).
std::size_t CountChars(std::string_view text);

// `text` as it is when it has at most `max_chars` characters; otherwise its first
// characters plus `ellipsis`, `max_chars` characters in all.
std::string TruncateChars(std::string_view text, std::size_t max_chars, std::string_view ellipsis = kEllipsis);

// The same, with the limit in bytes.
std::string TruncateBytes(std::string_view text, std::size_t max_bytes, std::string_view ellipsis = kEllipsis);

}  // namespace gx
