// libFuzzer target: the Authorization header of every request to a web endpoint with
// basic_auth_users (exporter/outputs/http/basic_auth), and the strict base64 it decodes
// (exporter/util/base64). Oracles: only a header of at most kMaxAuthorizationBytes with the
// Basic scheme is read; what is read is the one canonical spelling of user:password; strict
// decoding accepts exactly what the encoder writes, and every encoding decodes back.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "exporter/outputs/http/basic_auth.h"
#include "exporter/util/base64.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  if (auto c = gx::ParseBasicAuthorization(input)) {
    if (input.size() > gx::kMaxAuthorizationBytes || input.size() < 6) std::abort();
    const std::string scheme(input.substr(0, 6));
    for (size_t i = 0; i < 6; ++i) {
      if (std::tolower(static_cast<unsigned char>(scheme[i])) != "basic "[i]) std::abort();
    }
    if (c->user.find(':') != std::string::npos) std::abort();  // split at the first colon
    if (gx::Base64Encode(c->user + ":" + c->password) != input.substr(6)) std::abort();
  }

  if (auto decoded = gx::DecodeBase64Strict(input)) {
    if (gx::Base64Encode(*decoded) != input) std::abort();  // a second spelling was accepted
  }
  const std::string encoded = gx::Base64Encode(input);
  const auto back = gx::DecodeBase64Strict(encoded);
  if (!back || *back != input || encoded.size() % 4 != 0) std::abort();
  return 0;
}
