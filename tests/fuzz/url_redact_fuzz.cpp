// libFuzzer target: the one redaction of printed URLs (exporter/util/url_redact), fed
// whatever a configuration or a server may hold. Oracles: no piece of 4 characters of the
// password survives, even one typed raw with '/', '?', '#' or '@' in it (unless the piece
// is also in the URL's other parts); a distinctive password (8 or more letters and digits,
// with both) does not survive wherever it repeats; the value of a token=/access_token=
// parameter does not survive; and a hidden path shows nothing after the authority.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/url_redact.h"

namespace {

bool Distinctive(std::string_view s) {
  bool letter = false, digit = false;
  for (unsigned char c : s) {
    if (!std::isalnum(c)) return false;
    letter |= std::isalpha(c) != 0;
    digit |= std::isdigit(c) != 0;
  }
  return s.size() >= 8 && letter && digit;
}

struct UserInfo {
  std::size_t begin = 0, end = std::string_view::npos;  // [begin, end): end is its '@'
};

// The user info: RFC 3986's (before the last '@' of the authority), or, when a password
// starts in the authority of a "scheme://" URL, everything up to the last '@' before a
// nested "://" (a password typed raw may hold '/', '?', '#').
UserInfo UserInfoOf(std::string_view url) {
  const auto scheme = url.find("://");
  UserInfo u;
  u.begin = scheme == std::string_view::npos ? 0 : scheme + 3;
  const std::size_t end = std::min(url.find_first_of("/?#", u.begin), url.size());
  if (const auto at = url.substr(u.begin, end - u.begin).rfind('@'); at != std::string_view::npos) {
    u.end = u.begin + at;
  }
  const auto colon = url.substr(u.begin, end - u.begin).find(':');
  if (scheme != std::string_view::npos && colon != std::string_view::npos) {
    const std::size_t nested = url.find("://", u.begin + colon);
    const auto at = url.substr(0, nested).rfind('@');
    if (at != std::string_view::npos && at > u.begin + colon) u.end = at;
  }
  return u;
}

// No 4 characters of the password may survive, but for pieces that are also in the URL's
// other parts, or that hold a character the masks are made of ("***", "/...", "#***").
void CheckNoPieceOfThePassword(std::string_view url, const std::string& shown, const std::string& hidden) {
  const UserInfo u = UserInfoOf(url);
  if (u.end == std::string_view::npos) return;
  const std::string_view userinfo = url.substr(u.begin, u.end - u.begin);
  const auto colon = userinfo.find(':');
  const std::string_view password = colon == std::string_view::npos ? userinfo : userinfo.substr(colon + 1);
  const std::string_view before = url.substr(0, u.begin), after = url.substr(u.end);
  for (std::size_t i = 0; i + 4 <= password.size(); ++i) {
    const std::string_view piece = password.substr(i, 4);
    if (piece.find_first_of("*./#") != std::string_view::npos) continue;
    if (before.find(piece) != std::string_view::npos || after.find(piece) != std::string_view::npos) continue;
    if (shown.find(piece) != std::string::npos || hidden.find(piece) != std::string::npos) std::abort();
  }
}

// Secrets masked wherever they appear: the password (or a user info without one, a token)
// of the user info as RFC 3986 reads it, and the values of token and access_token query
// parameters.
std::vector<std::string_view> Secrets(std::string_view url) {
  std::vector<std::string_view> out;
  const auto scheme = url.find("://");
  const std::size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
  const std::size_t end = std::min(url.find_first_of("/?#", start), url.size());
  const std::string_view authority = url.substr(start, end - start);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    const auto colon = userinfo.find(':');
    const std::string_view secret = colon == std::string_view::npos ? userinfo : userinfo.substr(colon + 1);
    if (Distinctive(secret)) out.push_back(secret);
  }
  const auto q = url.find('?', end);
  if (q != std::string_view::npos && q < url.find('#', end)) {  // a '?' in the fragment starts no query
    const std::string_view query = url.substr(q + 1, url.find('#', q) - q - 1);
    for (std::size_t pos = 0; pos <= query.size();) {
      const std::size_t amp = std::min(query.find_first_of("&;", pos), query.size());
      const std::string_view part = query.substr(pos, amp - pos);
      for (std::string_view name : {"token=", "access_token="}) {
        // A query value is masked where it stands only: check it when it appears once.
        const std::string_view value = part.substr(std::min(name.size(), part.size()));
        if (part.substr(0, name.size()) == name && Distinctive(value) && url.find(value) == url.rfind(value)) {
          out.push_back(value);
        }
      }
      pos = amp + 1;
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view url(reinterpret_cast<const char*>(data), size);
  const std::string shown = gx::RedactUrl(url, gx::UrlPath::kShow);
  const std::string hidden = gx::RedactUrl(url, gx::UrlPath::kHide);
  CheckNoPieceOfThePassword(url, shown, hidden);
  for (std::string_view secret : Secrets(url)) {
    if (shown.find(secret) != std::string::npos || hidden.find(secret) != std::string::npos) std::abort();
  }
  const auto scheme = hidden.find("://");
  const auto slash = hidden.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash != std::string::npos && hidden.substr(slash) != "/...") std::abort();
  return 0;
}
