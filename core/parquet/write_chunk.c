/* write_chunk.c - one leaf's buffered entries → one column chunk in the file: an optional
 * dictionary page (PLAIN strings), DATA_PAGE (v1) pages cut on record boundaries (repetition
 * level 0), RLE levels, PLAIN or RLE_DICTIONARY values, each page body compressed on its own,
 * and the chunk statistics for the footer. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "parquet/thrift_write.h"
#include "parquet/write_internal.h"

enum { PAGE_DATA = 0, PAGE_DICTIONARY = 2 };
enum { ENC_PLAIN = 0, ENC_RLE = 3, ENC_RLE_DICTIONARY = 8 };

static size_t fixed_width(enum lr_parquet_wtype t)
{
    switch (t) {
    case LR_PQW_BOOLEAN: return 1;
    case LR_PQW_INT32:
    case LR_PQW_DATE: return 4;
    default: return 8;
    }
}

/* PLAIN size of value v (strings: with the 4-byte prefix). */
static size_t value_size(const struct wcol *c, size_t v)
{
    if (c->type != LR_PQW_STRING)
        return fixed_width(c->type);
    uint64_t end = v + 1 < c->nvals ? c->offs[v + 1] : c->values.len;
    return (size_t)(end - c->offs[v]);
}

static int dict_width(const struct wcol *c)
{
    int wd = w_bit_width(c->dict.n ? c->dict.n - 1 : 0);
    return wd < 1 ? 1 : wd;
}

static bool dict_pays(const struct wcol *c)
{
    if (c->dict.is_dead || c->nvals == 0 || !c->idx)
        return false;
    uint64_t idx_bytes = ((uint64_t)c->nvals * (uint64_t)dict_width(c) + 7) / 8;
    return (uint64_t)c->dict.bytes + idx_bytes < (uint64_t)c->values.len;
}

/* Compress w->page and append header + body to the file. */
static int emit_page(struct lr_parquet_writer *w, struct wchunk *out, int type, int32_t nvalues,
                     int encoding, struct lr_error *err)
{
    if (w->page.len > INT32_MAX)
        return lr_error_set(err, LR_ELIMIT, "a page of %zu bytes is too large", w->page.len);
    int rc = w_compress(w, w->page.data, w->page.len, &w->zpage, err);
    if (rc < 0)
        return rc;
    if (w->zpage.len > INT32_MAX)
        return lr_error_set(err, LR_ELIMIT, "a compressed page of %zu bytes is too large",
                            w->zpage.len);
    lr_buf_reset(&w->header);
    struct lr_tw tw;
    lr_tw_init(&tw, &w->header, err);
    lr_tw_field_i32(&tw, 1, type);
    lr_tw_field_i32(&tw, 2, (int32_t)w->page.len);
    lr_tw_field_i32(&tw, 3, (int32_t)w->zpage.len);
    /* CRC-32 of the page body as stored (parquet-java checks it when asked to) */
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, w->zpage.data, (uInt)w->zpage.len);
    lr_tw_field_i32(&tw, 4, (int32_t)(uint32_t)crc);
    if (type == PAGE_DATA) {
        lr_tw_field_struct(&tw, 5);
        lr_tw_field_i32(&tw, 1, nvalues);
        lr_tw_field_i32(&tw, 2, encoding);
        lr_tw_field_i32(&tw, 3, ENC_RLE);
        lr_tw_field_i32(&tw, 4, ENC_RLE);
        lr_tw_struct_end(&tw);
    } else {
        lr_tw_field_struct(&tw, 7);
        lr_tw_field_i32(&tw, 1, nvalues);
        lr_tw_field_i32(&tw, 2, encoding);
        lr_tw_struct_end(&tw);
    }
    rc = lr_tw_finish(&tw);
    if (rc < 0)
        return rc;
    int64_t offset = (int64_t)w->file.len;
    rc = lr_buf_append(&w->file, w->header.data, w->header.len, err);
    if (rc < 0)
        return rc;
    rc = lr_buf_append(&w->file, w->zpage.data, w->zpage.len, err);
    if (rc < 0)
        return rc;
    if (type == PAGE_DICTIONARY) {
        out->dict_page_offset = offset;
    } else {
        if (out->data_pages == 0)
            out->data_page_offset = offset;
        out->data_pages++;
    }
    out->total_uncompressed += (int64_t)(w->header.len + w->page.len);
    out->total_compressed += (int64_t)(w->header.len + w->zpage.len);
    return 0;
}

