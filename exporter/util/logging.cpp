#include "exporter/util/logging.h"

#include <atomic>
#include <cstdio>
#include <vector>

namespace gx {
namespace {

struct Sink {
  std::mutex mu;
  LogFormat format = LogFormat::kLogfmt;
  std::function<void(std::string_view)> write;  // empty: stderr
};

Sink& TheSink() {
  static Sink sink;
  return sink;
}

std::atomic<LogLevel>& MinLevel() {
  static std::atomic<LogLevel> level{LogLevel::kInfo};
  return level;
}

// "file.cpp:123", as go-kit's caller field: the file name without its folders.
std::string CallerText(LogCaller caller) {
  std::string_view file = caller.file ? caller.file : "";
  if (const size_t slash = file.rfind('/'); slash != std::string_view::npos) file.remove_prefix(slash + 1);
  return std::string(file).append(":").append(std::to_string(caller.line));
}

}  // namespace

void SetupLogging(std::string_view level, LogFormat format, std::function<void(std::string_view)> write) {
  LogLevel l = LogLevel::kInfo;
  if (level == "debug")
    l = LogLevel::kDebug;
  else if (level == "warn")
    l = LogLevel::kWarn;
  else if (level == "error")
    l = LogLevel::kError;
  Sink& sink = TheSink();
  std::lock_guard lock(sink.mu);
  sink.format = format;
  sink.write = std::move(write);
  MinLevel().store(l);
}

void Log(LogLevel level, std::string_view msg, std::span<const LogField> fields, LogCaller where) {
  if (level < MinLevel().load(std::memory_order_relaxed)) return;
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const std::string caller = CallerText(where);
  LogRecord record{std::chrono::duration_cast<std::chrono::nanoseconds>(now).count(), level, caller, msg, fields};
  Sink& sink = TheSink();
  std::lock_guard lock(sink.mu);  // one line at a time, in the order they were formatted
  const std::string line = FormatLogLine(sink.format, record);
  if (sink.write) {
    sink.write(line);
  } else {
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
  }
}

void RateLimitedLog::Log(LogLevel level, const std::string& key, std::string_view msg, std::span<const LogField> fields,
                         LogCaller where) {
  long suppressed = 0;
  {
    std::lock_guard lock(mu_);
    auto now = std::chrono::steady_clock::now();
    auto [it, inserted] = entries_.try_emplace(key);
    if (!inserted && now - it->second.last < interval_) {
      ++it->second.suppressed;
      return;
    }
    suppressed = it->second.suppressed;
    it->second.suppressed = 0;
    it->second.last = now;
  }
  if (suppressed == 0) return gx::Log(level, msg, fields, where);
  std::vector<LogField> with_count(fields.begin(), fields.end());
  with_count.emplace_back("repeated", suppressed);
  gx::Log(level, msg, with_count, where);
}

}  // namespace gx
