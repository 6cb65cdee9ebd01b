// Test helper: the ports a program wrote to its port file (exporter/util/port_file.h), one per
// line; empty while there is no file (or it holds anything but ports). Single-threaded use.
#pragma once

#include <fstream>
#include <string>
#include <vector>

namespace gx::testing {

inline std::vector<int> ReadPortFile(const std::string& path) {
  std::ifstream in(path);
  std::vector<int> ports;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.size() > 5 || line.find_first_not_of("0123456789") != std::string::npos) return {};
    const int port = std::stoi(line);
    if (port < 1 || port > 65535) return {};
    ports.push_back(port);
  }
  return ports;
}

}  // namespace gx::testing