static int write_dictionary(struct lr_parquet_writer *w, const struct wcol *c, struct wchunk *out,
                            struct lr_error *err)
{
    lr_buf_reset(&w->page);
    for (uint32_t id = 0; id < c->dict.n; id++) {
        const uint8_t *e = c->values.data + c->dict.entry_off[id];
        uint32_t len;
        memcpy(&len, e, 4);
        int rc = lr_buf_append(&w->page, e, (size_t)len + 4, err);
        if (rc < 0)
            return rc;
    }
    return emit_page(w, out, PAGE_DICTIONARY, (int32_t)c->dict.n, ENC_PLAIN, err);
}

static int put_levels(struct lr_parquet_writer *w, const uint8_t *lv, size_t n, int max,
                      struct lr_error *err)
{
    lr_buf_reset(&w->levels);
    int rc = w_rle_u8(&w->levels, lv, n, w_bit_width((uint32_t)max), err);
    if (rc < 0)
        return rc;
    size_t len = w->levels.len;
    uint8_t le[4] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16),
                     (uint8_t)(len >> 24)};
    rc = lr_buf_append(&w->page, le, 4, err);
    if (rc < 0)
        return rc;
    return lr_buf_append(&w->page, w->levels.data, len, err);
}

static int write_data_page(struct lr_parquet_writer *w, const struct wcol *c, struct wchunk *out,
                           size_t e0, size_t e1, size_t v0, size_t v1, bool use_dict,
                           struct lr_error *err)
{
    lr_buf_reset(&w->page);
    int rc = 0;
    if (c->max_rep)
        rc = put_levels(w, c->reps + e0, e1 - e0, c->max_rep, err);
    if (rc == 0 && c->max_def)
        rc = put_levels(w, c->defs + e0, e1 - e0, c->max_def, err);
    if (rc < 0)
        return rc;
    if (use_dict) {
        uint8_t width = (uint8_t)dict_width(c);
        rc = lr_buf_append(&w->page, &width, 1, err);
        if (rc == 0)
            rc = w_rle_u32(&w->page, c->idx + v0, v1 - v0, width, err);
    } else if (c->type == LR_PQW_BOOLEAN) {
        rc = w_bitpack_bools(&w->page, c->values.data + v0, v1 - v0, err);
    } else if (v1 > v0) {
        size_t from = (size_t)c->offs[v0];
        size_t to = v1 < c->nvals ? (size_t)c->offs[v1] : c->values.len;
        rc = lr_buf_append(&w->page, c->values.data + from, to - from, err);
    }
    if (rc < 0)
        return rc;
    out->num_values += (int64_t)(e1 - e0);
    return emit_page(w, out, PAGE_DATA, (int32_t)(e1 - e0),
                     use_dict ? ENC_RLE_DICTIONARY : ENC_PLAIN, err);
}

static int64_t load_int(const uint8_t *p, size_t width)
{
    if (width == 4) {
        int32_t v;
        memcpy(&v, p, 4);
        return v;
    }
    int64_t v;
    memcpy(&v, p, 8);
    return v;
}

static int cmp_bytes(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    int r = memcmp(a, b, alen < blen ? alen : blen);
    if (r)
        return r;
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}

static int set_stat(uint8_t **dst, size_t *dst_len, const void *p, size_t n, struct lr_error *err)
{
    *dst = malloc(n ? n : 1);
    if (!*dst)
        return lr_error_set(err, LR_ENOMEM, "out of memory keeping column statistics");
    if (n)
        memcpy(*dst, p, n);
    *dst_len = n;
    return 0;
}

