#include <gtest/gtest.h>

#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/util/iso_time.h"
#include "tests/exporter/genesys/parse/fixture.h"

namespace gx {
namespace {

using testing::ReadFixture;

UnixNanos T(const char* iso) { return *ParseIsoTime(iso); }

TEST(PhonesParser, ReadsRecordedPageWithExtrasNullsAndUnknownEnums) {
  Page<Phone> page;
  Status st = ParsePhonesPage(ReadFixture("phones_page.json"), page);
  ASSERT_TRUE(st.ok()) << st.error();
  ASSERT_EQ(page.entities.size(), 3u);
  EXPECT_EQ(page.info.page_number, 1);
  EXPECT_EQ(page.info.page_size, 3);
  EXPECT_EQ(page.info.page_count, 2);
  EXPECT_EQ(page.info.total, 5);
  EXPECT_FALSE(page.info.last());

  const Phone& desk = page.entities[0];
  EXPECT_EQ(desk.id, "9e4b2c1a-0f6d-4c1e-9b7a-2d3f4e5a6b01");
  EXPECT_EQ(desk.name, "Desk 101");
  EXPECT_EQ(desk.state, "active");
  EXPECT_EQ(desk.site.id, "5c2f6a9e-7d1b-4a3c-9e8f-0a1b2c3d4e01");
  EXPECT_EQ(desk.site.name, "HQ");
  EXPECT_EQ(desk.web_rtc_user_id, "");
  ASSERT_EQ(desk.line_ids.size(), 2u);
  EXPECT_EQ(desk.line_ids[1], "0b7e8f90-aaaa-4bbb-8ccc-100000000002");
  ASSERT_TRUE(desk.status.has_value());
  EXPECT_EQ(desk.status->operational_status, "OPERATIONAL");
  EXPECT_EQ(desk.status->edges_status, "IN_SERVICE");
  // Nanosecond precision survives.
  EXPECT_EQ(desk.status->event_creation_time, T("2026-05-01T10:00:02Z") + 123456789);
  EXPECT_EQ(desk.status->edge.id, "e-0001");
  ASSERT_EQ(desk.status->lines.size(), 2u);
  EXPECT_TRUE(desk.status->lines[0].reachable);
  EXPECT_EQ(desk.status->lines[1].id, "0b7e8f90-aaaa-4bbb-8ccc-100000000002");
  ASSERT_TRUE(desk.secondary_status.has_value());
  EXPECT_EQ(desk.secondary_status->operational_status, "DEGRADED");
  EXPECT_FALSE(desk.secondary_status->lines[0].reachable);
  EXPECT_EQ(desk.media_codecs, (std::vector<Atom>{"audio/opus", "audio/PCMU", "audio/PCMA", "audio/G722"}));
  EXPECT_EQ(desk.manufacturer, "Poly");
  EXPECT_EQ(desk.model, "VVX 450");
  EXPECT_EQ(desk.firmware_version, "6.4.3.5018");

  const Phone& webrtc = page.entities[1];
  EXPECT_EQ(webrtc.web_rtc_user_id, "u-ada-0001");
  EXPECT_EQ(webrtc.site.id, "7aa1b2c3-0000-4000-8000-0000000000b2");
  EXPECT_EQ(webrtc.site.name, "");  // null name
  ASSERT_TRUE(webrtc.status.has_value());
  EXPECT_EQ(webrtc.status->operational_status, "MAINTENANCE_MODE");  // unknown enum kept
  EXPECT_EQ(webrtc.status->edges_status, "SOMETHING_NEW");
  EXPECT_EQ(webrtc.status->event_creation_time, T("2026-05-01T08:05:00Z"));  // +02:00 offset
  ASSERT_EQ(webrtc.status->lines.size(), 1u);
  EXPECT_FALSE(webrtc.secondary_status.has_value());  // null
  EXPECT_TRUE(webrtc.media_codecs.empty());
  EXPECT_EQ(webrtc.manufacturer, "");

  const Phone& lobby = page.entities[2];
  EXPECT_EQ(lobby.site.id, "");
  EXPECT_FALSE(lobby.status.has_value());  // absent without expand=status
  EXPECT_TRUE(lobby.line_ids.empty());
}

TEST(PhonesParser, LastPageAndEmptyListing) {
  Page<Phone> page;
  ASSERT_TRUE(ParsePhonesPage(ReadFixture("phones_page_last.json"), page).ok());
  EXPECT_TRUE(page.info.last());
  ASSERT_EQ(page.entities.size(), 1u);
  EXPECT_EQ(page.entities[0].status->operational_status, "OFFLINE");
  EXPECT_EQ(page.entities[0].status->event_creation_time, T("2026-05-01T10:00:00Z") + 500000000);

  ASSERT_TRUE(ParsePhonesPage(ReadFixture("phones_empty.json"), page).ok());
  EXPECT_TRUE(page.entities.empty());
  EXPECT_TRUE(page.info.last());  // pageCount 0
}

TEST(PhonesParser, MalformedTruncatedAndWrongShapesAreErrors) {
  Page<Phone> page;
  for (const char* name : {"phones_malformed.json", "phones_page_truncated.json", "phones_entities_not_array.json",
                           "phones_entity_without_id.json"}) {
    Status st = ParsePhonesPage(ReadFixture(name), page);
    EXPECT_FALSE(st.ok()) << name;
    EXPECT_NE(st.error().find("phones"), std::string::npos) << st.error();
  }
  EXPECT_FALSE(ParsePhonesPage("", page).ok());
  EXPECT_FALSE(ParsePhonesPage("[]", page).ok());
  EXPECT_FALSE(ParsePhonesPage("null", page).ok());
  EXPECT_FALSE(ParsePhonesPage("{\"entities\":[1]}", page).ok());
}

TEST(PhonesParser, ErrorsNeverQuoteTheBody) {
  Page<Phone> page;
  Status st = ParsePhonesPage("{\"entities\":[{\"name\":\"secret-token-xyz\"}]}", page);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().find("secret-token-xyz"), std::string::npos);
}

TEST(PhonesParser, RefusesHostileSizes) {
  std::string huge(65u << 20, ' ');
  huge.front() = '{';
  huge.back() = '}';
  Page<Phone> page;
  Status st = ParsePhonesPage(huge, page);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().find("exceeds"), std::string::npos);
}

