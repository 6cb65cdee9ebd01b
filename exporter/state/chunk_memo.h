// ChunkMemo: what a reader derived from each chunk of a CowTable (a count, a minimum, a piece
// of text), kept between snapshots so that after a change only the changed chunks are looked
// at again. One memo follows one table of one state; it is not thread-safe (its owner, e.g.
// one /metrics collector's cache, is used by one scrape at a time).
//
// A chunk is known by its id (CowTable::chunk_id), which is never reused and changes with
// every change of its entries; the memo holds no chunk, so it keeps no old entries alive.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "exporter/state/cow_table.h"

namespace gx {

template <typename V, typename Summary>
class ChunkMemo {
 public:
  using Nodes = std::span<const typename CowTable<V>::Node>;
  struct Entry {
    std::uint64_t chunk = 0;  // CowTable::chunk_id
    Summary summary;
  };

  // Brings the memo up to `table`: a chunk it knows keeps its summary; every other chunk gets
  // summarize(Nodes). on_drop(summary) is called for each summary of a chunk the table no
  // longer has, then on_add(summary) for each new one, so that a total kept beside the memo
  // can be updated rather than recounted.
  template <typename Summarize, typename OnAdd, typename OnDrop>
  void Update(const CowTable<V>& table, Summarize&& summarize, OnAdd&& on_add, OnDrop&& on_drop) {
    std::unordered_map<std::uint64_t, std::size_t> known;
    known.reserve(entries_.size());
    for (std::size_t i = 0; i < entries_.size(); ++i) known.emplace(entries_[i].chunk, i);
    std::vector<Entry> next;
    next.reserve(table.chunk_count());
    std::vector<std::size_t> added;
    summarized_ = 0;
    for (std::size_t c = 0; c < table.chunk_count(); ++c) {
      const std::uint64_t id = table.chunk_id(c);
      if (auto it = known.find(id); it != known.end()) {
        next.push_back(std::move(entries_[it->second]));
        known.erase(it);
        continue;
      }
      next.push_back({id, summarize(table.chunk_nodes(c))});
      added.push_back(next.size() - 1);
      ++summarized_;
    }
    for (const auto& [chunk, i] : known) on_drop(std::as_const(entries_[i].summary));
    for (std::size_t i : added) on_add(std::as_const(next[i].summary));
    entries_ = std::move(next);
  }
  template <typename Summarize>
  void Update(const CowTable<V>& table, Summarize&& summarize) {
    Update(table, std::forward<Summarize>(summarize), [](const Summary&) {}, [](const Summary&) {});
  }

  // One per chunk of the table last passed to Update, in id order.
  const std::vector<Entry>& entries() const { return entries_; }
  // How many chunks the last Update summarized (the others were known).
  std::size_t summarized() const { return summarized_; }

 private:
  std::vector<Entry> entries_;
  std::size_t summarized_ = 0;
};

}  // namespace gx
