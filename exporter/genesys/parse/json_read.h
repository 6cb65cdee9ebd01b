// Small tolerant readers over simdjson DOM values, shared by the Genesys parsers.
// Included only by exporter/genesys/parse/*.cpp (it pulls in simdjson).
// A missing, null or wrongly typed optional field reads as "absent". Thread-safe.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/util/atom_cache.h"
#include "exporter/util/result.h"
#include "exporter/state/entities.h"

namespace gx::json {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// REST bodies: the largest page we accept. A phones page of 1,000 entities is
// about 3 MiB, so this leaves room while refusing absurd input.
inline constexpr std::size_t kMaxBodyBytes = 64u << 20;
// WebSocket frames are single events; anything this large is hostile.
inline constexpr std::size_t kMaxFrameBytes = 16u << 20;

// The parsed DOM of one body, in a parser borrowed from this thread's spares: a
// parser keeps its buffers, so the next small body (a pushed frame, a token
// reply) is parsed without allocating. Parsers that grew past kSpareCapacity
// (a listing page) are freed rather than kept, so a thread keeps at most
// kSpareParsers small ones. One per parse call; Documents may nest.
class Document {
 public:
  static constexpr std::size_t kSpareCapacity = 64u << 10;  // bytes of JSON a kept parser was sized for
  static constexpr std::size_t kSpareParsers = 2;

  Document();
  ~Document();
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  // `what` names the resource in the error text (never the body itself).
  Status Parse(std::string_view body, std::size_t max_bytes, std::string_view what);
  element root() const { return root_; }

  // Spare parsers this thread holds (for tests).
  static std::size_t SpareCount();

 private:
  std::unique_ptr<simdjson::dom::parser> parser_;
  element root_;
};

std::optional<element> Field(element parent, std::string_view key);  // absent when null too
std::optional<object> Obj(element parent, std::string_view key);
std::optional<array> Arr(element parent, std::string_view key);
std::string_view Str(element parent, std::string_view key);  // "" when absent
inline std::string StrCopy(element parent, std::string_view key) { return std::string(Str(parent, key)); }
// A string field as an Atom, made through this thread's AtomCache: the texts entities repeat
// (statuses, sites, edges, models) are found without the atom table's lock.
inline Atom AtomStr(element parent, std::string_view key) { return AtomCache::ThisThread().Make(Str(parent, key)); }
std::optional<bool> Bool(element parent, std::string_view key);
std::optional<std::int64_t> Int(element parent, std::string_view key);  // integral doubles accepted
std::optional<UnixNanos> Time(element parent, std::string_view key);     // unparsable: absent
EntityRef Ref(element parent, std::string_view key);                     // {id,name}; empty when absent

// The strings of an array, non-strings skipped, as T: std::string, or Atom for texts many
// entities repeat.
template <typename T = std::string>
std::vector<T> StringArray(element value) {
  std::vector<T> out;
  if (!value.is_array()) return out;
  const array items = value.get_array().value_unsafe();
  out.reserve(items.size());
  for (element item : items) {
    if (!item.is_string()) continue;
    if constexpr (std::is_same_v<T, Atom>) {
      out.push_back(AtomCache::ThisThread().Make(item.get_string().value_unsafe()));
    } else {
      out.emplace_back(item.get_string().value_unsafe());
    }
  }
  return out;
}
template <typename T = std::string>
std::vector<T> StringArray(element parent, std::string_view key) {
  auto e = Field(parent, key);
  if (!e) return {};
  return StringArray<T>(*e);
}

// The *EntityListing envelope. `read(element, T&)` reads one entity and
// returns an empty status or an error naming the problem.
template <typename T, typename ReadFn>
Status ParseListing(std::string_view body, std::string_view what, Page<T>& out, ReadFn read) {
  std::vector<T>& entities = out.entities;
  Document doc;
  if (auto st = doc.Parse(body, kMaxBodyBytes, what); !st.ok()) return st;
  element root = doc.root();
  if (!root.is_object()) return Status::Error(std::string(what) + ": body is not a JSON object");
  auto list = Arr(root, "entities");
  entities.clear();
  if (!list) {
    // An empty listing may omit entities or send null; a wrong type is an error.
    auto raw = root["entities"];
    if (!raw.error() && !raw.value_unsafe().is_null()) {
      return Status::Error(std::string(what) + ": entities is not an array");
    }
  } else {
    entities.reserve(list->size());
    std::size_t index = 0;
    for (element e : *list) {
      if (!e.is_object()) {
        return Status::Error(std::string(what) + ": entity " + std::to_string(index) + " is not an object");
      }
      T value;
      if (auto st = read(e, value); !st.ok()) {
        return Status::Error(std::string(what) + ": entity " + std::to_string(index) + ": " + st.error());
      }
      entities.push_back(std::move(value));
      ++index;
    }
  }
  out.info.page_number = Int(root, "pageNumber").value_or(0);
  out.info.page_size = Int(root, "pageSize").value_or(0);
  out.info.page_count = Int(root, "pageCount");
  out.info.total = Int(root, "total");
  if (!out.info.total) out.info.total = Int(root, "totalNumberOfEntities");
  out.info.next_uri = StrCopy(root, "nextUri");
  return Status::Ok();
}

}  // namespace gx::json
