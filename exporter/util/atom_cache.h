// AtomCache: the atoms one thread made last, by text, so that making a text again (a status, an
// edge, a site, a model: read in every pushed event and every listing entry) takes no lock and no
// lookup in the process-wide table. A slot per hash, the newest text wins it.
// The cache holds its atoms: while cached, up to kSlots texts stay alive that no value names any
// more. One per thread (ThisThread()); not thread-safe itself.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "exporter/util/atom.h"

namespace gx {

class AtomCache {
 public:
  static constexpr std::size_t kSlots = 256;

  // Equal to Atom(text).
  Atom Make(std::string_view text);

  // The calling thread's cache.
  static AtomCache& ThisThread();

 private:
  struct Slot {
    std::size_t hash = 0;
    Atom atom;
  };
  std::array<Slot, kSlots> slots_;
};

}  // namespace gx