TEST(PageInfo, LastFallsBackToNextUriWithoutPageCount) {
  PageInfo info;
  info.page_number = 3;
  info.next_uri = "/api/v2/stations?pageNumber=4";
  EXPECT_FALSE(info.last());
  info.next_uri.clear();
  EXPECT_TRUE(info.last());
  info.page_count = 5;
  EXPECT_FALSE(info.last());
  info.page_number = 5;
  EXPECT_TRUE(info.last());
}

TEST(StationsParser, ReadsStations) {
  Page<Station> page;
  Status st = ParseStationsPage(ReadFixture("stations_page.json"), page);
  ASSERT_TRUE(st.ok()) << st.error();
  ASSERT_EQ(page.entities.size(), 3u);
  EXPECT_TRUE(page.info.last());
  const Station& s = page.entities[0];
  EXPECT_EQ(s.id, "st-0001");
  EXPECT_EQ(s.status, "ASSOCIATED");
  EXPECT_EQ(s.user_id, "u-0001");
  EXPECT_EQ(s.web_rtc_user_id, "");
  EXPECT_EQ(s.type, "inin_remote");
  EXPECT_EQ(s.line_appearance_id, "0b7e8f90-aaaa-4bbb-8ccc-100000000001");
  EXPECT_EQ(page.entities[1].web_rtc_user_id, "u-ada-0001");
  EXPECT_EQ(page.entities[1].user_id, "");
  EXPECT_EQ(page.entities[2].status, "RESERVED_SOMEHOW");
  EXPECT_EQ(page.entities[2].type, "brand_new_type");
}

