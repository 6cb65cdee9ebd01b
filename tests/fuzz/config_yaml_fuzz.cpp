// libFuzzer target: the YAML configuration loader (exporter/config/config_loader),
// strict parse then validation, as --config.check runs it. Inputs that name a secret
// file are skipped: the loader reads those paths from disk, and a fuzzer must not
// read the machine's files (/dev/zero would never end).
// Oracles: every error says what is wrong, and never shows the password of a URL
// (one with a letter and a digit and 8 characters or more, so that it cannot be a
// word of a message); a duration formats back to itself (exporter/config/duration).
#include <cstddef>
#include <cstdint>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "exporter/config/config_loader.h"
#include "exporter/config/duration.h"
#include "exporter/util/time_math.h"

namespace {

// The password of scheme://user:password@host..., when it is distinctive enough.
std::string PasswordOf(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  const auto at = url.find('@', scheme + 3);
  const auto colon = url.find(':', scheme + 3);
  if (at == std::string::npos || colon == std::string::npos || colon > at) return "";
  const std::string password = url.substr(colon + 1, at - colon - 1);
  bool letter = false, digit = false;
  for (unsigned char c : password) {
    if (!std::isalnum(c)) return "";
    letter |= std::isalpha(c) != 0;
    digit |= std::isdigit(c) != 0;
  }
  return password.size() >= 8 && letter && digit ? password : "";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (text.find("_file") != std::string::npos) return 0;
  gx::Config config;
  gx::ConfigErrors errors;
  gx::ParseConfigYaml(text, "fuzz.yml", config, errors);
  gx::FinishConfig(config, [](const std::string&) { return std::optional<std::string>(); }, errors);
  std::vector<std::string> urls = {config.genesys.api_url, config.genesys.login_url};
  for (const auto& r : config.alerting.receivers) urls.insert(urls.end(), r.urls.begin(), r.urls.end());
  std::vector<std::string> passwords;
  for (const auto& url : urls) {
    // A password the input also writes elsewhere (say, as an unknown key, which errors
    // name) is not a secret of the URL's alone: only one written once must never show.
    if (auto p = PasswordOf(url); !p.empty() && text.find(p) == text.rfind(p)) passwords.push_back(p);
  }
  for (const auto& message : errors.messages) {
    if (message.empty()) std::abort();
    for (const auto& p : passwords) {
      if (message.find(p) != std::string::npos) std::abort();  // a secret in an error
    }
  }
  // The input as a duration too: what parses formats back to the same length.
  if (const auto d = gx::ParseDuration(text); d && *d < gx::kMaxNanos) {
    if (gx::ParseDuration(gx::FormatDuration(*d)) != d) std::abort();
  }
  return 0;
}
