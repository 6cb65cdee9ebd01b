#include "exporter/genesys/api/retry_policy.h"

#include <gtest/gtest.h>

#include "exporter/util/time_math.h"

namespace gx {
namespace {

TEST(RetryPolicy, Classification) {
  EXPECT_EQ(ClassifyAttempt(200, TransportError::kNone), RetryReason::kNone);
  EXPECT_EQ(ClassifyAttempt(400, TransportError::kNone), RetryReason::kNone);
  EXPECT_EQ(ClassifyAttempt(404, TransportError::kNone), RetryReason::kNone);
  EXPECT_EQ(ClassifyAttempt(403, TransportError::kNone), RetryReason::kNone);
  EXPECT_EQ(ClassifyAttempt(401, TransportError::kNone), RetryReason::kUnauthorized);
  EXPECT_EQ(ClassifyAttempt(429, TransportError::kNone), RetryReason::kRateLimited);
  EXPECT_EQ(ClassifyAttempt(500, TransportError::kNone), RetryReason::kServerError);
  EXPECT_EQ(ClassifyAttempt(501, TransportError::kNone), RetryReason::kNone);
  EXPECT_EQ(ClassifyAttempt(502, TransportError::kNone), RetryReason::kServerError);
  EXPECT_EQ(ClassifyAttempt(503, TransportError::kNone), RetryReason::kServerError);
  EXPECT_EQ(ClassifyAttempt(504, TransportError::kNone), RetryReason::kServerError);
  EXPECT_EQ(ClassifyAttempt(0, TransportError::kTimeout), RetryReason::kTimeout);
  EXPECT_EQ(ClassifyAttempt(0, TransportError::kNetwork), RetryReason::kNetwork);
}

TEST(RetryPolicy, Labels) {
  EXPECT_EQ(RetryReasonLabel(RetryReason::kRateLimited), "rate_limited");
  EXPECT_EQ(RetryReasonLabel(RetryReason::kServerError), "server_error");
  EXPECT_EQ(RetryReasonLabel(RetryReason::kTimeout), "timeout");
  EXPECT_EQ(RetryReasonLabel(RetryReason::kNetwork), "network");
  EXPECT_EQ(RetryReasonLabel(RetryReason::kUnauthorized), "unauthorized");
}

TEST(RetryPolicy, BackoffDoublesUpToTheCapWithJitter) {
  RetryPolicy p;  // 0.5 s base, 30 s cap
  EXPECT_EQ(BackoffDelay(p, 0, 1.0), 500 * kNanosPerMilli);
  EXPECT_EQ(BackoffDelay(p, 0, 0.0), 250 * kNanosPerMilli);
  EXPECT_EQ(BackoffDelay(p, 1, 1.0), 1000 * kNanosPerMilli);
  EXPECT_EQ(BackoffDelay(p, 3, 1.0), 4000 * kNanosPerMilli);
  EXPECT_EQ(BackoffDelay(p, 10, 1.0), 30 * kNanosPerSecond);
  EXPECT_EQ(BackoffDelay(p, 1000, 1.0), 30 * kNanosPerSecond);
  EXPECT_EQ(BackoffDelay(p, 10, 0.0), 15 * kNanosPerSecond);
  for (int r = 0; r < 12; ++r) {
    auto d = BackoffDelay(p, r, 0.37);
    EXPECT_GT(d, 0);
    EXPECT_LE(d, p.max_backoff);
  }
}

TEST(RetryAfter, DeltaSeconds) {
  EXPECT_EQ(ParseRetryAfter("2", 0), 2 * kNanosPerSecond);
  EXPECT_EQ(ParseRetryAfter(" 120 ", 0), 120 * kNanosPerSecond);
  EXPECT_EQ(ParseRetryAfter("0", 0), 0);
  EXPECT_EQ(ParseRetryAfter("1.5", 0), 1500 * kNanosPerMilli);
}

TEST(RetryAfter, HttpDate) {
  // 2026-10-21T07:28:00Z = 1792567680
  UnixNanos at = 1792567680LL * kNanosPerSecond;
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT", at - 30 * kNanosPerSecond), 30 * kNanosPerSecond);
  // A date in the past means "now".
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT", at + kNanosPerSecond), 0);
}

TEST(RetryAfter, Garbage) {
  EXPECT_FALSE(ParseRetryAfter("", 0));
  EXPECT_FALSE(ParseRetryAfter("soon", 0));
  EXPECT_FALSE(ParseRetryAfter("-5", 0));
  EXPECT_FALSE(ParseRetryAfter("5s", 0));
  EXPECT_FALSE(ParseRetryAfter("Wed, 21 Foo 2026 07:28:00 GMT", 0));
  EXPECT_FALSE(ParseRetryAfter("Wed, 21 Oct 2026 07:28:00 PST", 0));
}

// Absurd values saturate (the caller caps them) instead of overflowing or being ignored.
TEST(RetryAfter, HugeValuesSaturate) {
  EXPECT_EQ(ParseRetryAfter("1000000000", 0), 1'000'000'000 * kNanosPerSecond);
  EXPECT_EQ(ParseRetryAfter("99999999999", 0), kMaxNanos);
  EXPECT_EQ(ParseRetryAfter("99999999999999999999", 0), kMaxNanos);
  EXPECT_EQ(ParseRetryAfter("1e30", 0), kMaxNanos);
  const UnixNanos now = 1'800'000'000 * kNanosPerSecond;
  EXPECT_EQ(ParseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", now), kMaxNanos - now);
  EXPECT_EQ(ParseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", -now), kMaxNanos);
  // Long before 1678: in the past, so no wait at all.
  EXPECT_EQ(ParseRetryAfter("Sat, 01 Jan 1000 00:00:00 GMT", now), 0);
}

TEST(RateLimit, AnExhaustedWindowAsksForItsReset) {
  const auto r = ReadRateLimit({"300", "300", "12"});
  EXPECT_EQ(r.remaining, 0.0);
  EXPECT_EQ(r.window_wait, 12 * kNanosPerSecond);
  EXPECT_EQ(ReadRateLimit({"300", "299", "12"}).window_wait, std::nullopt);
  EXPECT_EQ(ReadRateLimit({"300", "299", "12"}).remaining, 1.0);
  EXPECT_EQ(ReadRateLimit({"300", "400", " 0.5 "}).window_wait, kNanosPerSecond / 2);
  EXPECT_EQ(ReadRateLimit({"300", "300", "1e300"}).window_wait, kMaxNanos);  // the caller caps it
  // Found by tests/fuzz/retry_after_fuzz.cpp: a reset under a nanosecond was a wait of 0.
  EXPECT_EQ(ReadRateLimit({"3", "10", ".0000000005"}).window_wait, std::nullopt);
  EXPECT_EQ(ReadRateLimit({"3", "10", "0"}).window_wait, std::nullopt);
}

// Each value must be a whole finite number >= 0. Seen while writing the rate-limit fuzz
// target: allowed 1e308 and count -1e308 made remaining +inf, exported as
// genesys_api_rate_limit_remaining; "12abc" counted as 12.
TEST(RateLimit, ValuesThatAreNotCountsAreIgnored) {
  for (std::string_view bad : {"", "-1", "-1e308", "inf", "nan", "12abc", "1e999", "0x10", " "}) {
    EXPECT_EQ(ReadRateLimit({bad, "1", "5"}).remaining, std::nullopt) << bad;
    EXPECT_EQ(ReadRateLimit({"300", bad, "5"}).remaining, std::nullopt) << bad;
    EXPECT_EQ(ReadRateLimit({"300", "300", bad}).window_wait, std::nullopt) << bad;
  }
  EXPECT_EQ(ReadRateLimit({"1e308", "0", ""}).remaining, 1e308);
}

}  // namespace
}  // namespace gx
