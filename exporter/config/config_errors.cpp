#include "exporter/config/config_errors.h"

namespace gx {

void ConfigErrors::Add(std::string_view at, std::string_view key, std::string_view message) {
  std::string m;
  m.reserve(at.size() + key.size() + message.size() + 4);
  m.append(at).append(": ").append(key).append(": ").append(message);
  messages.push_back(std::move(m));
}

std::string ConfigErrors::WhereOf(const std::string& key, const std::string& fallback) const {
  if (auto it = where.find(key); it != where.end()) return it->second;
  if (auto it = where.find(fallback); !fallback.empty() && it != where.end()) return it->second;
  return file.empty() ? std::string(kEnvironmentOrigin) : file;
}

void ConfigErrors::AddFor(const std::string& key, std::string_view message, const std::string& fallback) {
  Add(WhereOf(key, fallback), key, message);
}

}  // namespace gx
