// The heap's free memory, given back to the system. A complete phones inventory is a burst
// (tens of MB of listing pages, parsed entities and the next table, per 50,000 phones) that
// is freed again once applied; glibc keeps such memory in its arenas, interleaved with the
// long-lived state, so without a trim the resident size stays at the burst's high-water mark.
// (A fixed, low mmap threshold for the burst's large blocks was measured too: it helped at
// 50,000 phones and cost 450 MB more at 200,000, so it is not used.) Thread-safe.
#pragma once

namespace gx {

// After a burst has been freed: returns every whole free page of every arena (malloc_trim).
// Costs a pass over the arenas (milliseconds); call it once per burst, not per scrape.
void ReleaseFreeHeap();

}  // namespace gx
