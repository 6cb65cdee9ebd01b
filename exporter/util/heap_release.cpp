#include "exporter/util/heap_release.h"

#include <malloc.h>

namespace gx {

void TuneHeapForBursts() { mallopt(M_MMAP_THRESHOLD, 128 * 1024); }

void ReleaseFreeHeap() { malloc_trim(0); }

}  // namespace gx
