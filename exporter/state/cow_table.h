// CowTable: a map from a string id to an immutable value, kept in id order and
// shared between state snapshots. Copying a table costs one reference count. A
// change copies only what it touches: the chunk index and one chunk (each about
// sqrt(n) pointers), never the whole table, so publishing a snapshot after one
// pushed event costs O(sqrt n) pointer copies.
// Within one write batch a chunk already copied is owned by the draft alone and
// is changed in place. `version()` moves on every change and `key_version()` on
// every change of the set of ids, so a reader can cache what it derived from a
// table; ForEachChange() walks what differs from an older copy of the table,
// skipping the chunks they share. A const table may be read from any number of
// threads; changing one is for its single writer.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace gx {

template <typename V>
class CowTable {
 public:
  using key_type = std::string;
  using mapped_type = V;
  using value_type = std::pair<const std::string, V>;
  using Node = std::shared_ptr<const value_type>;
  // A rebuilt table fills chunks to about sqrt(n) nodes (at least kMinChunk), so
  // that the index and one chunk, the two arrays a change copies, are about the
  // same length; a chunk that grows past twice that splits.
  static constexpr std::size_t kMinChunk = 64;

 private:
  struct Chunk {
    std::vector<Node> nodes;  // sorted by key, unique, never empty
    // Unique among all chunks ever made, and renewed by every change, also one made in place:
    // an equal id means the same entries, without holding the chunk (ChunkMemo).
    std::uint64_t id = NextChunkId();
  };
  static std::uint64_t NextChunkId() {
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
  }
  using ChunkPtr = std::shared_ptr<Chunk>;  // changed only while the draft holds the one reference
  struct Index {
    std::vector<ChunkPtr> chunks;
    // The last key of each chunk, pointing into its (immutable) last node, so
    // that finding the chunk of a key compares keys without chasing chunk pointers.
    std::vector<const std::string*> last;
    std::size_t size = 0;
    std::size_t chunk_target = kMinChunk;
  };

 public:
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = CowTable::value_type;
    using difference_type = std::ptrdiff_t;
    using pointer = const value_type*;
    using reference = const value_type&;

    const_iterator() = default;
    reference operator*() const { return *index_->chunks[chunk_]->nodes[pos_]; }
    pointer operator->() const { return index_->chunks[chunk_]->nodes[pos_].get(); }
    const Node& node() const { return index_->chunks[chunk_]->nodes[pos_]; }
    const_iterator& operator++() {
      if (++pos_ == index_->chunks[chunk_]->nodes.size()) {
        ++chunk_;
        pos_ = 0;
      }
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator old = *this;
      ++*this;
      return old;
    }
    bool operator==(const const_iterator& o) const { return chunk_ == o.chunk_ && pos_ == o.pos_; }

