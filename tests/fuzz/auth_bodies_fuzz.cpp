// libFuzzer target: the OAuth token answer and the error bodies of /oauth/token
// and the API (exporter/sources/parse/auth_parser.cpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "exporter/sources/parse/api_parsers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  gx::OAuthToken token;
  (void)gx::ParseOAuthToken(body, token);
  gx::ApiErrorBody error;
  (void)gx::ParseApiErrorBody(body, error);
  return 0;
}
