#include "exporter/outputs/http/connection_table.h"

namespace gx {

void ConnectionTable::Insert(Id id, Phase phase) {
  auto& order = Order(phase);
  entries_[id] = Entry{phase, order.insert(order.end(), id)};
}

ConnectionTable::Admission ConnectionTable::Admit(Id id) {
  Admission out;
  if (entries_.count(id) != 0) return out;
  if (entries_.size() >= cap_) {
    for (Phase droppable : {Phase::kWaiting, Phase::kReading, Phase::kWriting}) {
      if (Order(droppable).empty()) continue;
      out.evicted = Order(droppable).front();
      Remove(*out.evicted);
      break;
    }
    if (!out.evicted || entries_.size() >= cap_) return out;
  }
  Insert(id, Phase::kWaiting);
  out.admitted = true;
  return out;
}

void ConnectionTable::Set(Id id, Phase phase) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  Order(it->second.phase).erase(it->second.at);
  Insert(id, phase);
}

void ConnectionTable::Remove(Id id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  Order(it->second.phase).erase(it->second.at);
  entries_.erase(it);
}

}  // namespace gx
