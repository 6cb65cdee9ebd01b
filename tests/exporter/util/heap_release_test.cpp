// The heap tuning for bursts: after a large block was freed (which makes glibc raise its mmap
// threshold by default), a page-sized burst is still mapped on its own, so freeing it returns
// the memory instead of leaving it in an arena between long-lived blocks.
#include "exporter/util/heap_release.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdlib>
#include <cstring>

namespace gx {
namespace {

std::size_t MappedBytes() { return mallinfo2().hblkhd; }

TEST(HeapRelease, BurstBlocksStayMappedAfterALargeFree) {
  TuneHeapForBursts();
  void* large = std::malloc(24 << 20);
  ASSERT_NE(large, nullptr);
  std::memset(large, 1, 24 << 20);
  std::free(large);  // by default this raises the threshold to 24 MiB
  const std::size_t before = MappedBytes();
  void* page_body = std::malloc(1 << 20);  // a listing page's size
  ASSERT_NE(page_body, nullptr);
  EXPECT_GE(MappedBytes(), before + (1 << 20)) << "a 1 MiB block came from an arena";
  std::free(page_body);
  EXPECT_LT(MappedBytes(), before + (1 << 20)) << "freeing it unmapped it";
  ReleaseFreeHeap();  // and the trim itself is safe to call at any time
}

}  // namespace
}  // namespace gx
