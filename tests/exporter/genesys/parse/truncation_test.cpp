// Every prefix of every recorded body must give a value or an error: never a
// crash, a hang or an exception. This is the cheap cousin of a fuzzer.
#include <gtest/gtest.h>

#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/genesys/parse/notification_parser.h"
#include "tests/exporter/genesys/parse/fixture.h"

namespace gx {
namespace {

template <typename Fn>
void EveryPrefix(const std::string& body, Fn parse) {
  int failures = 0;
  for (size_t n = 0; n < body.size(); ++n) {
    if (!parse(std::string_view(body.data(), n))) ++failures;
  }
  // Most strict prefixes of a JSON document are not JSON.
  EXPECT_GT(failures, static_cast<int>(body.size() / 2));
  EXPECT_TRUE(parse(body));
}

TEST(Truncation, RestBodies) {
  EveryPrefix(testing::ReadFixture("phones_page.json"), [](std::string_view b) {
    Page<Phone> p;
    return ParsePhonesPage(b, p).ok();
  });
  EveryPrefix(testing::ReadFixture("trunks_page.json"), [](std::string_view b) {
    Page<Trunk> p;
    return ParseTrunksPage(b, p).ok();
  });
  EveryPrefix(testing::ReadFixture("trunkbases_page.json"), [](std::string_view b) {
    Page<TrunkBase> p;
    return ParseTrunkBasesPage(b, p).ok();
  });
  EveryPrefix(testing::ReadFixture("edges_page.json"), [](std::string_view b) {
    Page<Edge> p;
    return ParseEdgesPage(b, p).ok();
  });
  EveryPrefix(testing::ReadFixture("stations_page.json"), [](std::string_view b) {
    Page<Station> p;
    return ParseStationsPage(b, p).ok();
  });
  EveryPrefix(testing::ReadFixture("trunk_metrics.json"), [](std::string_view b) {
    std::vector<TrunkMetrics> v;
    return ParseTrunkMetricsArray(b, v).ok();
  });
  EveryPrefix(testing::ReadFixture("edge_metrics.json"), [](std::string_view b) {
    std::vector<EdgeMetrics> v;
    return ParseEdgeMetricsArray(b, v).ok();
  });
}

TEST(Truncation, NotificationFrames) {
  for (const char* name : {"phone.json", "trunk.json", "trunk_metrics.json", "edge_metrics.json", "station.json",
                           "no_longer_subscribed.json"}) {
    EveryPrefix(testing::ReadFixture(std::string("notifications/") + name), [](std::string_view b) {
      NotificationFrame n;
      return ParseNotification(b, n).ok();
    });
  }
}

TEST(Truncation, ByteFlipsNeverCrash) {
  const std::string body = testing::ReadFixture("phones_page.json");
  for (size_t i = 0; i < body.size(); i += 7) {
    for (char c : {'\0', '"', '{', ']', '\xff', '9'}) {
      std::string mutated = body;
      mutated[i] = c;
      Page<Phone> p;
      (void)ParsePhonesPage(mutated, p);
    }
  }
  SUCCEED();
}

}  // namespace
}  // namespace gx
