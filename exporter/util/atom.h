// Atom: an immutable string held once per process however many values name it (a site,
// a status, a codec, a line id read again by every listing), in an 8-byte handle.
// Equal texts give the same atom, so comparing two atoms compares pointers, and a
// listing read again shares the texts the state already holds instead of copying them.
//
// The texts live in one process-wide table, each for as long as an atom names it
// (reference counted; the last atom of a text removes it). Making an atom from a text
// locks the table; copying, reading and dropping an atom do not (an atomic count, the
// table only when the last reference goes). Atoms are as thread-safe as std::shared_ptr:
// an atom of a published snapshot may be read and copied from any number of threads
// while others make and drop atoms. The empty text is the null handle (no entry).
#pragma once

#include <atomic>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace gx {

class Atom {
 public:
  Atom() = default;
  // Implicit, so that values are written as the strings they hold (`p.state = "active"`).
  Atom(std::string_view text);  // NOLINT(google-explicit-constructor)
  Atom(const std::string& text) : Atom(std::string_view(text)) {}  // NOLINT
  Atom(const char* text) : Atom(std::string_view(text)) {}          // NOLINT
  Atom(const Atom& other) noexcept : entry_(other.entry_) { Retain(entry_); }
  Atom(Atom&& other) noexcept : entry_(std::exchange(other.entry_, nullptr)) {}
  Atom& operator=(const Atom& other) noexcept {
    Atom copy(other);
    std::swap(entry_, copy.entry_);
    return *this;
  }
  Atom& operator=(Atom&& other) noexcept {
    std::swap(entry_, other.entry_);
    return *this;
  }
  ~Atom() { Release(entry_); }

  const std::string& str() const { return entry_ ? entry_->text : Empty(); }
  operator const std::string&() const { return str(); }  // NOLINT(google-explicit-constructor)
  operator std::string_view() const { return str(); }     // NOLINT(google-explicit-constructor)
  std::string_view view() const { return str(); }
  const char* c_str() const { return str().c_str(); }
  bool empty() const { return entry_ == nullptr; }
  std::size_t size() const { return str().size(); }

  friend bool operator==(const Atom& a, const Atom& b) { return a.entry_ == b.entry_; }
  template <typename S>
    requires(std::is_convertible_v<const S&, std::string_view> && !std::is_same_v<S, Atom>)
  friend bool operator==(const Atom& a, const S& b) {
    return a.view() == std::string_view(b);
  }
  friend std::strong_ordering operator<=>(const Atom& a, const Atom& b) {
    return a.entry_ == b.entry_ ? std::strong_ordering::equal : a.view() <=> b.view();
  }
  template <typename S>
    requires(std::is_convertible_v<const S&, std::string_view> && !std::is_same_v<S, Atom>)
  friend std::strong_ordering operator<=>(const Atom& a, const S& b) {
    return a.view() <=> std::string_view(b);
  }

  // Distinct texts held by all atoms of the process (for tests and benchmarks).
  static std::size_t DistinctCount();

 private:
  struct Entry {
    std::atomic<std::uint32_t> refs{1};
    std::string text;
  };
  friend class AtomTable;

  static void Retain(Entry* e) {
    if (e) e->refs.fetch_add(1, std::memory_order_relaxed);
  }
  static void Release(Entry* e) {
    if (e && e->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) Drop(e);
  }
  static void Drop(Entry* e);  // the last reference went: out of the table
  static const std::string& Empty();

  Entry* entry_ = nullptr;
};

std::ostream& operator<<(std::ostream& os, const Atom& a);

}  // namespace gx

template <>
struct std::hash<gx::Atom> {
  std::size_t operator()(const gx::Atom& a) const noexcept { return std::hash<std::string_view>()(a.view()); }
};
