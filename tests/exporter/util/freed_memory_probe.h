// Test-only: whether a secret (key bytes, a password) was still in memory when that memory was
// freed, i.e. a buffer of ours that held it was not wiped. Replaces the program's global
// operator new and delete (so include it in exactly one file of a test program): while a probe
// watches, every block freed through operator delete is searched for the secret before it is
// freed. What C libraries free with free() (OpenSSL's own buffers) is not seen.
#pragma once

#include <malloc.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>

namespace gx::testing {

class FreedMemoryProbe {
 public:
  // Starts watching for `secret` (at most kMaxSecret bytes); one probe at a time.
  explicit FreedMemoryProbe(std::string_view secret) {
    length_ = secret.size() < kMaxSecret ? secret.size() : kMaxSecret;
    std::memcpy(secret_, secret.data(), length_);
    hits_ = 0;
    watching_ = true;
  }
  ~FreedMemoryProbe() { watching_ = false; }
  FreedMemoryProbe(const FreedMemoryProbe&) = delete;
  FreedMemoryProbe& operator=(const FreedMemoryProbe&) = delete;

  // Blocks freed so far, while watching, that still held the secret.
  std::size_t hits() const { return hits_.load(); }

  static void Freed(void* p) {
    if (p == nullptr || !watching_.load(std::memory_order_acquire) || length_ == 0) return;
    const std::size_t size = malloc_usable_size(p);
    if (size >= length_ && memmem(p, size, secret_, length_) != nullptr) ++hits_;
  }

 private:
  static constexpr std::size_t kMaxSecret = 256;
  static inline char secret_[kMaxSecret];
  static inline std::size_t length_ = 0;
  static inline std::atomic<std::size_t> hits_{0};
  static inline std::atomic<bool> watching_{false};
};

}  // namespace gx::testing

// Out of line, so that the compiler does not pair an inlined malloc with the free below.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
__attribute__((noinline)) void* operator new(std::size_t n) {
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
__attribute__((noinline)) void operator delete(void* p) noexcept {
  gx::testing::FreedMemoryProbe::Freed(p);
  std::free(p);
}
__attribute__((noinline)) void operator delete(void* p, std::size_t) noexcept {
  gx::testing::FreedMemoryProbe::Freed(p);
  std::free(p);
}
#pragma GCC diagnostic pop
