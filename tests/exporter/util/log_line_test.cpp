#include "exporter/util/log_line.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

namespace gx {
namespace {

constexpr UnixNanos kTime = 1780000000123456789;  // 2026-05-28T20:26:40.123Z

std::string Logfmt(std::string_view msg, std::vector<LogField> fields, std::string_view caller = "") {
  return FormatLogLine(LogFormat::kLogfmt, {kTime, LogLevel::kWarn, caller, msg, fields});
}

std::string Json(std::string_view msg, std::vector<LogField> fields, std::string_view caller = "") {
  return FormatLogLine(LogFormat::kJson, {kTime, LogLevel::kWarn, caller, msg, fields});
}

// What follows "msg=m " in a logfmt line.
std::string FieldsOf(const std::string& line) { return line.substr(line.find("msg=m ") + 6); }

// The line parsed by the JSON parser the project uses; fails the test if it is not one object.
simdjson::dom::object ParseJsonLine(simdjson::dom::parser& parser, const std::string& line) {
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line: " << line;
  simdjson::dom::object object;
  const auto error = parser.parse(line).get(object);
  EXPECT_EQ(error, simdjson::SUCCESS) << simdjson::error_message(error) << " in " << line;
  return object;
}

std::string StringOf(simdjson::dom::object& o, std::string_view key) {
  std::string_view v;
  EXPECT_EQ(o[key].get(v), simdjson::SUCCESS) << key;
  return std::string(v);
}

TEST(LogLine, LogfmtPutsEachFieldAfterAConstantMessage) {
  EXPECT_EQ(Logfmt("tls probe failed", {{"target", "sbc.example:5061"}, {"err", "handshake failed: timeout"}},
                   "tls_prober.cpp:207"),
            "ts=2026-05-28T20:26:40.123Z level=warn caller=tls_prober.cpp:207 msg=\"tls probe failed\" "
            "target=sbc.example:5061 err=\"handshake failed: timeout\"\n");
  EXPECT_EQ(Logfmt("stopped", {}), "ts=2026-05-28T20:26:40.123Z level=warn msg=stopped\n");
}

TEST(LogLine, LogfmtQuotesWhatWouldBreakAValue) {
  EXPECT_EQ(Logfmt("m", {{"a", "plain-value_1.2/x:y"}}),
            "ts=2026-05-28T20:26:40.123Z level=warn msg=m a=plain-value_1.2/x:y\n");
  EXPECT_EQ(FieldsOf(Logfmt("m", {{"a", "has space"}})), "a=\"has space\"\n");
  EXPECT_EQ(FieldsOf(Logfmt("m", {{"a", "k=v"}})), "a=\"k=v\"\n");
  EXPECT_EQ(FieldsOf(Logfmt("m", {{"a", "say \"hi\""}})), "a=\"say \\\"hi\\\"\"\n");
  EXPECT_EQ(FieldsOf(Logfmt("m", {{"a", ""}})), "a=\"\"\n");
  // A backslash alone needs no quotes; inside quotes it is escaped.
  EXPECT_EQ(FieldsOf(Logfmt("m", {{"a", "C:\\x"}})), "a=C:\\x\n");
  EXPECT_EQ(FieldsOf(Logfmt("m", {{"a", "C:\\x y"}})), "a=\"C:\\\\x y\"\n");
  // Line breaks and other control characters never break the line.
  EXPECT_EQ(FieldsOf(Logfmt("m", {{"a", "one\ntwo\r\tthree\x01\x7f"}})), "a=\"one\\ntwo\\r\\tthree\\u0001\x7f\"\n");
  // Numbers and booleans.
  EXPECT_EQ(FieldsOf(Logfmt("m", {{"status", 503}, {"ok", false}, {"ratio", 0.5}})), "status=503 ok=false ratio=0.5\n");
}

TEST(LogLine, AKeyThatWouldBreakTheLineIsMadeSafe) {
  EXPECT_EQ(FieldsOf(Logfmt("m", {{"a b=\"c\n", "v"}})), "a_b__c_=v\n");
}

TEST(LogLine, JsonHasEachFieldAsItsOwnKey) {
  simdjson::dom::parser parser;
  const std::string line =
      Json("webhook delivery failed",
           {{"receiver", "ops"}, {"status", 503}, {"attempt", 3}, {"err", "quote \" and \\ and\nline"}},
           "webhook_dispatcher.cpp:385");
  auto o = ParseJsonLine(parser, line);
  EXPECT_EQ(StringOf(o, "ts"), "2026-05-28T20:26:40.123Z");
  EXPECT_EQ(StringOf(o, "level"), "warn");
  EXPECT_EQ(StringOf(o, "caller"), "webhook_dispatcher.cpp:385");
  EXPECT_EQ(StringOf(o, "msg"), "webhook delivery failed");
  EXPECT_EQ(StringOf(o, "receiver"), "ops");
  EXPECT_EQ(StringOf(o, "err"), "quote \" and \\ and\nline");
  int64_t status = 0;
  EXPECT_EQ(o["status"].get(status), simdjson::SUCCESS);
  EXPECT_EQ(status, 503);
  EXPECT_EQ(line.rfind("{\"ts\":\"2026-05-28T20:26:40.123Z\",\"level\":\"warn\",\"caller\":", 0), 0u) << line;
}

TEST(LogLine, InvalidUtf8IsReplacedAndTheJsonStaysValid) {
  simdjson::dom::parser parser;
  // A lone continuation byte, a truncated sequence, an overlong '/', a surrogate, past U+10FFFF.
  const std::string bad =
      "a\x80"
      "b\xE2\x82"
      "c\xC0\xAF"
      "d\xED\xA0\x80"
      "e\xF4\x90\x80\x80"
      "f";
  auto o = ParseJsonLine(parser, Json("m", {{"err", bad}, {"ok", "caf\xC3\xA9 \xF0\x9F\x93\x9E"}}));
  const std::string err = StringOf(o, "err");
  EXPECT_EQ(err.substr(0, 5),
            "a\xEF\xBF\xBD"
            "b")
      << err;
  EXPECT_EQ(err.find('\x80'), std::string::npos);
  EXPECT_EQ(err.back(), 'f');
  EXPECT_EQ(StringOf(o, "ok"), "caf\xC3\xA9 \xF0\x9F\x93\x9E");  // valid UTF-8 is kept as it is
  EXPECT_EQ(FieldsOf(Logfmt("m", {{"a", "x\xFFy"}})), "a=x\xEF\xBF\xBDy\n");
}

TEST(LogLine, EveryByteGivesOneValidJsonLine) {
  simdjson::dom::parser parser;
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  auto o = ParseJsonLine(parser, Json(all, {{all, all}}));
  EXPECT_FALSE(StringOf(o, "msg").empty());
  const std::string logfmt = Logfmt(all, {{"a", all}});
  EXPECT_EQ(logfmt.find('\n'), logfmt.size() - 1);
  EXPECT_EQ(logfmt.find('\r'), std::string::npos);
}

TEST(LogLine, AUrlFieldIsRedacted) {
  const std::string url = "https://user:S3cretPassw0rd@api.example/x?access_token=T0ken123&a=1";
  for (const std::string& line :
       {Logfmt("m", {{"url", url}}), Json("m", {{"url", url}}), Logfmt("m", {{"login_url", url}})}) {
    EXPECT_EQ(line.find("S3cretPassw0rd"), std::string::npos) << line;
    EXPECT_EQ(line.find("T0ken123"), std::string::npos) << line;
    EXPECT_NE(line.find("https://***@api.example/x?access_token=***&a=1"), std::string::npos) << line;
  }
  // A password typed raw with a '/' in it too.
  EXPECT_EQ(FieldsOf(Logfmt("m", {{"url", "https://u:pa/ss@host"}})), "url=https://***@host\n");
}

TEST(LogLine, ALongValueIsCutWithAMarker) {
  const std::string body(5000, 'x');
  const LogField f("err", body);
  EXPECT_LE(f.value().size(), kMaxLogValueBytes + 32);
  EXPECT_EQ(f.value().substr(0, 1000), body.substr(0, 1000));
  EXPECT_NE(f.value().find("...(cut, 5000 bytes)"), std::string::npos) << f.value();
  // Cut between characters, never inside one.
  std::string euros;
  for (int i = 0; i < 1000; ++i) euros.append("\xE2\x82\xAC");  // U+20AC, 3 bytes
  const LogField e("err", euros);
  const std::string kept = e.value().substr(0, e.value().find("..."));
  EXPECT_EQ(kept.size() % 3, 0u);
  EXPECT_GT(kept.size(), kMaxLogValueBytes - 40);
  simdjson::dom::parser parser;
  auto o = ParseJsonLine(parser, Json("m", {e}));
  EXPECT_NE(StringOf(o, "err").find("(cut, 3000 bytes)"), std::string::npos);
  // A value of exactly the maximum is not cut.
  EXPECT_EQ(LogField("err", std::string(kMaxLogValueBytes, 'y')).value(), std::string(kMaxLogValueBytes, 'y'));
}

TEST(LogLine, NumbersAreLocaleFreeAndNonFiniteOnesAreStrings) {
  simdjson::dom::parser parser;
  auto o = ParseJsonLine(parser, Json("m", {{"delay", 1.25}, {"inf", 1.0 / 0.0}, {"n", -7L}}));
  double delay = 0;
  EXPECT_EQ(o["delay"].get(delay), simdjson::SUCCESS);
  EXPECT_EQ(delay, 1.25);
  EXPECT_EQ(StringOf(o, "inf"), "inf");
  int64_t n = 0;
  EXPECT_EQ(o["n"].get(n), simdjson::SUCCESS);
  EXPECT_EQ(n, -7);
}

}  // namespace
}  // namespace gx