TEST(TrunksParser, ReadsTrunksWithProxiesAndNulls) {
  Page<Trunk> page;
  Status st = ParseTrunksPage(ReadFixture("trunks_page.json"), page);
  ASSERT_TRUE(st.ok()) << st.error();
  ASSERT_EQ(page.entities.size(), 4u);
  const Trunk& a = page.entities[0];
  EXPECT_EQ(a.id, "t-carrier-a");
  EXPECT_EQ(a.name, "Carrier A");
  EXPECT_EQ(a.trunk_type, "EXTERNAL");
  EXPECT_EQ(a.edge.id, "e-0001");
  EXPECT_EQ(a.trunk_base.id, "tb-carrier-a");
  EXPECT_EQ(a.in_service, true);
  EXPECT_EQ(a.enabled, true);
  EXPECT_EQ(a.connected, true);
  EXPECT_EQ(a.connected_state_time, T("2026-05-10T08:00:00Z") + 1);
  ASSERT_EQ(a.options.size(), 2u);
  EXPECT_EQ(a.options[0].proxy_address, "sip1.carrier-a.example:5061");
  EXPECT_TRUE(a.options[0].up);
  EXPECT_EQ(a.options[0].state_time, T("2026-05-10T08:00:01Z") + 250000000);
  EXPECT_FALSE(a.options[1].up);
  EXPECT_EQ(a.options[1].error_text, "408 Request Timeout");
  EXPECT_TRUE(a.registers.empty());
  EXPECT_EQ(a.ip_address, "203.0.113.10");
  EXPECT_EQ(a.options_enabled_status, "ENABLED");
  EXPECT_EQ(a.registers_enabled_status, "DISABLED");
  EXPECT_EQ(a.proxy_address_list.size(), 2u);

  const Trunk& b = page.entities[1];
  EXPECT_EQ(b.in_service, false);
  EXPECT_FALSE(b.enabled.has_value());  // null
  EXPECT_EQ(b.connected, false);
  EXPECT_FALSE(b.connected_state_time.has_value());
  ASSERT_EQ(b.registers.size(), 1u);
  EXPECT_EQ(b.registers[0].proxy_address, "reg.carrier-b.example");
  EXPECT_FALSE(b.registers[0].up);

  EXPECT_EQ(page.entities[2].trunk_type, "PHONE");
  EXPECT_TRUE(page.entities[2].proxy_address_list.empty());

  const Trunk& future = page.entities[3];
  EXPECT_EQ(future.trunk_type, "SATELLITE");
  EXPECT_FALSE(future.connected.has_value());
  EXPECT_FALSE(future.in_service.has_value());
}

TEST(TrunkBasesParser, ReadsTransportProperties) {
  Page<TrunkBase> page;
  Status st = ParseTrunkBasesPage(ReadFixture("trunkbases_page.json"), page);
  ASSERT_TRUE(st.ok()) << st.error();
  ASSERT_EQ(page.entities.size(), 3u);
  EXPECT_EQ(page.entities[0].protocol_variant, "tls");
  EXPECT_EQ(page.entities[0].server_proxy_list,
            (std::vector<std::string>{"sip1.carrier-a.example:5061", "sip2.carrier-a.example"}));
  EXPECT_EQ(page.entities[0].trunk_type, "EXTERNAL");
  // instance absent: the template default applies; null list: empty.
  EXPECT_EQ(page.entities[1].protocol_variant, "udp");
  EXPECT_TRUE(page.entities[1].server_proxy_list.empty());
  EXPECT_EQ(page.entities[2].protocol_variant, "");
}

TEST(EdgesParser, ReadsEdges) {
  Page<Edge> page;
  Status st = ParseEdgesPage(ReadFixture("edges_page.json"), page);
  ASSERT_TRUE(st.ok()) << st.error();
  ASSERT_EQ(page.entities.size(), 3u);
  const Edge& e = page.entities[0];
  EXPECT_EQ(e.id, "e-0001");
  EXPECT_EQ(e.name, "edge-hq-1");
  EXPECT_EQ(e.state, "active");
  EXPECT_EQ(e.site.name, "HQ");
  EXPECT_EQ(e.software_version, "1.0.0.12345");
  EXPECT_EQ(e.online_status, "ONLINE");
  EXPECT_EQ(e.status_code, "ACTIVE");
  EXPECT_EQ(page.entities[1].status_code, "REBOOTING_NEW_ENUM");
  EXPECT_EQ(page.entities[1].software_version, "");
  EXPECT_EQ(page.entities[2].online_status, "HALF_ONLINE");
}

}  // namespace
}  // namespace gx
