#include "exporter/util/log_line.h"

#include <charconv>
#include <cmath>

#include "exporter/util/iso_time.h"
#include "exporter/util/json_writer.h"
#include "exporter/util/url_redact.h"

namespace gx {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the valid UTF-8 sequence at the start of `s`, or 0 (RFC 3629: no overlong
// forms, no surrogates, nothing past U+10FFFF).
std::size_t Utf8SequenceLength(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto continuation = [&](std::size_t i) { return i < s.size() && (byte(i) & 0xC0) == 0x80; };
  const unsigned char c = byte(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return continuation(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (c == 0xE0 && byte(1) < 0xA0) return 0;  // overlong
    if (c == 0xED && byte(1) > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (c == 0xF0 && byte(1) < 0x90) return 0;  // overlong
    if (c == 0xF4 && byte(1) > 0x8F) return 0;  // past U+10FFFF
    return 4;
  }
  return 0;
}

// At most kMaxLogValueBytes of `text` (cut at a character, with a marker that says how long
// it was), with each invalid UTF-8 byte replaced by U+FFFD.
std::string Bounded(std::string_view text) {
  std::string out;
  out.reserve(std::min(text.size(), kMaxLogValueBytes) + 32);
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t n = Utf8SequenceLength(text.substr(i));
    if (out.size() + (n == 0 ? kReplacement.size() : n) > kMaxLogValueBytes) {
      out.append("...(cut, ").append(std::to_string(text.size())).append(" bytes)");
      break;
    }
    if (n == 0) {
      out.append(kReplacement);
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

bool IsUrlKey(std::string_view key) { return key == "url" || (key.size() > 4 && key.substr(key.size() - 4) == "_url"); }

// Keys are code constants; anything that would break a line still becomes '_'.
std::string SafeKey(std::string_view key) {
  std::string out(key.empty() ? "_" : key);
  for (char& c : out) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) c = '_';
  }
  return out;
}

// logfmt as go-logfmt writes it: a value with a space, '=', '"', a control character or
// nothing at all is quoted; inside the quotes '"', backslash and control characters are escaped as
// in JSON, which is what go-logfmt does too.
void AppendLogfmtValue(std::string& out, std::string_view value) {
  bool quote = value.empty();
  for (unsigned char c : value) quote |= c <= ' ' || c == '=' || c == '"' || c == 0x7F;
  if (quote) {
    AppendJsonString(out, value);
  } else {
    out.append(value);
  }
}

std::string FormatLogfmt(const LogRecord& r, std::string_view ts) {
  std::string out;
  out.append("ts=").append(ts).append(" level=").append(LogLevelName(r.level));
  if (!r.caller.empty()) AppendLogfmtValue(out.append(" caller="), Bounded(r.caller));
  AppendLogfmtValue(out.append(" msg="), Bounded(r.msg));
  for (const LogField& f : r.fields) {
    out.push_back(' ');
    out.append(SafeKey(f.key())).push_back('=');
    AppendLogfmtValue(out, f.value());
  }
  out.push_back('\n');
  return out;
}

std::string FormatJson(const LogRecord& r, std::string_view ts) {
  JsonWriter w;
  w.BeginObject().Field("ts", ts).Field("level", LogLevelName(r.level));
  if (!r.caller.empty()) w.Field("caller", Bounded(r.caller));
  w.Field("msg", Bounded(r.msg));
  for (const LogField& f : r.fields) {
    w.Key(SafeKey(f.key()));
    if (f.number()) {
      w.Raw(f.value());
    } else {
      w.String(f.value());
    }
  }
  std::string out = w.EndObject().Take();
  out.push_back('\n');
  return out;
}

}  // namespace

LogField::LogField(std::string_view key, std::string_view value)
    : key_(key), value_(Bounded(IsUrlKey(key) ? std::string_view(RedactUrl(value)) : value)) {}

LogField::LogField(std::string_view key, double value) : key_(key) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  value_.assign(buf, ec == std::errc() ? end : buf);
  number_ = std::isfinite(value);  // "inf" and "nan" are no JSON numbers: written as strings
}

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "error";
}

std::string FormatLogLine(LogFormat format, const LogRecord& record) {
  const std::string ts = FormatIsoTime(record.time);
  return format == LogFormat::kJson ? FormatJson(record, ts) : FormatLogfmt(record, ts);
}

}  // namespace gx
