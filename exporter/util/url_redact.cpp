#include "exporter/util/url_redact.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace gx {
namespace {

constexpr std::string_view kMask = "***";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Lower case, percent-decoded, without '-', '_' and '.': "X-Amz-Signature" -> "xamzsignature".
std::string NormalizedName(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '%' && i + 2 < name.size() && HexValue(name[i + 1]) >= 0 && HexValue(name[i + 2]) >= 0) {
      c = static_cast<char>(HexValue(name[i + 1]) * 16 + HexValue(name[i + 2]));
      i += 2;
    }
    if (c == '-' || c == '_' || c == '.') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

// Query parameters that carry credentials: OAuth (access_token, code, client_secret), API keys
// (key, api_key, apiKey, routing_key, integration_key), signed URLs (sig, signature, Azure SAS
// as in Teams workflow URLs, X-Amz-Signature/Credential/Security-Token), passwords, sessions.
bool IsSecretName(std::string_view raw) {
  static constexpr std::array<std::string_view, 3> kExact = {"code", "pwd", "jwt"};
  static constexpr std::array<std::string_view, 9> kContains = {
      "token", "secret", "pass", "key", "sig", "auth", "credential", "session", "hmac"};
  const std::string name = NormalizedName(raw);
  for (auto e : kExact) {
    if (name == e) return true;
  }
  for (auto c : kContains) {
    if (name.find(c) != std::string::npos) return true;
  }
  return false;
}

// `first_is_secret`: the first parameter's name began before `query` (a user info ran into it).
void AppendQuery(std::string_view query, std::string& out, std::string_view separators = "&;",
                 bool first_is_secret = false) {
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find_first_of(separators, start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view part = query.substr(start, end - start);
    const size_t eq = part.find('=');
    const bool secret = (start == 0 && first_is_secret) || IsSecretName(part.substr(0, eq));
    if (eq != std::string_view::npos && secret) {
      out.append(part.substr(0, eq + 1)).append(kMask);
    } else {
      out.append(part);
    }
    if (end == query.size()) break;
    out.push_back(query[end]);
    start = end + 1;
  }
}

// A secret shorter than this is masked where it stands only: elsewhere it could be any
// piece of the URL ("a" of "https://a@example.com" is also in "example").
constexpr size_t kShortestRepeatedSecret = 4;

// Every occurrence of `secret` in `text` becomes ***.
void MaskAll(std::string& text, std::string_view secret) {
  if (secret.size() < kShortestRepeatedSecret) return;
  for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + kMask.size())) {
    text.replace(pos, secret.size(), kMask);
  }
}

// In the rest of a URL, whatever reads as a user info loses it as the real one does: a
// "user:password@" anywhere (a typo such as "https:/u:pw@host", a URL inside a proxy's
// path or a redirect's query), and any "//user@".
void MaskInnerUserInfo(std::string& rest) {
  constexpr std::string_view kBefore = "/?#&;=\"' \t";
  for (size_t at = rest.find('@'); at != std::string::npos; at = rest.find('@', at + 1)) {
    const size_t delimiter = rest.find_last_of(kBefore, at);
    const size_t begin = delimiter == std::string::npos ? 0 : delimiter + 1;
    const std::string_view span(rest.data() + begin, at - begin);
    const bool after_slashes = begin >= 2 && rest.compare(begin - 2, 2, "//") == 0;
    if (span.empty() || span == kMask || (!after_slashes && span.find(':') == std::string_view::npos)) continue;
    rest.replace(begin, at - begin, kMask);
    at = begin + kMask.size();
  }
}

// Where the rest after the host stands as RFC 3986 reads the URL: when the user info ran
// past a '?' or '#' (a password typed raw), RFC 3986 has the rest in a query or a fragment,
// and what it would mask there stays masked.
enum class RestStart { kPath, kQuery, kQueryInSecretName };

// The path, query and fragment (everything after the authority), as `path` asks.
void AppendRest(std::string_view rest, UrlPath path, RestStart start, std::string& out) {
  if (rest.empty()) return;
  if (path == UrlPath::kHide) {
    out.append("/...");
    return;
  }
  if (start != RestStart::kPath) {  // secret names as either reading splits the parameters
    const size_t fragment = rest.find('#');
    AppendQuery(rest.substr(0, fragment), out, "?&;", start == RestStart::kQueryInSecretName);
    if (fragment != std::string_view::npos) out.append("#").append(kMask);
    return;
  }
  const size_t query = rest.find('?');
  const size_t fragment = rest.find('#');
  out.append(rest.substr(0, std::min(query, fragment)));
  if (query != std::string_view::npos && query < fragment) {
    out.push_back('?');
    AppendQuery(rest.substr(query + 1, fragment == std::string_view::npos ? std::string_view::npos
                                                                          : fragment - query - 1),
                out);
  }
  // A fragment can carry an implicit-grant access_token; it is never needed to read a log.
  if (fragment != std::string_view::npos) out.append("#").append(kMask);
}

