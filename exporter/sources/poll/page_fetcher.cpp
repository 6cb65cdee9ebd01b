#include "exporter/sources/poll/page_fetcher.h"

#include <algorithm>
#include <cctype>

namespace gx {

std::vector<int> PageSizeLadder(int configured) {
  configured = std::max(1, configured);
  std::vector<int> ladder = {configured};
  for (int s : {500, 200, 100, 50, 25}) {
    if (s < ladder.back()) ladder.push_back(s);
  }
  return ladder;
}

std::string PagedPath(const std::string& base, int page_size, std::int64_t page_number, const std::string& extra) {
  std::string p = base + "?pageSize=" + std::to_string(page_size) + "&pageNumber=" + std::to_string(page_number);
  if (!extra.empty()) p += "&" + extra;
  return p;
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace gx
