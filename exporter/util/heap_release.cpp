#include "exporter/util/heap_release.h"

#include <malloc.h>

namespace gx {

void ReleaseFreeHeap() { malloc_trim(0); }

}  // namespace gx