// Where the user info ends (the position of its '@'s). RFC 3986 ends the authority at the
// first '/', '?' or '#' and the user info at the authority's last '@' (a password may hold
// '@'). A password typed raw may hold '/', '?' and '#' too, and reading it as RFC 3986 does
// showed what came before the delimiter as the host. So when a ':' (a password, or a port)
// stands in the authority of a "scheme://" URL, the user info runs to the last '@' before a
// nested "://": an '@' in the path of a URL with a port is masked with it, which shows too
// little, never a password.
struct UserInfoEnds {
  size_t rfc = std::string_view::npos;
  size_t raw = std::string_view::npos;  // at or after rfc; the one that ends what is masked
};

UserInfoEnds FindUserInfoEnds(std::string_view url, bool has_scheme, size_t authority_start) {
  const size_t authority_end = std::min(url.find_first_of("/?#", authority_start), url.size());
  const size_t at = url.substr(0, authority_end).rfind('@');
  UserInfoEnds ends;
  if (at != std::string_view::npos && at >= authority_start) ends.rfc = ends.raw = at;
  const size_t colon = url.find(':', authority_start);
  if (!has_scheme || colon >= authority_end) return ends;
  const size_t raw_at = url.substr(0, url.find("://", colon)).rfind('@');
  if (raw_at != std::string_view::npos && raw_at > colon) ends.raw = raw_at;
  return ends;
}

}  // namespace

std::string RedactUrl(std::string_view url, UrlPath path) {
  const size_t scheme_end = url.find("://");
  const size_t authority_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const UserInfoEnds ends = FindUserInfoEnds(url, scheme_end != std::string_view::npos, authority_start);
  const size_t at = ends.raw;
  const size_t host_start = at == std::string_view::npos ? authority_start : at;
  const size_t authority_end = std::min(url.find_first_of("/?#", host_start), url.size());

  // Three pieces, masked each on its own so that a mask never eats the "://" between them.
  std::string scheme(url.substr(0, scheme_end == std::string_view::npos ? 0 : scheme_end));
  std::string host(url.substr(host_start, authority_end - host_start));  // with the '@', if any
  std::string rest;
  RestStart start = RestStart::kPath;
  bool host_is_secret = false;
  if (ends.raw != ends.rfc) {
    const size_t rfc_authority_end = std::min(url.find_first_of("/?#", authority_start), url.size());
    const std::string_view swallowed = url.substr(rfc_authority_end, ends.raw - rfc_authority_end);
    // The host is in RFC 3986's fragment, or in the value of a secret query parameter: then
    // nothing after the '@' is shown.
    host_is_secret = swallowed.find('#') != std::string_view::npos;
    if (!host_is_secret && swallowed.find('?') != std::string_view::npos) {
      const size_t param = swallowed.find_last_of("?&;");
      const size_t eq = swallowed.find('=', param);
      if (eq != std::string_view::npos) {
        host_is_secret = IsSecretName(swallowed.substr(param + 1, eq - param - 1));
        start = RestStart::kQuery;
      } else {  // the parameter's name runs on past the host
        const std::string_view after = url.substr(param + rfc_authority_end + 1);
        const std::string_view name = after.substr(0, std::min(after.find('='), after.find_first_of("&;#")));
        start = IsSecretName(name) ? RestStart::kQueryInSecretName : RestStart::kQuery;
      }
    }
  }
  if (host_is_secret) {
    host = std::string("@").append(kMask);
  } else if (start == RestStart::kPath) {
    AppendRest(url.substr(authority_end), path, start, rest);
  } else {  // in a query, the parameter ends the host too
    const size_t host_end = std::min(url.find_first_of("/?#&;", host_start), url.size());
    host.resize(host_end - host_start);
    AppendRest(url.substr(host_end), path, start, rest);
  }
  MaskInnerUserInfo(rest);
  // A user info, or its password alone, that appears again (a URL pasted twice, a password
  // echoed in the query, or before a "://" that is not the scheme's) is masked there too, as
  // either reading takes it.
  for (size_t end : {ends.raw, ends.rfc}) {
    if (end == std::string_view::npos) continue;
    const std::string_view userinfo = url.substr(authority_start, end - authority_start);
    const size_t colon = userinfo.find(':');
    for (std::string* piece : {&scheme, &host, &rest}) {
      MaskAll(*piece, userinfo);
      if (colon != std::string_view::npos) MaskAll(*piece, userinfo.substr(colon + 1));
    }
  }
  std::string out = std::move(scheme);
  if (scheme_end != std::string_view::npos) out.append("://");
  if (at != std::string_view::npos) out.append(kMask);
  return out.append(host).append(rest);
}

}  // namespace gx
