#include "exporter/util/atom_cache.h"

#include <functional>

namespace gx {

Atom AtomCache::Make(std::string_view text) {
  if (text.empty()) return Atom();
  const std::size_t hash = std::hash<std::string_view>()(text);
  Slot& slot = slots_[hash % kSlots];
  if (slot.hash != hash || slot.atom.view() != text) {
    slot.atom = Atom(text);
    slot.hash = hash;
  }
  return slot.atom;
}

AtomCache& AtomCache::ThisThread() {
  thread_local AtomCache cache;
  return cache;
}

}  // namespace gx
