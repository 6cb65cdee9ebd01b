// Logging setup (spdlog, logfmt or JSON lines on stderr) and a limiter that logs a
// repeated error once per interval with a count. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include <spdlog/spdlog.h>

namespace gx {

enum class LogFormat { kLogfmt, kJson };

// Installs the default logger. Level is one of debug, info, warn, error.
void SetupLogging(std::string_view level, LogFormat format);

// Logs the first occurrence of `key` at once, then at most once per `interval`,
// adding how many occurrences were suppressed in between.
class RateLimitedLog {
 public:
  explicit RateLimitedLog(std::chrono::steady_clock::duration interval = std::chrono::minutes(1))
      : interval_(interval) {}

  void Log(spdlog::level::level_enum level, const std::string& key, std::string_view message);
  void Warn(const std::string& key, std::string_view message) { Log(spdlog::level::warn, key, message); }
  void Error(const std::string& key, std::string_view message) { Log(spdlog::level::err, key, message); }

 private:
  struct Entry {
    std::chrono::steady_clock::time_point last;
    long suppressed = 0;
  };
  std::chrono::steady_clock::duration interval_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace gx
