/* encoding.c - value encodings of a data page's values section, appended to a decoded
 * column (struct pq_col): PLAIN, PLAIN_DICTIONARY / RLE_DICTIONARY, RLE (booleans),
 * DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT; and
 * dictionary pages. Byte-array values are slices into page buffers the column keeps alive
 * (no per-value copies) except DELTA_BYTE_ARRAY, whose values are rebuilt into one arena. */
#include <stdlib.h>
#include <string.h>

#include "parquet/pq.h"

static int fail(struct lr_error *err, const char *enc, const char *cause)
{
    return lr_error_set(err, LR_ECORRUPT, "%s values: %s", enc, cause);
}

size_t pq_type_width(const struct lr_parquet_node *leaf)
{
    switch (leaf->type) {
    case LR_PQ_BOOLEAN:
        return 1;
    case LR_PQ_INT32:
    case LR_PQ_FLOAT:
        return 4;
    case LR_PQ_INT64:
    case LR_PQ_DOUBLE:
        return 8;
    case LR_PQ_INT96:
        return 12;
    case LR_PQ_FIXED_LEN_BYTE_ARRAY:
        return (size_t)leaf->type_length;
    default:
        return 0;
    }
}

static int ensure_vals(struct pq_col *c, size_t m, struct lr_error *err)
{
    if (c->nvals + m <= c->cap_vals)
        return 0;
    size_t cap = c->cap_vals ? c->cap_vals : 64;
    while (cap < c->nvals + m)
        cap *= 2;
    if (c->width) {
        if (cap > SIZE_MAX / c->width)
            return lr_error_set(err, LR_ELIMIT, "too many values");
        uint8_t *f = realloc(c->fixed, cap * c->width);
        if (!f)
            return lr_error_set(err, LR_ENOMEM, "out of memory for %zu values", cap);
        c->fixed = f;
    } else {
        struct lr_parquet_slice *b = realloc(c->ba, cap * sizeof *b);
        if (!b)
            return lr_error_set(err, LR_ENOMEM, "out of memory for %zu values", cap);
        c->ba = b;
    }
    c->cap_vals = cap;
    return 0;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* PLAIN into raw arrays (shared by data pages and dictionary pages). */
static int plain_fixed(uint8_t *dst, size_t w, int type, const uint8_t *p, size_t len, size_t m,
                       size_t *used, struct lr_error *err)
{
    if (type == LR_PQ_BOOLEAN) {
        size_t need = (m + 7) / 8;
        if (need > len)
            return fail(err, "PLAIN", "fewer boolean bits than values");
        for (size_t i = 0; i < m; i++)
            dst[i] = (p[i >> 3] >> (i & 7)) & 1;
        *used = need;
        return 0;
    }
    if (m && w > len / m)
        return fail(err, "PLAIN", "fewer value bytes than values");
    if (m)
        memcpy(dst, p, m * w);
    *used = m * w;
    return 0;
}

static int plain_ba(struct lr_parquet_slice *dst, const uint8_t *p, size_t len, size_t m, size_t *used,
                    struct lr_error *err)
{
    size_t pos = 0;
    for (size_t i = 0; i < m; i++) {
        if (len - pos < 4)
            return fail(err, "PLAIN", "byte array length prefix past the end");
        uint32_t l = le32(p + pos);
        pos += 4;
        if (l > len - pos)
            return fail(err, "PLAIN", "byte array runs past the end");
        dst[i].p = p + pos;
        dst[i].len = l;
        pos += l;
    }
    *used = pos;
    return 0;
}

static int uvarint(const uint8_t *p, size_t len, size_t *pos, uint64_t *out)
{
    uint64_t v = 0;
    for (int i = 0; i < 10; i++) {
        if (*pos >= len)
            return -1;
        uint8_t b = p[(*pos)++];
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return -1;
}

/* DELTA_BINARY_PACKED: exactly `want` values into out (as uint64, wrapping), the stream's
 * total_count must be >= want (== want when `exact`); *used = bytes up to the last needed
 * miniblock. */
static int dbp_decode(const uint8_t *p, size_t len, uint64_t *out, size_t want, bool exact,
                      int max_width, size_t *used, struct lr_error *err)
{
    size_t pos = 0;
    uint64_t block, mbs, total, zz;
    if (uvarint(p, len, &pos, &block) < 0 || uvarint(p, len, &pos, &mbs) < 0 ||
        uvarint(p, len, &pos, &total) < 0 || uvarint(p, len, &pos, &zz) < 0)
        return fail(err, "DELTA_BINARY_PACKED", "truncated header");
    if (block == 0 || block % 128 != 0 || block > (1u << 20))
        return fail(err, "DELTA_BINARY_PACKED", "block size not a positive multiple of 128");
    if (mbs == 0 || block % mbs != 0 || (block / mbs) % 32 != 0)
        return fail(err, "DELTA_BINARY_PACKED", "bad miniblock count");
    if (total < want || (exact && total != want))
        return fail(err, "DELTA_BINARY_PACKED", "value count differs from the page's");
    size_t vpm = (size_t)(block / mbs);
    uint64_t last = (zz >> 1) ^ (~(zz & 1) + 1);
    size_t count = 0;
    if (want > 0)
        out[count++] = last;
    uint64_t *tmp = NULL;
    int rc = 0;
    while (count < want) {
        uint64_t mdz;
        if (uvarint(p, len, &pos, &mdz) < 0) {
            rc = fail(err, "DELTA_BINARY_PACKED", "truncated block header");
            goto done;
        }
        uint64_t min_delta = (mdz >> 1) ^ (~(mdz & 1) + 1);
        if (mbs > len - pos) {
            rc = fail(err, "DELTA_BINARY_PACKED", "truncated miniblock widths");
            goto done;
        }
        const uint8_t *widths = p + pos;
        pos += (size_t)mbs;
        if (!tmp) {
            tmp = malloc(vpm * sizeof *tmp);
            if (!tmp) {
                rc = lr_error_set(err, LR_ENOMEM, "out of memory");
                goto done;
            }
        }
        for (size_t i = 0; i < mbs && count < want; i++) {
            int w = widths[i];
            if (w > max_width) {
                rc = fail(err, "DELTA_BINARY_PACKED", "miniblock bit width too large");
                goto done;
            }
            size_t bytes = vpm / 8 * (size_t)w;
            if (bytes > len - pos) {
                rc = fail(err, "DELTA_BINARY_PACKED", "miniblock runs past the end");
                goto done;
            }
            pq_unpack64(p + pos, w, tmp, vpm);
            pos += bytes;
            for (size_t k = 0; k < vpm && count < want; k++) {
                last += min_delta + tmp[k];
                out[count++] = last;
            }
        }
    }
    *used = pos;
done:
    free(tmp);
    return rc;
}

static int dbp_values(struct pq_col *c, const uint8_t *p, size_t len, size_t m,
                      struct lr_error *err)
{
    int type = c->leaf->type;
    if (type != LR_PQ_INT32 && type != LR_PQ_INT64)
        return fail(err, "DELTA_BINARY_PACKED", "encoding used on a non-integer column");
    uint64_t *tmp = malloc((m ? m : 1) * sizeof *tmp);
    if (!tmp)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    size_t used;
    int rc = dbp_decode(p, len, tmp, m, false, type == LR_PQ_INT32 ? 32 : 64, &used, err);
    if (rc >= 0) {
        uint8_t *dst = c->fixed + c->nvals * c->width;
        for (size_t i = 0; i < m; i++) {
            if (type == LR_PQ_INT32) {
                uint32_t v = (uint32_t)tmp[i];
                memcpy(dst + 4 * i, &v, 4);
            } else {
                memcpy(dst + 8 * i, &tmp[i], 8);
            }
        }
        c->nvals += m;
    }
    free(tmp);
    return rc;
}

/* DELTA_LENGTH_BYTE_ARRAY into slices; *used = bytes consumed. */
static int dlba_decode(const uint8_t *p, size_t len, struct lr_parquet_slice *dst, size_t m,
                       size_t *used, struct lr_error *err)
{
    uint64_t *lens = malloc((m ? m : 1) * sizeof *lens);
    if (!lens)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    size_t pos;
    int rc = dbp_decode(p, len, lens, m, true, 32, &pos, err);
    for (size_t i = 0; rc >= 0 && i < m; i++) {
        uint32_t l = (uint32_t)lens[i];
        if (lens[i] > UINT32_MAX / 2 || l > len - pos) {
            rc = fail(err, "DELTA_LENGTH_BYTE_ARRAY", "lengths run past the data");
            break;
        }
        dst[i].p = p + pos;
        dst[i].len = l;
        pos += l;
    }
    if (rc >= 0)
        *used = pos;
    free(lens);
    return rc;
}

static int dba_values(struct pq_col *c, const uint8_t *p, size_t len, size_t m,
                      struct lr_error *err)
{
    uint64_t *pre = malloc((m ? m : 1) * sizeof *pre);
    struct lr_parquet_slice *suf = malloc((m ? m : 1) * sizeof *suf);
    uint8_t *arena = NULL;
    int rc = 0;
    if (!pre || !suf) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    size_t used1, used2;
    rc = dbp_decode(p, len, pre, m, true, 32, &used1, err);
    if (rc < 0)
        goto done;
    rc = dlba_decode(p + used1, len - used1, suf, m, &used2, err);
    if (rc < 0)
        goto done;
    /* total size: each value is prefix (<= previous length) + suffix */
    uint64_t total = 0, prev = 0;
    for (size_t i = 0; i < m; i++) {
        if (pre[i] > prev || (i == 0 && pre[i] != 0)) {
            rc = fail(err, "DELTA_BYTE_ARRAY", "prefix longer than the previous value");
            goto done;
        }
        prev = pre[i] + suf[i].len;
        total += prev;
        if (total > PQ_MAX_PAGE) {
            rc = lr_error_set(err, LR_ELIMIT, "DELTA_BYTE_ARRAY values: more than %u bytes",
                              PQ_MAX_PAGE);
            goto done;
        }
    }
    arena = malloc(total ? (size_t)total : 1);
    if (!arena) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    size_t at = 0;
    const uint8_t *pv = NULL;
    struct lr_parquet_slice out_s;
    for (size_t i = 0; i < m; i++) {
        size_t pl = (size_t)pre[i];
        if (pl)
            memcpy(arena + at, pv, pl);
        if (suf[i].len)
            memcpy(arena + at + pl, suf[i].p, suf[i].len);
        out_s.p = arena + at;
        out_s.len = (uint32_t)(pl + suf[i].len);
        pv = arena + at;
        at += out_s.len;
        if (c->width) {
            if (out_s.len != c->width) {
                rc = fail(err, "DELTA_BYTE_ARRAY", "value length differs from the fixed width");
                goto done;
            }
            memcpy(c->fixed + (c->nvals + i) * c->width, out_s.p, c->width);
        } else {
            c->ba[c->nvals + i] = out_s;
        }
    }
    c->nvals += m;
    if (!c->width) {
        rc = pq_col_keep(c, arena, err);
        arena = NULL;
    }
done:
    free(arena);
    free(pre);
    free(suf);
    return rc;
}

static int dict_values(struct pq_col *c, const uint8_t *p, size_t len, size_t m,
                       const struct pq_dict *d, struct lr_error *err)
{
    if (!d)
        return fail(err, "dictionary", "dictionary-encoded page without a dictionary page");
    if (m == 0)
        return 0;
    if (len < 1)
        return fail(err, "dictionary", "missing index bit width");
    int w = p[0];
    if (w > 32)
        return fail(err, "dictionary", "index bit width above 32");
    if (d->n == 0)
        return fail(err, "dictionary", "index into an empty dictionary");
    uint32_t *idx = malloc(m * sizeof *idx);
    if (!idx)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int rc = pq_rle_decode32(p + 1, len - 1, w, idx, m, (uint32_t)(d->n - 1), err);
    if (rc < 0) {
        lr_error_context(err, "dictionary indices");
        free(idx);
        return rc;
    }
    if (c->width) {
        size_t cw = c->width;
        uint8_t *dst = c->fixed + c->nvals * cw;
        if (cw == 4) {
            for (size_t i = 0; i < m; i++)
                memcpy(dst + 4 * i, d->fixed + (size_t)idx[i] * 4, 4);
        } else if (cw == 8) {
            for (size_t i = 0; i < m; i++)
                memcpy(dst + 8 * i, d->fixed + (size_t)idx[i] * 8, 8);
        } else {
            for (size_t i = 0; i < m; i++)
                memcpy(dst + cw * i, d->fixed + (size_t)idx[i] * cw, cw);
        }
    } else {
        struct lr_parquet_slice *dst = c->ba + c->nvals;
        for (size_t i = 0; i < m; i++)
            dst[i] = d->ba[idx[i]];
    }
    c->nvals += m;
    free(idx);
    return 0;
}

static int rle_bool_values(struct pq_col *c, const uint8_t *p, size_t len, size_t m,
                           struct lr_error *err)
{
    if (c->leaf->type != LR_PQ_BOOLEAN)
        return fail(err, "RLE", "encoding used on a non-boolean column");
    if (len < 4)
        return fail(err, "RLE", "missing length prefix");
    uint32_t l = le32(p);
    if (l > len - 4)
        return fail(err, "RLE", "length prefix past the end");
    int rc = pq_rle_decode8(p + 4, l, 1, c->fixed + c->nvals, m, 1, err);
    if (rc < 0)
        return rc;
    c->nvals += m;
    return 0;
}

static int bss_values(struct pq_col *c, const uint8_t *p, size_t len, size_t m,
                      struct lr_error *err)
{
    size_t w = c->width;
    if (!w || c->leaf->type == LR_PQ_BOOLEAN || c->leaf->type == LR_PQ_INT96)
        return fail(err, "BYTE_STREAM_SPLIT", "encoding used on a column it does not apply to");
    if (len % w != 0 || len / w < m)
        return fail(err, "BYTE_STREAM_SPLIT", "data size is not the value count times width");
    size_t n = len / w;
    uint8_t *dst = c->fixed + c->nvals * w;
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < w; j++)
            dst[i * w + j] = p[j * n + i];
    c->nvals += m;
    return 0;
}

int pq_decode_values(struct pq_col *c, int encoding, const uint8_t *p, size_t len, size_t m,
                     const struct pq_dict *dict, struct lr_error *err)
{
    if (m == 0)
        return 0; /* an all-null page: nothing to decode, whatever the encoding */
    int rc = ensure_vals(c, m, err);
    if (rc < 0)
        return rc;
    size_t used;
    switch (encoding) {
    case 0:
        if (c->width) {
            rc = plain_fixed(c->fixed + c->nvals * c->width, c->width, c->leaf->type, p, len, m,
                             &used, err);
        } else {
            rc = plain_ba(c->ba + c->nvals, p, len, m, &used, err);
        }
        if (rc >= 0)
            c->nvals += m;
        return rc;
    case 2:
    case 8:
        return dict_values(c, p, len, m, dict, err);
    case 3:
        return rle_bool_values(c, p, len, m, err);
    case 5:
        return dbp_values(c, p, len, m, err);
    case 6:
        if (c->width)
            return fail(err, "DELTA_LENGTH_BYTE_ARRAY", "encoding used on a fixed-width column");
        rc = dlba_decode(p, len, c->ba + c->nvals, m, &used, err);
        if (rc >= 0)
            c->nvals += m;
        return rc;
    case 7:
        if (c->width && c->leaf->type != LR_PQ_FIXED_LEN_BYTE_ARRAY)
            return fail(err, "DELTA_BYTE_ARRAY", "encoding used on a non-byte-array column");
        return dba_values(c, p, len, m, err);
    case 9:
        return bss_values(c, p, len, m, err);
    default:
        return lr_error_set(err, LR_EUNSUPPORTED, "value encoding %s (%d) is not supported",
                            lr_parquet_encoding_name(encoding), encoding);
    }
}

int pq_decode_dict(struct pq_dict *d, const struct lr_parquet_node *leaf, const uint8_t *p,
                   size_t len, size_t n, struct lr_error *err)
{
    memset(d, 0, sizeof *d);
    d->width = pq_type_width(leaf);
    size_t used;
    if (d->width) {
        if (leaf->type != LR_PQ_BOOLEAN && n > len / d->width)
            return fail(err, "dictionary page", "fewer bytes than entries");
        if (leaf->type == LR_PQ_BOOLEAN && n > len * 8)
            return fail(err, "dictionary page", "fewer bits than entries");
        d->fixed = malloc(n ? n * d->width : 1);
        if (!d->fixed)
            return lr_error_set(err, LR_ENOMEM, "out of memory");
        int rc = plain_fixed(d->fixed, d->width, leaf->type, p, len, n, &used, err);
        if (rc < 0)
            return rc;
    } else {
        if (n > len / 4)
            return fail(err, "dictionary page", "fewer bytes than entries");
        d->ba = malloc(n ? n * sizeof *d->ba : 1);
        if (!d->ba)
            return lr_error_set(err, LR_ENOMEM, "out of memory");
        int rc = plain_ba(d->ba, p, len, n, &used, err);
        if (rc < 0)
            return rc;
    }
    d->n = n;
    return 0;
}

void pq_dict_free(struct pq_dict *d)
{
    free(d->fixed);
    free(d->ba);
    memset(d, 0, sizeof *d);
}
