#include "exporter/util/heap_release.h"

#include <malloc.h>

#include <cstdlib>

namespace gx {

void ReleaseFreeHeap() { malloc_trim(0); }

void LimitHeapArenas(int arenas) {
  if (std::getenv("MALLOC_ARENA_MAX") != nullptr) return;  // the operator's choice, applied by glibc
  mallopt(M_ARENA_MAX, arenas);
}

}  // namespace gx
