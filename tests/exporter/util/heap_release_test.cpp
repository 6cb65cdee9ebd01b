// The trim after a burst: memory freed below a block that is still in use (the long-lived
// state allocated after the burst) is not returned by free() itself; ReleaseFreeHeap returns it.
#include "exporter/util/heap_release.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <malloc.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <thread>
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

// The heaps malloc_info reports (one <heap> per arena).
int ArenaCount() {
  char* text = nullptr;
  std::size_t size = 0;
  FILE* f = open_memstream(&text, &size);
  malloc_info(0, f);
  std::fclose(f);
  int n = 0;
  for (const char* p = text; (p = std::strstr(p, "<heap nr=")) != nullptr; ++p) ++n;
  std::free(text);
  return n;
}

// Threads that allocate at the same time get arenas of their own, up to the limit only.
TEST(HeapRelease, ThreadsAllocatingAtOnceShareTheLimitedArenas) {
  if (!GX_GLIBC_MALLOC) GTEST_SKIP() << "built with a sanitizer, whose allocator replaces glibc malloc";
  if (std::getenv("MALLOC_ARENA_MAX")) GTEST_SKIP() << "MALLOC_ARENA_MAX is set: the environment decides";
  LimitHeapArenas(2);
  std::atomic<int> holding{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      std::vector<void*> blocks;
      for (int i = 0; i < 1000; ++i) blocks.push_back(std::malloc(256));
      holding.fetch_add(1);
      while (holding.load() < 8) std::this_thread::yield();  // all allocate while the others hold
      for (void* p : blocks) std::free(p);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(ArenaCount(), 2);
}

}  // namespace
}  // namespace gx
