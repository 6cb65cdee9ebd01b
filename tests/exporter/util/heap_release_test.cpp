// The trim after a burst: memory freed below a block that is still in use (the long-lived
// state allocated after the burst) is not returned by free() itself; ReleaseFreeHeap returns it.
#include "exporter/util/heap_release.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

namespace gx {
namespace {

long ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

// A sanitizer's allocator replaces glibc's malloc, on which malloc_trim acts.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GX_GLIBC_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GX_GLIBC_MALLOC 0
#endif
#endif
#ifndef GX_GLIBC_MALLOC
#define GX_GLIBC_MALLOC 1
#endif

TEST(HeapRelease, FreedBurstBelowALiveBlockIsReturned) {
  if (!GX_GLIBC_MALLOC) GTEST_SKIP() << "built with a sanitizer, whose allocator replaces glibc malloc";
  constexpr std::size_t kBlocks = 40 * 1024, kBlock = 1024;  // 40 MiB of small blocks
  std::vector<void*> burst;
  burst.reserve(kBlocks);
  for (std::size_t i = 0; i < kBlocks; ++i) {
    burst.push_back(std::malloc(kBlock));
    std::memset(burst.back(), 1, kBlock);
  }
  // Above the burst (a size no free list holds, below the mmap threshold: cut from the top):
  // free() cannot shrink the heap past it.
  void* pin = std::malloc(120000);
  std::memset(pin, 1, 120000);
  for (void* p : burst) std::free(p);
  const long before = ResidentBytes();
  ReleaseFreeHeap();
  const long after = ResidentBytes();
  EXPECT_GT(before - after, 20L << 20) << "resident before " << before << ", after " << after;
  std::free(pin);
}

}  // namespace
}  // namespace gx
