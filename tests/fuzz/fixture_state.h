// Fuzz helper: a TelephonyState filled from the REST fixtures of tests/fixtures/genesys,
// so that pushed events name entities the state knows. Read once, copied per input.
#pragma once

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/state/telephony_state.h"

namespace gx::fuzz {

inline std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(GX_SOURCE_DIR) + "/tests/fixtures/genesys/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct FixtureInventory {
  Page<Phone> phones;
  Page<Station> stations;
  Page<Trunk> trunks;
  Page<Edge> edges;

  static const FixtureInventory& Get() {
    static const FixtureInventory inventory = [] {
      FixtureInventory i;
      (void)ParsePhonesPage(ReadFixture("phones_page.json"), i.phones);
      (void)ParseStationsPage(ReadFixture("stations_page.json"), i.stations);
      (void)ParseTrunksPage(ReadFixture("trunks_page.json"), i.trunks);
      (void)ParseEdgesPage(ReadFixture("edges_page.json"), i.edges);
      return i;
    }();
    return inventory;
  }
};

inline std::unique_ptr<TelephonyState> FixtureState(UnixNanos observed_at) {
  const auto& inv = FixtureInventory::Get();
  auto state = std::make_unique<TelephonyState>();
  state->ReplacePhones(inv.phones.entities, observed_at);
  state->ReplaceStations(inv.stations.entities, observed_at);
  state->ReplaceTrunks(inv.trunks.entities, observed_at);
  state->ReplaceEdges(inv.edges.entities, observed_at);
  return state;
}

}  // namespace gx::fuzz
