// InlineVector<T>: a vector that holds its first element in place. A phone has one line
// nearly always, and a std::vector would spend a heap block (and 24 bytes) on it; this
// costs the element plus 8 bytes, and a heap block of exactly the size copied only for
// two elements or more. The subset of std::vector the entity values use; not thread-safe
// (a const one may be read from any number of threads, like a std::vector).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace gx {

template <typename T>
class InlineVector {
  static_assert(std::is_nothrow_move_constructible_v<T>, "moves of an InlineVector are noexcept");

 public:
  using value_type = T;
  using size_type = std::size_t;
  using iterator = T*;
  using const_iterator = const T*;

  InlineVector() noexcept {}
  InlineVector(std::initializer_list<T> items) { Assign(items.begin(), items.end()); }
  InlineVector(const InlineVector& other) { Assign(other.begin(), other.end()); }
  InlineVector(InlineVector&& other) noexcept { Steal(other); }
  InlineVector& operator=(const InlineVector& other) {
    if (this != &other) {
      Free();
      Assign(other.begin(), other.end());
    }
    return *this;
  }
  InlineVector& operator=(InlineVector&& other) noexcept {
    if (this != &other) {
      Free();
      Steal(other);
    }
    return *this;
  }
  InlineVector& operator=(std::initializer_list<T> items) { return *this = InlineVector(items); }
  ~InlineVector() { Free(); }

  size_type size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_type capacity() const { return capacity_; }
  T* data() { return OnHeap() ? heap_ : &one_; }
  const T* data() const { return OnHeap() ? heap_ : &one_; }
  iterator begin() { return data(); }
  iterator end() { return data() + size_; }
  const_iterator begin() const { return data(); }
  const_iterator end() const { return data() + size_; }
  T& operator[](size_type i) { return data()[i]; }
  const T& operator[](size_type i) const { return data()[i]; }
  T& at(size_type i) { return i < size_ ? data()[i] : throw std::out_of_range("InlineVector::at"); }
  const T& at(size_type i) const { return i < size_ ? data()[i] : throw std::out_of_range("InlineVector::at"); }
  T& front() { return data()[0]; }
  const T& front() const { return data()[0]; }
  T& back() { return data()[size_ - 1]; }
  const T& back() const { return data()[size_ - 1]; }

  void push_back(const T& item) { emplace_back(item); }
  void push_back(T&& item) { emplace_back(std::move(item)); }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    if (size_ == capacity_) {
      // Built before the move, so that an argument naming one of our elements stays valid.
      T item(std::forward<Args>(args)...);
      Grow(capacity_ * 2);
      return *new (data() + size_++) T(std::move(item));
    }
    return *new (data() + size_++) T(std::forward<Args>(args)...);
  }
  void reserve(size_type n) {
    if (n > capacity_) Grow(n);
  }
  void clear() {
    std::destroy(begin(), end());
    size_ = 0;
  }

  friend bool operator==(const InlineVector& a, const InlineVector& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  bool OnHeap() const { return capacity_ > 1; }

  template <typename It>
  void Assign(It first, It last) {
    reserve(static_cast<size_type>(last - first));
    for (; first != last; ++first) emplace_back(*first);
  }

  // Moves the elements into a heap block of `n` (n > 1).
  void Grow(size_type n) {
    if (n > UINT32_MAX) throw std::length_error("InlineVector: too many elements");
    T* block = std::allocator<T>().allocate(n);
    std::uninitialized_move(begin(), end(), block);
    std::destroy(begin(), end());
    if (OnHeap()) std::allocator<T>().deallocate(heap_, capacity_);
    heap_ = block;
    capacity_ = static_cast<std::uint32_t>(n);
  }

  void Free() noexcept {
    std::destroy(begin(), end());
    if (OnHeap()) std::allocator<T>().deallocate(heap_, capacity_);
    size_ = 0;
    capacity_ = 1;
  }

  // Takes other's elements and leaves it empty; *this holds none.
  void Steal(InlineVector& other) noexcept {
    if (other.OnHeap()) {
      heap_ = other.heap_;
      capacity_ = other.capacity_;
      size_ = other.size_;
      other.capacity_ = 1;
      other.size_ = 0;
      return;
    }
    if (other.size_ == 1) {
      new (&one_) T(std::move(other.one_));
      other.one_.~T();
    }
    size_ = std::exchange(other.size_, 0);
    capacity_ = 1;
  }

  union {
    T one_;    // capacity_ == 1: the element, when size_ == 1
    T* heap_ = nullptr;  // capacity_ > 1
  };
  std::uint32_t size_ = 0;
  std::uint32_t capacity_ = 1;
};

}  // namespace gx
