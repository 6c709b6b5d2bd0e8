/* buf.h - a growable byte buffer with an optional size limit.
 *
 * Ownership: the struct is caller-owned; its bytes belong to it until lr_buf_free() or
 * lr_buf_take(). data is always NUL-terminated one past len (handy for text), never counted. */
#ifndef LAKEREWIND_BUF_H
#define LAKEREWIND_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "lakerewind/error.h"

struct lr_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
    size_t limit; /* 0 = no limit; appends past it fail with LR_ELIMIT */
};

#define LR_BUF_INIT {NULL, 0, 0, 0}

void lr_buf_init(struct lr_buf *b, size_t limit);
int lr_buf_reserve(struct lr_buf *b, size_t extra, struct lr_error *err);
int lr_buf_append(struct lr_buf *b, const void *data, size_t len, struct lr_error *err);
int lr_buf_append_str(struct lr_buf *b, const char *s, struct lr_error *err);
int lr_buf_printf(struct lr_buf *b, struct lr_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void lr_buf_reset(struct lr_buf *b); /* len = 0, keeps memory */
void lr_buf_free(struct lr_buf *b);

/* Give the bytes away: returns data (caller frees with free()), leaves b empty. */
uint8_t *lr_buf_take(struct lr_buf *b, size_t *len_out);

#endif
