// One log line, as Prometheus's own logging writes it: a constant message plus key/value
// fields, formatted as logfmt or as one JSON object. A field's value is bounded, made valid
// UTF-8 and, for a URL, redacted when the field is made, so no formatter can print it raw.
// Pure; thread-safe.
#pragma once

#include <concepts>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "exporter/util/clock.h"

namespace gx {

enum class LogFormat { kLogfmt, kJson };
enum class LogLevel { kDebug, kInfo, kWarn, kError };

// A value longer than this (a body or an error text from the network) is cut, with a marker.
constexpr std::size_t kMaxLogValueBytes = 1024;

class LogField {
 public:
  // Keys are constants of the code (target, collector, receiver, err, url, ...). A key named
  // "url" or ending in "_url" holds a URL: its value goes through RedactUrl.
  LogField(std::string_view key, std::string_view value);
  LogField(std::string_view key, const std::string& value) : LogField(key, std::string_view(value)) {}
  LogField(std::string_view key, const char* value) : LogField(key, std::string_view(value ? value : "")) {}
  LogField(std::string_view key, bool value) : LogField(key, value ? "true" : "false") {}
  LogField(std::string_view key, double value);
  template <std::integral T>
  requires(!std::same_as<T, bool>) LogField(std::string_view key, T value)
      : key_(key), value_(std::to_string(value)), number_(true) {}

  std::string_view key() const { return key_; }
  const std::string& value() const { return value_; }
  bool number() const { return number_; }  // JSON writes it bare

 private:
  std::string_view key_;
  std::string value_;
  bool number_ = false;
};

struct LogRecord {
  UnixNanos time = 0;
  LogLevel level = LogLevel::kInfo;
  std::string_view caller;  // "file.cpp:123", or empty
  std::string_view msg;
  std::span<const LogField> fields;
};

std::string_view LogLevelName(LogLevel level);

// One line with its '\n': logfmt `ts=... level=... caller=... msg="..." key=value ...`, or a
// JSON object with each field as its own key.
std::string FormatLogLine(LogFormat format, const LogRecord& record);

}  // namespace gx
