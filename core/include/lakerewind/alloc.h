/* alloc.h - the allocator policy of the lakerewind program. Applications opt in; the library
 * itself never changes the process's allocator. */
#ifndef LAKEREWIND_ALLOC_H
#define LAKEREWIND_ALLOC_H

/* Keep freed memory for reuse rather than handing it back to the kernel at once: blocks under
 * 32 MiB come from the heap (not mappings of their own) and the heap is trimmed only when more
 * than 512 MiB of it is free. Reading a million-file table frees and allocates again ~100 MB of
 * scratch (row-group batches, sort keys, per-row-group arrays); faulting fresh pages in is
 * costly on a VM (the 1M-file snapshot+plan benchmark: median 0.350 -> 0.310 s, 11% fewer page
 * faults). The price: the process keeps its peak heap until it exits. glibc only; elsewhere a
 * no-op. Call once, before other threads start. */
void lr_alloc_prefer_reuse(void);

#endif
