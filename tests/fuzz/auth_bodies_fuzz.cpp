// libFuzzer target: the OAuth token answer and the error bodies of /oauth/token
// and the API (exporter/genesys/parse/auth_parser.cpp), and the token lifetime the
// token source derives from expires_in (exporter/genesys/api/oauth_token_source).
// Oracle: a token never expires before it was issued, and is refreshed before it expires.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "exporter/genesys/api/oauth_token_source.h"
#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/util/time_math.h"

namespace {
constexpr gx::UnixNanos kNow = 1'778'400'000'000'000'000;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  gx::OAuthToken token;
  if (gx::ParseOAuthToken(body, token).ok()) {
    const gx::UnixNanos expiry = gx::SaturatingAdd(kNow, gx::TokenLifetime(token.expires_in));
    const gx::UnixNanos margin = gx::RefreshMargin(token.expires_in, 60 * gx::kNanosPerSecond);
    if (expiry < kNow || margin < 0 || expiry - margin < kNow) std::abort();
  }
  gx::ApiErrorBody error;
  (void)gx::ParseApiErrorBody(body, error);
  return 0;
}
