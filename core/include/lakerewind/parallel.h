/* parallel.h - run the same job over n independent items on a few threads (per-table work of a
 * rollback: analysis, validation, checkpoint snapshots), so a lakehouse on a cloud store is
 * read with several requests in flight instead of one table after another. */
#ifndef LAKEREWIND_PARALLEL_H
#define LAKEREWIND_PARALLEL_H

#include <stddef.h>

/* Call fn(i, payload) once for every i in [0, n), on up to `threads` threads (the calling
 * thread waits; with threads <= 1, or when no thread can be created, it does the work itself).
 * Items are taken in index order; fn must only touch item i's state (or lock what it shares).
 * Returns when every call has returned. */
void lr_parallel_for(size_t n, size_t threads, void (*fn)(size_t i, void *payload),
                     void *payload);

#endif
