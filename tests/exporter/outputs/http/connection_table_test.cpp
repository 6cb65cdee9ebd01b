// The connection cap's bookkeeping: who is dropped to admit a new connection.
#include "exporter/outputs/http/connection_table.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

using Phase = ConnectionTable::Phase;

TEST(ConnectionTable, AdmitsUnderTheCap) {
  ConnectionTable t(2);
  EXPECT_TRUE(t.Admit(1).admitted);
  EXPECT_TRUE(t.Admit(2).admitted);
  EXPECT_EQ(t.size(), 2u);
  EXPECT_FALSE(t.Admit(2).admitted) << "an id is admitted once";
}

TEST(ConnectionTable, DropsTheLongestWaitingThenTheLongestReadingNeverAnAnswering) {
  ConnectionTable t(3);
  t.Admit(1);
  t.Admit(2);
  t.Admit(3);
  t.Set(1, Phase::kReading);  // waiting: 2 (longest), 3
  auto a = t.Admit(4);
  EXPECT_TRUE(a.admitted);
  EXPECT_EQ(a.evicted, 2u);
  t.Set(3, Phase::kAnswering);
  t.Set(4, Phase::kReading);  // nobody waits; reading: 1 (longest), 4
  a = t.Admit(5);
  EXPECT_TRUE(a.admitted);
  EXPECT_EQ(a.evicted, 1u);
  t.Set(4, Phase::kAnswering);
  t.Set(5, Phase::kAnswering);
  a = t.Admit(6);
  EXPECT_FALSE(a.admitted) << "every connection is answering";
  EXPECT_FALSE(a.evicted.has_value());
  EXPECT_EQ(t.size(), 3u);
  t.Remove(3);
  t.Remove(3);  // idempotent
  a = t.Admit(6);
  EXPECT_TRUE(a.admitted);
  EXPECT_FALSE(a.evicted.has_value());
}

TEST(ConnectionTable, WaitingAgainMakesAConnectionTheNewestIdleOne) {
  ConnectionTable t(2);
  t.Admit(1);
  t.Admit(2);
  t.Set(1, Phase::kAnswering);
  t.Set(1, Phase::kWaiting);  // 1 answered a request after 2 connected: 2 has waited longer
  EXPECT_EQ(t.Admit(3).evicted, 2u);
}

TEST(ConnectionTable, UnknownIdsAreIgnored) {
  ConnectionTable t(1);
  t.Set(7, Phase::kReading);
  t.Remove(7);
  EXPECT_EQ(t.size(), 0u);
  EXPECT_TRUE(t.Admit(1).admitted);
}

TEST(ConnectionTable, AWriterIsDroppedAfterEveryIdleAndReadingOneTheLongestFirst) {
  ConnectionTable t(3);
  t.Admit(1);
  t.Admit(2);
  t.Admit(3);
  t.Set(1, Phase::kWriting);
  t.Set(2, Phase::kWriting);  // writing: 1 (longest), 2
  t.Set(3, Phase::kReading);
  EXPECT_EQ(t.Admit(4).evicted, 3u) << "reading goes before writing";
  t.Set(4, Phase::kAnswering);
  EXPECT_EQ(t.Admit(5).evicted, 1u);
  t.Set(5, Phase::kAnswering);
  EXPECT_EQ(t.Admit(6).evicted, 2u);
  t.Set(6, Phase::kAnswering);
  EXPECT_FALSE(t.Admit(7).admitted) << "a running handler is never dropped";
}

}  // namespace
}  // namespace gx
