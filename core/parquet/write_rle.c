/* write_rle.c - the RLE/bit-packed hybrid encoder (levels, dictionary ids) and PLAIN boolean
 * bit packing, for the writer. Runs of 8 or more equal values become RLE runs; everything
 * else goes into bit-packed groups of 8 (the last group zero-padded). */
#include <string.h>

#include "parquet/thrift_write.h"
#include "parquet/write_internal.h"

int w_bit_width(uint32_t max)
{
    int w = 0;
    while (max) {
        w++;
        max >>= 1;
    }
    return w;
}

static inline uint32_t get(const void *v, bool is_u8, size_t i)
{
    return is_u8 ? ((const uint8_t *)v)[i] : ((const uint32_t *)v)[i];
}

/* Length of the run of equal values starting at i, counting at most `cap`. */
static size_t run_at(const void *v, bool is_u8, size_t i, size_t n, size_t cap)
{
    uint32_t x = get(v, is_u8, i);
    size_t j = i + 1;
    while (j < n && j - i < cap && get(v, is_u8, j) == x)
        j++;
    return j - i;
}

static int put_rle_run(struct lr_buf *out, uint32_t value, size_t count, int width,
                       struct lr_error *err)
{
    int rc = lr_tw_put_varint(out, (uint64_t)count << 1, err);
    if (rc < 0)
        return rc;
    uint8_t le[4];
    int nbytes = (width + 7) / 8;
    for (int k = 0; k < nbytes; k++)
        le[k] = (uint8_t)(value >> (8 * k));
    return lr_buf_append(out, le, (size_t)nbytes, err);
}

static int put_packed(struct lr_buf *out, const void *v, bool is_u8, size_t start, size_t groups,
                      size_t n, int width, struct lr_error *err)
{
    int rc = lr_tw_put_varint(out, ((uint64_t)groups << 1) | 1, err);
    if (rc < 0)
        return rc;
    size_t nbytes = groups * (size_t)width;
    rc = lr_buf_reserve(out, nbytes, err);
    if (rc < 0)
        return rc;
    uint8_t *p = out->data + out->len;
    uint64_t acc = 0;
    int bits = 0;
    size_t k = 0;
    for (size_t i = start; i < start + groups * 8; i++) {
        uint64_t x = i < n ? get(v, is_u8, i) : 0;
        acc |= x << bits;
        bits += width;
        while (bits >= 8) {
            p[k++] = (uint8_t)acc;
            acc >>= 8;
            bits -= 8;
        }
    }
    /* groups of 8 values always end on a byte boundary */
    out->len += nbytes;
    out->data[out->len] = '\0';
    return 0;
}

static int rle_hybrid(struct lr_buf *out, const void *v, bool is_u8, size_t n, int width,
                      struct lr_error *err)
{
    if (width < 1 || width > 32)
        return lr_error_set(err, LR_EINVAL, "RLE encoder: bit width %d outside 1..32", width);
    size_t i = 0;
    while (i < n) {
        size_t run = run_at(v, is_u8, i, n, SIZE_MAX);
        if (run >= 8) {
            int rc = put_rle_run(out, get(v, is_u8, i), run, width, err);
            if (rc < 0)
                return rc;
            i += run;
            continue;
        }
        size_t start = i;
        size_t groups = 0;
        while (i < n) {
            if (groups > 0 && run_at(v, is_u8, i, n, 8) >= 8)
                break;
            i += 8;
            groups++;
        }
        if (i > n)
            i = n;
        int rc = put_packed(out, v, is_u8, start, groups, n, width, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int w_rle_u8(struct lr_buf *out, const uint8_t *v, size_t n, int width, struct lr_error *err)
{
    return rle_hybrid(out, v, true, n, width, err);
}

int w_rle_u32(struct lr_buf *out, const uint32_t *v, size_t n, int width, struct lr_error *err)
{
    return rle_hybrid(out, v, false, n, width, err);
}

int w_bitpack_bools(struct lr_buf *out, const uint8_t *v, size_t n, struct lr_error *err)
{
    size_t nbytes = (n + 7) / 8;
    int rc = lr_buf_reserve(out, nbytes, err);
    if (rc < 0)
        return rc;
    uint8_t *p = out->data + out->len;
    memset(p, 0, nbytes);
    for (size_t i = 0; i < n; i++)
        if (v[i])
            p[i / 8] |= (uint8_t)(1u << (i % 8));
    out->len += nbytes;
    out->data[out->len] = '\0';
    return 0;
}
