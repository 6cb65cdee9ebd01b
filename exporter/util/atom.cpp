#include "exporter/util/atom.h"

#include <mutex>
#include <ostream>
#include <unordered_set>

namespace gx {

// The texts of every live atom. An entry whose count reached zero is on its way out:
// Make never revives it (that would race with its Drop), it replaces it in the set, and
// Drop removes from the set only the entry it was called for.
class AtomTable {
 public:
  using Entry = Atom::Entry;

  static AtomTable& Instance() {
    static AtomTable* table = new AtomTable;  // never destroyed: atoms may outlive static destruction
    return *table;
  }

  Entry* Make(std::string_view text) {
    const Key key{text, std::hash<std::string_view>()(text)};
    std::lock_guard lock(mu_);
    if (auto it = set_.find(key); it != set_.end()) {
      Entry* e = *it;
      if (TryRetain(e)) return e;
      set_.erase(it);  // dying: its Drop finds the new entry in its place and leaves it
    }
    auto* e = new Entry;
    e->text.assign(text);
    set_.insert(e);
    return e;
  }

  void Drop(Entry* e) {
    {
      std::lock_guard lock(mu_);
      if (auto it = set_.find(KeyOf(e)); it != set_.end() && *it == e) set_.erase(it);
    }
    delete e;  // no longer in the set: nothing can reach it
  }

  std::size_t size() {
    std::lock_guard lock(mu_);
    return set_.size();
  }

 private:
  struct Key {
    std::string_view text;
    std::size_t hash;
  };
  static Key KeyOf(const Entry* e) { return {e->text, std::hash<std::string_view>()(e->text)}; }
  // Not noexcept, so that the set keeps each node's hash (a rehash does not hash the texts again).
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(const Entry* e) const { return KeyOf(e).hash; }
    std::size_t operator()(const Key& k) const { return k.hash; }
  };
  struct Same {
    using is_transparent = void;
    bool operator()(const Entry* a, const Entry* b) const { return a == b; }
    bool operator()(const Key& k, const Entry* e) const { return k.text == e->text; }
    bool operator()(const Entry* e, const Key& k) const { return k.text == e->text; }
  };

  // A count that reached zero stays there.
  static bool TryRetain(Entry* e) {
    std::uint32_t n = e->refs.load(std::memory_order_relaxed);
    while (n != 0) {
      if (e->refs.compare_exchange_weak(n, n + 1, std::memory_order_relaxed)) return true;
    }
    return false;
  }

  std::mutex mu_;
  std::unordered_set<Entry*, Hash, Same> set_;
};

Atom::Atom(std::string_view text) {
  if (!text.empty()) entry_ = AtomTable::Instance().Make(text);
}

void Atom::Drop(Entry* e) { AtomTable::Instance().Drop(e); }

const std::string& Atom::Empty() {
  static const std::string kEmpty;
  return kEmpty;
}

std::size_t Atom::DistinctCount() { return AtomTable::Instance().size(); }

std::ostream& operator<<(std::ostream& os, const Atom& a) { return os << a.view(); }

}  // namespace gx
