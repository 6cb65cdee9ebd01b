// Reads recorded Genesys bodies from tests/fixtures/genesys. Test-only helper.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace gx::testing {

inline std::string ReadFixture(const std::string& name) {
  const std::string path = std::string(GX_SOURCE_DIR) + "/tests/fixtures/genesys/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace gx::testing
