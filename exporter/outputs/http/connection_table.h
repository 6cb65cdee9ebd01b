// The web server's open connections against its cap, and which one to drop when a new one
// arrives at the cap: the one waiting longest for a request (idle), else the one reading a
// request longest (a slowloris), else the one writing its response longest (a client that
// does not read it), never one whose handler runs. Bookkeeping only, no I/O. Not thread-safe:
// the server's I/O thread owns it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <unordered_map>

namespace gx {

class ConnectionTable {
 public:
  using Id = std::uint64_t;
  enum class Phase {
    kWaiting,    // no byte of the next request yet (new, kept alive, or closing)
    kReading,    // part of a request (or the TLS handshake) received, or its check (bcrypt) waits
    kWriting,    // the response is being written
    kAnswering,  // a handler runs
  };
  struct Admission {
    bool admitted = false;
    std::optional<Id> evicted;  // already removed here; the caller closes it
  };

  explicit ConnectionTable(std::size_t cap) : cap_(cap) {}

  // A new connection, kWaiting. Under the cap it is admitted; at the cap, admitted in place
  // of the connection that may be dropped (waiting longest, else reading longest, else
  // writing longest), else refused.
  Admission Admit(Id id);
  // Moves `id` to `phase`, as the newest of that phase. Unknown ids are ignored.
  void Set(Id id, Phase phase);
  // Forgets `id` (idempotent).
  void Remove(Id id);
  std::size_t size() const { return entries_.size(); }
  std::size_t cap() const { return cap_; }

 private:
  struct Entry {
    Phase phase;
    std::list<Id>::iterator at;
  };
  std::list<Id>& Order(Phase p) { return order_[static_cast<std::size_t>(p)]; }
  void Insert(Id id, Phase phase);

  std::size_t cap_;
  std::unordered_map<Id, Entry> entries_;
  std::array<std::list<Id>, 4> order_;  // per phase, oldest first
};

}  // namespace gx
