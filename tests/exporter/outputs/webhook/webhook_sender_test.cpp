// PostWebhook against a local receiver: how each answer is classified, and the receiver's
// Retry-After handed on saturated (ComputeRetryDelay caps it; util/retry_after reads it).
#include "exporter/outputs/webhook/webhook_sender.h"

#include <gtest/gtest.h>

#include "exporter/util/time_math.h"
#include "tests/exporter/outputs/webhook/webhook_test_server.h"

namespace gx {
namespace {

constexpr UnixNanos kSec = kNanosPerSecond;
constexpr UnixNanos kNow = 1'790'000'000LL * kSec;  // 2026-09-21T14:13:20Z

SendResult Post(const std::string& url) { return PostWebhook(url, "{}", {}, Seconds(5), "", kNow); }

TEST(PostWebhookTest, ClassifiesTheAnswer) {
  testing::TestReceiver receiver;
  receiver.Answer(200);
  EXPECT_EQ(Post(receiver.url()).outcome, SendResult::Outcome::kDelivered);
  receiver.Answer(503);
  EXPECT_EQ(Post(receiver.url()).outcome, SendResult::Outcome::kRetry);
  receiver.Answer(429);
  EXPECT_EQ(Post(receiver.url()).outcome, SendResult::Outcome::kRetry);
  receiver.Answer(400);
  const SendResult rejected = Post(receiver.url());
  EXPECT_EQ(rejected.outcome, SendResult::Outcome::kReject);
  EXPECT_EQ(rejected.status, 400);
  EXPECT_EQ(rejected.error, "HTTP 400");
}

TEST(PostWebhookTest, PostsToThePathAndQueryOfTheUrl) {
  testing::TestReceiver receiver;
  receiver.Answer(200);
  ASSERT_EQ(Post(receiver.url("/services/T0/B0?token=x")).outcome, SendResult::Outcome::kDelivered);
  ASSERT_EQ(Post(receiver.url("")).outcome, SendResult::Outcome::kDelivered);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/services/T0/B0");
  EXPECT_EQ(requests[1].path, "/");
}

TEST(PostWebhookTest, HandsOnTheReceiversRetryAfterSaturated) {
  testing::TestReceiver receiver;
  receiver.Answer(503, "120");
  EXPECT_EQ(Post(receiver.url()).retry_after, 120 * kSec);
  receiver.Answer(503, "99999999999");
  EXPECT_EQ(Post(receiver.url()).retry_after, kMaxNanos);
  receiver.Answer(503, "Mon, 21 Sep 2026 14:15:20 GMT");
  EXPECT_EQ(Post(receiver.url()).retry_after, 120 * kSec);
  // Not RFC 9110, as if absent: a fraction, and a date with a one-digit hour (which this
  // sender's strptime reading took before).
  for (const char* value : {"1.5", "Mon, 21 Sep 2026 1:15:20 GMT", "Mon,  21 Sep 2026 14:15:20 GMT"}) {
    receiver.Answer(503, value);
    EXPECT_EQ(Post(receiver.url()).retry_after, std::nullopt) << value;
  }
  receiver.Answer(503);
  EXPECT_EQ(Post(receiver.url()).retry_after, std::nullopt);
}

TEST(PostWebhookTest, NoAnswerIsARetryWithTheReason) {
  const std::string url = "http://127.0.0.1:" + std::to_string(testing::DeadPort()) + "/hook";
  const SendResult r = PostWebhook(url, "{}", {}, Seconds(2), "", kNow);
  EXPECT_EQ(r.outcome, SendResult::Outcome::kRetry);
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.error.empty());
}

}  // namespace
}  // namespace gx
