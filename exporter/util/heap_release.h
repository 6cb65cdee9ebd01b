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

// The arenas glibc may make, at most. By default each thread that allocates while the
// others hold their arenas gets one more (up to 8 per core), and each keeps the free memory
// of its own bursts (a listing on a poller thread, a scrape on a web thread). One arena:
// at 50,000 phones 187 MB resident with the default, 140 with two, 130 with one; at 200,000
// 504 MB with two, 440 with one; scrape CPU unchanged (docs/benchmarks.md). Call before
// starting threads; a MALLOC_ARENA_MAX in the environment wins.
inline constexpr int kHeapArenas = 1;
void LimitHeapArenas(int arenas = kHeapArenas);

}  // namespace gx
