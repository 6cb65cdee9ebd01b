// The exporter's log: a constant message plus key/value fields (exporter/util/log_line.h),
// one line per call on stderr in logfmt or JSON, as Prometheus's own logging writes them;
// and a limiter that logs a repeated error once per interval with a count. Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "exporter/util/log_line.h"

namespace gx {

using LogFields = std::initializer_list<LogField>;

// Where a line was logged. Default arguments of __builtin_FILE/__builtin_LINE take the call
// site's; std::source_location would too, but clang 14 (the fuzz and sanitizer builds) cannot
// compile it with libstdc++ 12.
struct LogCaller {
  const char* file;
  int line;
};

// Level is one of debug, info, warn, error. Lines go to stderr, or to `write` (tests).
void SetupLogging(std::string_view level, LogFormat format, std::function<void(std::string_view line)> write = nullptr);

// msg is a constant sentence; what varies goes in fields:
//   LogWarn("source failed, keeping its previous data", {{"collector", name}, {"err", error}});
void Log(LogLevel level, std::string_view msg, std::span<const LogField> fields, LogCaller caller);
inline void LogDebug(std::string_view msg, LogFields fields = {}, const char* file = __builtin_FILE(),
                     int line = __builtin_LINE()) {
  Log(LogLevel::kDebug, msg, fields, {file, line});
}
inline void LogDebug(std::string_view msg, std::span<const LogField> fields, const char* file = __builtin_FILE(),
                     int line = __builtin_LINE()) {
  Log(LogLevel::kDebug, msg, fields, {file, line});
}
inline void LogInfo(std::string_view msg, LogFields fields = {}, const char* file = __builtin_FILE(),
                    int line = __builtin_LINE()) {
  Log(LogLevel::kInfo, msg, fields, {file, line});
}
inline void LogInfo(std::string_view msg, std::span<const LogField> fields, const char* file = __builtin_FILE(),
                    int line = __builtin_LINE()) {
  Log(LogLevel::kInfo, msg, fields, {file, line});
}
inline void LogWarn(std::string_view msg, LogFields fields = {}, const char* file = __builtin_FILE(),
                    int line = __builtin_LINE()) {
  Log(LogLevel::kWarn, msg, fields, {file, line});
}
inline void LogWarn(std::string_view msg, std::span<const LogField> fields, const char* file = __builtin_FILE(),
                    int line = __builtin_LINE()) {
  Log(LogLevel::kWarn, msg, fields, {file, line});
}
inline void LogError(std::string_view msg, LogFields fields = {}, const char* file = __builtin_FILE(),
                     int line = __builtin_LINE()) {
  Log(LogLevel::kError, msg, fields, {file, line});
}
inline void LogError(std::string_view msg, std::span<const LogField> fields, const char* file = __builtin_FILE(),
                     int line = __builtin_LINE()) {
  Log(LogLevel::kError, msg, fields, {file, line});
}

// Logs the first occurrence of `key` at once, then at most once per `interval`, with a
// field repeated=N for the occurrences suppressed in between.
class RateLimitedLog {
 public:
  explicit RateLimitedLog(std::chrono::steady_clock::duration interval = std::chrono::minutes(1))
      : interval_(interval) {}

  void Log(LogLevel level, const std::string& key, std::string_view msg, std::span<const LogField> fields,
           LogCaller caller);
  void Warn(const std::string& key, std::string_view msg, LogFields fields = {}, const char* file = __builtin_FILE(),
            int line = __builtin_LINE()) {
    Log(LogLevel::kWarn, key, msg, fields, {file, line});
  }
  void Warn(const std::string& key, std::string_view msg, std::span<const LogField> fields,
            const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    Log(LogLevel::kWarn, key, msg, fields, {file, line});
  }
  void Error(const std::string& key, std::string_view msg, LogFields fields = {}, const char* file = __builtin_FILE(),
             int line = __builtin_LINE()) {
    Log(LogLevel::kError, key, msg, fields, {file, line});
  }
  void Error(const std::string& key, std::string_view msg, std::span<const LogField> fields,
             const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    Log(LogLevel::kError, key, msg, fields, {file, line});
  }

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
