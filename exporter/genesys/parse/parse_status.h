// The outcome of parsing one Genesys response or frame: ok, or a short error
// that names what was wrong (never the body itself, which may hold secrets).
#pragma once

#include <string>

namespace gx {

struct ParseStatus {
  std::string error;  // empty when ok
  bool ok() const { return error.empty(); }
  static ParseStatus Ok() { return {}; }
  static ParseStatus Error(std::string e) { return {std::move(e)}; }
};

}  // namespace gx