static int statistics(const struct wcol *c, struct wchunk *out, struct lr_error *err)
{
    out->null_count = (int64_t)(c->n - c->nvals);
    if (c->nvals == 0)
        return 0;
    const uint8_t *d = c->values.data;
    size_t minv = SIZE_MAX;
    size_t maxv = SIZE_MAX;
    if (c->type == LR_PQW_STRING) {
        minv = maxv = 0;
        for (size_t v = 1; v < c->nvals; v++) {
            const uint8_t *p = d + c->offs[v] + 4;
            size_t len = value_size(c, v) - 4;
            if (cmp_bytes(p, len, d + c->offs[minv] + 4, value_size(c, minv) - 4) < 0)
                minv = v;
            if (cmp_bytes(p, len, d + c->offs[maxv] + 4, value_size(c, maxv) - 4) > 0)
                maxv = v;
        }
        size_t minlen = value_size(c, minv) - 4;
        size_t maxlen = value_size(c, maxv) - 4;
        if (minlen > W_STATS_MAX_BYTES || maxlen > W_STATS_MAX_BYTES)
            return 0;
        int rc = set_stat(&out->min, &out->min_len, d + c->offs[minv] + 4, minlen, err);
        if (rc == 0)
            rc = set_stat(&out->max, &out->max_len, d + c->offs[maxv] + 4, maxlen, err);
        out->has_minmax = rc == 0;
        return rc;
    }
    size_t wd = fixed_width(c->type);
    if (c->type == LR_PQW_DOUBLE) {
        double lo = 0;
        double hi = 0;
        bool has = false;
        for (size_t v = 0; v < c->nvals; v++) {
            double x;
            memcpy(&x, d + v * 8, 8);
            if (isnan(x))
                continue;
            if (!has || x < lo)
                lo = x;
            if (!has || x > hi)
                hi = x;
            has = true;
        }
        if (!has)
            return 0;
        if (lo == 0)
            lo = -0.0;
        if (hi == 0)
            hi = 0.0;
        int rc = set_stat(&out->min, &out->min_len, &lo, 8, err);
        if (rc == 0)
            rc = set_stat(&out->max, &out->max_len, &hi, 8, err);
        out->has_minmax = rc == 0;
        return rc;
    }
    if (c->type == LR_PQW_BOOLEAN) {
        uint8_t lo = 1;
        uint8_t hi = 0;
        for (size_t v = 0; v < c->nvals; v++) {
            lo = d[v] < lo ? d[v] : lo;
            hi = d[v] > hi ? d[v] : hi;
        }
        int rc = set_stat(&out->min, &out->min_len, &lo, 1, err);
        if (rc == 0)
            rc = set_stat(&out->max, &out->max_len, &hi, 1, err);
        out->has_minmax = rc == 0;
        return rc;
    }
    minv = maxv = 0;
    int64_t lo = load_int(d, wd);
    int64_t hi = lo;
    for (size_t v = 1; v < c->nvals; v++) {
        int64_t x = load_int(d + v * wd, wd);
        if (x < lo) {
            lo = x;
            minv = v;
        }
        if (x > hi) {
            hi = x;
            maxv = v;
        }
    }
    int rc = set_stat(&out->min, &out->min_len, d + minv * wd, wd, err);
    if (rc == 0)
        rc = set_stat(&out->max, &out->max_len, d + maxv * wd, wd, err);
    out->has_minmax = rc == 0;
    return rc;
}

int w_chunk_write(struct lr_parquet_writer *w, struct wcol *c, struct wchunk *out,
                  struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    out->dict_page_offset = -1;
    out->has_level_pages = c->max_def > 0 || c->max_rep > 0;
    bool use_dict = dict_pays(c);
    int rc = 0;
    if (use_dict) {
        rc = write_dictionary(w, c, out, err);
        if (rc < 0)
            goto done;
    }
    size_t e = 0;
    size_t v = 0;
    size_t page_rows = (size_t)w->opts.page_rows;
    while (e < c->n) {
        size_t e0 = e;
        size_t v0 = v;
        size_t bytes = 0;
        while (e < c->n) {
            if ((e - e0 >= page_rows || bytes >= w->opts.page_bytes) &&
                (!c->max_rep || c->reps[e] == 0))
                break;
            if (c->defs[e] == c->max_def)
                bytes += value_size(c, v++);
            e++;
        }
        rc = write_data_page(w, c, out, e0, e, v0, v, use_dict, err);
        if (rc < 0)
            goto done;
    }
    rc = statistics(c, out, err);
done:
    if (rc < 0)
        lr_error_context(err, "column %s", c->dotted);
    return rc;
}
