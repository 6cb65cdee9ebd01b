// Base64 (RFC 4648, standard alphabet, padded): encoding, and a strict decoding for input
// from the network. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gx {

std::string Base64Encode(std::string_view bytes);

// Only the canonical encoding of some bytes: a length that is a multiple of 4, padding only
// at the end, unused bits zero, no spaces or line breaks. Nullopt otherwise.
std::optional<std::string> DecodeBase64Strict(std::string_view text);

}  // namespace gx
