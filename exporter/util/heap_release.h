// The heap's free memory, given back to the system. A complete phones inventory is a burst
// (tens of MB of listing pages, parsed entities and the next table, per 50,000 phones) that
// is freed again once applied; glibc keeps such memory in its arenas, interleaved with the
// long-lived state, so without help the resident size stays at the burst's high-water mark.
// Thread-safe.
#pragma once

namespace gx {

// At start: large blocks (>= 128 KiB: page bodies, listing vectors, parse buffers) are
// mapped on their own and unmapped when freed, instead of glibc's default of raising that
// threshold up to 32 MiB after the first large free, which puts every later page body into
// the arenas.
void TuneHeapForBursts();

// After a burst has been freed: returns every whole free page of every arena (malloc_trim).
// Costs a pass over the arenas (milliseconds); call it once per burst, not per scrape.
void ReleaseFreeHeap();

}  // namespace gx
