#include "exporter/util/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "exporter/util/iso_time.h"
#include "exporter/util/json_writer.h"

namespace gx {
namespace {

std::string_view LevelName(spdlog::level::level_enum l) {
  switch (l) {
    case spdlog::level::trace: return "debug";
    case spdlog::level::debug: return "debug";
    case spdlog::level::info: return "info";
    case spdlog::level::warn: return "warn";
    default: return "error";
  }
}

class LineFormatter final : public spdlog::formatter {
 public:
  explicit LineFormatter(LogFormat f) : format_(f) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(msg.time.time_since_epoch()).count();
    std::string ts = FormatIsoTime(ns);
    std::string_view text(msg.payload.data(), msg.payload.size());
    std::string line;
    if (format_ == LogFormat::kJson) {
      JsonWriter w;
      w.BeginObject().Field("ts", ts).Field("level", LevelName(msg.level)).Field("msg", text).EndObject();
      line = w.Take();
    } else {
      line = "ts=" + ts + " level=" + std::string(LevelName(msg.level)) + " msg=";
      AppendJsonString(line, text);  // logfmt accepts a quoted, escaped value
    }
    line.push_back('\n');
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<LineFormatter>(format_);
  }

 private:
  LogFormat format_;
};

}  // namespace

void SetupLogging(std::string_view level, LogFormat format) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_formatter(std::make_unique<LineFormatter>(format));
  auto logger = std::make_shared<spdlog::logger>("genesys_exporter", sink);
  spdlog::level::level_enum l = spdlog::level::info;
  if (level == "debug") l = spdlog::level::debug;
  else if (level == "warn") l = spdlog::level::warn;
  else if (level == "error") l = spdlog::level::err;
  logger->set_level(l);
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
}

void RateLimitedLog::Log(spdlog::level::level_enum level, const std::string& key,
                         std::string_view message) {
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
  if (suppressed > 0) {
    spdlog::log(level, "{} (repeated {} more times since last logged)", message, suppressed);
  } else {
    spdlog::log(level, "{}", message);
  }
}

}  // namespace gx