   private:
    friend class CowTable;
    const_iterator(const Index* index, std::size_t chunk, std::size_t pos) : index_(index), chunk_(chunk), pos_(pos) {}
    const Index* index_ = nullptr;
    std::size_t chunk_ = 0;
    std::size_t pos_ = 0;
  };
  using iterator = const_iterator;

  CowTable() = default;

  std::size_t size() const { return index_ ? index_->size : 0; }
  bool empty() const { return size() == 0; }
  std::uint64_t version() const { return version_; }
  // Moves when an id is added or removed, not when a value is replaced.
  std::uint64_t key_version() const { return key_version_; }

  // Calls on_change(key, before, after) for every entry that differs between
  // `older` (an earlier copy of this table) and this one, in id order: before is
  // null for an added id, after for a removed one. Entries count as the same
  // when they share their node, so a replaced but equal value may be reported.
  // Chunks both tables share are skipped whole: after one change this costs the
  // chunk index and one chunk, not the table.
  template <typename OnChange>
  void ForEachChange(const CowTable& older, OnChange&& on_change) const {
    if (index_ == older.index_) return;
    const_iterator a = older.begin(), a_end = older.end();
    const_iterator b = begin(), b_end = end();
    while (a != a_end && b != b_end) {
      // Both at the start of the same chunk: nothing in it changed.
      if (a.pos_ == 0 && b.pos_ == 0 && a.index_->chunks[a.chunk_] == b.index_->chunks[b.chunk_]) {
        ++a.chunk_;
        ++b.chunk_;
        continue;
      }
      const Node& na = a.node();
      const Node& nb = b.node();
      if (na == nb) {  // the same node: unchanged, and its key is not even read (a cache miss saved)
        ++a;
        ++b;
      } else if (na->first == nb->first) {
        on_change(nb->first, &na->second, &nb->second);
        ++a;
        ++b;
      } else if (na->first < nb->first) {
        on_change(na->first, &na->second, static_cast<const V*>(nullptr));
        ++a;
      } else {
        on_change(nb->first, static_cast<const V*>(nullptr), &nb->second);
        ++b;
      }
    }
    for (; a != a_end; ++a) on_change(a->first, &a->second, static_cast<const V*>(nullptr));
    for (; b != b_end; ++b) on_change(b->first, static_cast<const V*>(nullptr), &b->second);
  }

  const_iterator begin() const { return index_ ? const_iterator(index_.get(), 0, 0) : const_iterator(); }
  const_iterator end() const {
    return index_ ? const_iterator(index_.get(), index_->chunks.size(), 0) : const_iterator();
  }

  const_iterator find(const std::string& key) const {
    std::size_t c = 0, p = 0;
    return Locate(key, c, p) ? const_iterator(index_.get(), c, p) : end();
  }
  std::size_t count(const std::string& key) const { return find(key) == end() ? 0 : 1; }
  bool contains(const std::string& key) const { return find(key) != end(); }
  // The value, or nullptr when absent.
  const V* Find(const std::string& key) const {
    auto it = find(key);
    return it == end() ? nullptr : &it->second;
  }
  const V& at(const std::string& key) const {
    auto it = find(key);
    if (it == end()) throw std::out_of_range("CowTable::at: " + key);
    return it->second;
  }
  Node FindNode(const std::string& key) const {
    auto it = find(key);
    return it == end() ? nullptr : it.node();
  }

  // The chunks, in key order, for readers that keep something derived per chunk (ChunkMemo).
  // chunk_id(i) is never reused and changes with every change of the chunk's entries.
  std::size_t chunk_count() const { return index_ ? index_->chunks.size() : 0; }
  std::uint64_t chunk_id(std::size_t i) const { return index_->chunks[i]->id; }
  std::span<const Node> chunk_nodes(std::size_t i) const { return index_->chunks[i]->nodes; }

  static Node MakeNode(std::string key, V value) {
    return std::make_shared<const value_type>(std::move(key), std::move(value));
  }

  // Inserts or replaces one entry.
  void Put(std::string key, V value) { PutNode(MakeNode(std::move(key), std::move(value))); }
  void PutNode(Node node) {
    ++version_;
    if (!index_) index_ = std::make_shared<Index>();
    Index& idx = OwnIndex();
    if (idx.chunks.empty()) {
      ++key_version_;
      idx.chunks.push_back(std::make_shared<Chunk>());
      idx.chunks.back()->nodes.push_back(std::move(node));
      idx.last.push_back(&idx.chunks.back()->nodes.back()->first);
      idx.size = 1;
      return;
    }
    // The first chunk whose last key is not below the key, else the last chunk.
    std::size_t c = ChunkFor(node->first);
    if (c == idx.chunks.size()) c = idx.chunks.size() - 1;
    Chunk& chunk = OwnChunk(c);
    auto at = std::lower_bound(chunk.nodes.begin(), chunk.nodes.end(), node->first,
                               [](const Node& n, const std::string& k) { return n->first < k; });
    if (at != chunk.nodes.end() && (*at)->first == node->first) {
      *at = std::move(node);
    } else {
      chunk.nodes.insert(at, std::move(node));
      ++idx.size;
      ++key_version_;
    }
    idx.last[c] = &chunk.nodes.back()->first;
    if (chunk.nodes.size() > 2 * idx.chunk_target) {
      const std::size_t half = chunk.nodes.size() / 2;
      auto upper = std::make_shared<Chunk>();
      upper->nodes.assign(chunk.nodes.begin() + static_cast<std::ptrdiff_t>(half), chunk.nodes.end());
      chunk.nodes.resize(half);
      idx.last[c] = &chunk.nodes.back()->first;
      const std::string* upper_last = &upper->nodes.back()->first;
      idx.chunks.insert(idx.chunks.begin() + static_cast<std::ptrdiff_t>(c) + 1, std::move(upper));
      idx.last.insert(idx.last.begin() + static_cast<std::ptrdiff_t>(c) + 1, upper_last);
    }
  }

  // Removes one entry; false when it was absent.
  bool Erase(const std::string& key) {
    std::size_t c = 0, p = 0;
    if (!Locate(key, c, p)) return false;
    ++version_;
    ++key_version_;
    Index& idx = OwnIndex();
    Chunk& chunk = OwnChunk(c);
    chunk.nodes.erase(chunk.nodes.begin() + static_cast<std::ptrdiff_t>(p));
    --idx.size;
    if (chunk.nodes.empty()) {
      idx.chunks.erase(idx.chunks.begin() + static_cast<std::ptrdiff_t>(c));
      idx.last.erase(idx.last.begin() + static_cast<std::ptrdiff_t>(c));
    } else {
      idx.last[c] = &chunk.nodes.back()->first;
    }
    return true;
  }

  // Removes every entry for which pred(key, value) holds; returns how many.
  template <typename Pred>
  std::size_t EraseIf(Pred&& pred) {
    auto it = begin();
    while (it != end() && !pred(it->first, it->second)) ++it;
    if (it == end()) return 0;  // the usual case (a sweep of a listing that named everything): no copy
    std::vector<Node> keep;
    keep.reserve(size());
    for (auto k = begin(); k != it; ++k) keep.push_back(k.node());
    std::size_t removed = 1;
    for (++it; it != end(); ++it) {
      if (pred(it->first, it->second)) {
        ++removed;
      } else {
        keep.push_back(it.node());
      }
    }
    AssignSorted(std::move(keep));
    return removed;
  }

  // Replaces the whole content (a complete inventory). `nodes` may be in any
  // order; of equal keys the last wins. Unchanged nodes may be passed through
  // (FindNode) so that snapshots keep sharing them.
  void Assign(std::vector<Node> nodes) {
    std::stable_sort(nodes.begin(), nodes.end(), [](const Node& a, const Node& b) { return a->first < b->first; });
    // Keep the last of equal keys, as insert_or_assign would.
    std::vector<Node> unique;
    unique.reserve(nodes.size());
    for (auto& n : nodes) {
      if (!unique.empty() && unique.back()->first == n->first) {
        unique.back() = std::move(n);
      } else {
        unique.push_back(std::move(n));
      }
    }
    AssignSorted(std::move(unique));
  }

  // Re-chunks a table whose chunks are less than half the size Assign would give it (one
  // filled entry by entry grows from the smallest chunks): true when it did. The entries
  // stay, and the snapshots go on sharing them.
  bool Rebalance() {
    if (!index_ || 2 * index_->chunk_target > ChunkTargetFor(size())) return false;
    std::vector<Node> all;
    all.reserve(size());
    for (auto it = begin(); it != end(); ++it) all.push_back(it.node());
    AssignSorted(std::move(all));
    return true;
  }

  void clear() {
    if (empty()) return;
    ++version_;
    ++key_version_;
    index_.reset();
  }

 private:
  void AssignSorted(std::vector<Node> sorted) {
    ++version_;
    bool same_keys = sorted.size() == size();
    if (same_keys) {
      auto held = begin();
      for (const Node& n : sorted) {
        if (n->first != held->first) {
          same_keys = false;
          break;
        }
        ++held;
      }
    }
    if (!same_keys) ++key_version_;
    auto idx = std::make_shared<Index>();
    idx->size = sorted.size();
    const std::size_t target = ChunkTargetFor(sorted.size());
    idx->chunk_target = target;
    for (std::size_t i = 0, c = 0; i < sorted.size(); i += target, ++c) {
      const std::size_t stop = std::min(sorted.size(), i + target);
      // A chunk that holds exactly these nodes already is kept: snapshots go on sharing it,
      // and what readers derived from it stays valid (an unchanged poll keeps every chunk).
      if (index_ && c < index_->chunks.size() &&
          std::equal(sorted.begin() + static_cast<std::ptrdiff_t>(i), sorted.begin() + static_cast<std::ptrdiff_t>(stop),
                     index_->chunks[c]->nodes.begin(), index_->chunks[c]->nodes.end())) {
        idx->chunks.push_back(index_->chunks[c]);
        idx->last.push_back(&idx->chunks.back()->nodes.back()->first);
        continue;
      }
      auto chunk = std::make_shared<Chunk>();
      chunk->nodes.assign(std::make_move_iterator(sorted.begin() + static_cast<std::ptrdiff_t>(i)),
                          std::make_move_iterator(sorted.begin() + static_cast<std::ptrdiff_t>(stop)));
      idx->last.push_back(&chunk->nodes.back()->first);
      idx->chunks.push_back(std::move(chunk));
    }
    index_ = std::move(idx);
  }

  // About sqrt(n), a power of two, at least kMinChunk.
  static std::size_t ChunkTargetFor(std::size_t n) {
    std::size_t target = kMinChunk;
    while (target * target < n) target *= 2;
    return target;
  }

  std::size_t ChunkFor(const std::string& key) const {
    const auto& last = index_->last;
    auto it = std::lower_bound(last.begin(), last.end(), key,
                               [](const std::string* l, const std::string& k) { return *l < k; });
    return static_cast<std::size_t>(it - last.begin());
  }

  bool Locate(const std::string& key, std::size_t& c, std::size_t& p) const {
    if (!index_ || index_->chunks.empty()) return false;
    c = ChunkFor(key);
    if (c == index_->chunks.size()) return false;
    const auto& nodes = index_->chunks[c]->nodes;
    auto at = std::lower_bound(nodes.begin(), nodes.end(), key,
                               [](const Node& n, const std::string& k) { return n->first < k; });
    if (at == nodes.end() || (*at)->first != key) return false;
    p = static_cast<std::size_t>(at - nodes.begin());
    return true;
  }

  // The index and a chunk, copied first if a published snapshot shares them.
  // use_count() == 1 means no snapshot holds it, and none can start to: a
  // snapshot only copies the draft under the writer's lock.
  Index& OwnIndex() {
    if (index_.use_count() > 1) index_ = std::make_shared<Index>(*index_);
    return *index_;
  }
  // The caller changes it: it gets a new id either way.
  Chunk& OwnChunk(std::size_t c) {
    ChunkPtr& chunk = index_->chunks[c];
    if (chunk.use_count() > 1) chunk = std::make_shared<Chunk>(*chunk);
    chunk->id = NextChunkId();
    return *chunk;
  }

  std::shared_ptr<Index> index_;
  std::uint64_t version_ = 0;
  std::uint64_t key_version_ = 0;
};

}  // namespace gx
