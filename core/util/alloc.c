/* alloc.c - lr_alloc_prefer_reuse (see lakerewind/alloc.h). */
#include "lakerewind/alloc.h"

#include <stdlib.h> /* defines __GLIBC__ on glibc */
#ifdef __GLIBC__
#include <malloc.h>
#endif

void lr_alloc_prefer_reuse(void)
{
#ifdef __GLIBC__
    /* fixed values also turn off glibc's own adjustment of both thresholds */
    (void)mallopt(M_MMAP_THRESHOLD, 32 << 20);
    (void)mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}
