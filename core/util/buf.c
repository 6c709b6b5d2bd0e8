/* buf.c - growable byte buffer with a limit (see buf.h). */
#include "lakerewind/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lr_buf_init(struct lr_buf *b, size_t limit)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->limit = limit;
}

int lr_buf_reserve(struct lr_buf *b, size_t extra, struct lr_error *err)
{
    if (extra > SIZE_MAX - b->len - 1)
        return lr_error_set(err, LR_ELIMIT, "buffer size overflow");
    size_t need = b->len + extra + 1;
    if (b->limit && b->len + extra > b->limit)
        return lr_error_set(err, LR_ELIMIT, "data exceeds the %zu-byte limit", b->limit);
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    uint8_t *p = realloc(b->data, cap);
    if (!p)
        return lr_error_set(err, LR_ENOMEM, "out of memory growing a buffer to %zu bytes", cap);
    b->data = p;
    b->cap = cap;
    return 0;
}

int lr_buf_append(struct lr_buf *b, const void *data, size_t len, struct lr_error *err)
{
    int rc = lr_buf_reserve(b, len, err);
    if (rc < 0)
        return rc;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int lr_buf_append_str(struct lr_buf *b, const char *s, struct lr_error *err)
{
    return lr_buf_append(b, s, strlen(s), err);
}

int lr_buf_printf(struct lr_buf *b, struct lr_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return lr_error_set(err, LR_EINVAL, "bad format string");
    int rc = lr_buf_reserve(b, (size_t)n, err);
    if (rc < 0)
        return rc;
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void lr_buf_reset(struct lr_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void lr_buf_free(struct lr_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

uint8_t *lr_buf_take(struct lr_buf *b, size_t *len_out)
{
    uint8_t *p = b->data;
    if (len_out)
        *len_out = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
