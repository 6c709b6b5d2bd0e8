/* pqbuild.h - a tiny test-only Parquet file builder (header-only): Thrift compact writer and
 * a flat-schema file with hand-made pages, so tests and the fuzz seed generator can produce
 * encodings, codecs and shapes no corpus file has (INT96, BYTE_STREAM_SPLIT, Hadoop LZ4,
 * BIT_PACKED levels, legacy lists, hostile values). Not the project's writer. */
#ifndef LR_PQBUILD_H
#define LR_PQBUILD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/buf.h"

struct tw {
    struct lr_buf b;
    int last[32];
    int sp;
};

static inline void tw_byte(struct tw *w, uint8_t c)
{
    lr_buf_append(&w->b, &c, 1, NULL);
}

static inline void tw_varint(struct tw *w, uint64_t v)
{
    while (v >= 0x80) {
        tw_byte(w, (uint8_t)(v | 0x80));
        v >>= 7;
    }
    tw_byte(w, (uint8_t)v);
}

static inline void tw_zigzag(struct tw *w, int64_t v)
{
    tw_varint(w, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static inline void tw_field(struct tw *w, int id, int type)
{
    int delta = id - w->last[w->sp];
    if (delta > 0 && delta <= 15) {
        tw_byte(w, (uint8_t)(delta << 4 | type));
    } else {
        tw_byte(w, (uint8_t)type);
        tw_zigzag(w, id);
    }
    w->last[w->sp] = id;
}

static inline void tw_i32(struct tw *w, int id, int32_t v)
{
    tw_field(w, id, 5);
    tw_zigzag(w, v);
}

static inline void tw_i64(struct tw *w, int id, int64_t v)
{
    tw_field(w, id, 6);
    tw_zigzag(w, v);
}

static inline void tw_bool(struct tw *w, int id, bool v)
{
    tw_field(w, id, v ? 1 : 2);
}

static inline void tw_bin(struct tw *w, int id, const void *p, size_t len)
{
    tw_field(w, id, 8);
    tw_varint(w, len);
    lr_buf_append(&w->b, p, len, NULL);
}

static inline void tw_str(struct tw *w, int id, const char *s)
{
    tw_bin(w, id, s, strlen(s));
}

static inline void tw_begin(struct tw *w, int id)
{
    tw_field(w, id, 12);
    w->last[++w->sp] = 0;
}

static inline void tw_end(struct tw *w)
{
    tw_byte(w, 0);
    w->sp--;
}

static inline void tw_list(struct tw *w, int id, int elem_type, size_t n)
{
    tw_field(w, id, 9);
    if (n < 15) {
        tw_byte(w, (uint8_t)(n << 4 | (size_t)elem_type));
    } else {
        tw_byte(w, (uint8_t)(0xf0 | elem_type));
        tw_varint(w, n);
    }
}

/* a struct element inside a list */
static inline void tw_elem_begin(struct tw *w)
{
    w->last[++w->sp] = 0;
}

/* ---- files ---- */

/* One schema element (depth-first pre-order). type < 0 for groups. */
struct pqb_elem {
    const char *name;
    int type;
    int repetition;      /* -1: absent (root) */
    int num_children;    /* groups only */
    int converted;       /* -1: none */
    int logical;         /* 0: none; 1 STRING, 3 LIST, 2 MAP, 14 UUID, 15 FLOAT16, 8 TIMESTAMP */
    int lt_unit;         /* TIMESTAMP: 1 millis, 2 micros, 3 nanos */
    int type_length;
    int scale, precision;
};

struct pqb_page {
    int type;            /* 0 DATA_PAGE, 2 DICTIONARY_PAGE, 3 DATA_PAGE_V2 */
    int encoding;
    int num_values;
    int def_encoding;    /* v1: 3 RLE or 4 BIT_PACKED */
    int def_len, rep_len, num_nulls; /* v2 */
    const uint8_t *body; /* stored bytes (already compressed as needed) */
    size_t len;
    size_t uncompressed_len; /* 0: same as len */
};

struct pqb_chunk {
    const char *path[4]; /* path_in_schema */
    int npath;
    int type;
    int codec;
    int64_t num_values;
    struct pqb_page pages[4];
    int npages;
};

/* Build a one-row-group file; caller frees out->data with lr_buf_free. */
static inline void pqb_file(struct lr_buf *out, const struct pqb_elem *els, size_t nels,
                            const struct pqb_chunk *chunks, size_t nchunks, int64_t num_rows)
{
    lr_buf_init(out, 0);
    lr_buf_append(out, "PAR1", 4, NULL);
    int64_t offs[16], sizes[16];
    for (size_t c = 0; c < nchunks; c++) {
        offs[c] = (int64_t)out->len;
        for (int p = 0; p < chunks[c].npages; p++) {
            const struct pqb_page *pg = &chunks[c].pages[p];
            struct tw h = {0};
            tw_i32(&h, 1, pg->type);
            tw_i32(&h, 2, (int32_t)(pg->uncompressed_len ? pg->uncompressed_len : pg->len));
            tw_i32(&h, 3, (int32_t)pg->len);
            if (pg->type == 0) {
                tw_begin(&h, 5);
                tw_i32(&h, 1, pg->num_values);
                tw_i32(&h, 2, pg->encoding);
                tw_i32(&h, 3, pg->def_encoding ? pg->def_encoding : 3);
                tw_i32(&h, 4, 3);
                tw_end(&h);
            } else if (pg->type == 2) {
                tw_begin(&h, 7);
                tw_i32(&h, 1, pg->num_values);
                tw_i32(&h, 2, pg->encoding);
                tw_end(&h);
            } else {
                tw_begin(&h, 8);
                tw_i32(&h, 1, pg->num_values);
                tw_i32(&h, 2, pg->num_nulls);
                tw_i32(&h, 3, pg->num_values);
                tw_i32(&h, 4, pg->encoding);
                tw_i32(&h, 5, pg->def_len);
                tw_i32(&h, 6, pg->rep_len);
                tw_end(&h);
            }
            tw_byte(&h, 0);
            lr_buf_append(out, h.b.data, h.b.len, NULL);
            lr_buf_append(out, pg->body, pg->len, NULL);
            lr_buf_free(&h.b);
        }
        sizes[c] = (int64_t)out->len - offs[c];
    }
    struct tw w = {0};
    tw_i32(&w, 1, 1);
    tw_list(&w, 2, 12, nels);
    for (size_t i = 0; i < nels; i++) {
        const struct pqb_elem *e = &els[i];
        tw_elem_begin(&w);
        if (e->type >= 0)
            tw_i32(&w, 1, e->type);
        if (e->type_length)
            tw_i32(&w, 2, e->type_length);
        if (e->repetition >= 0)
            tw_i32(&w, 3, e->repetition);
        tw_str(&w, 4, e->name);
        if (e->type < 0)
            tw_i32(&w, 5, e->num_children);
        if (e->converted >= 0)
            tw_i32(&w, 6, e->converted);
        if (e->scale)
            tw_i32(&w, 7, e->scale);
        if (e->precision)
            tw_i32(&w, 8, e->precision);
        if (e->logical) {
            tw_begin(&w, 10);
            tw_begin(&w, e->logical);
            if (e->logical == 8) {
                tw_bool(&w, 1, true);
                tw_begin(&w, 2);
                tw_begin(&w, e->lt_unit);
                tw_end(&w);
                tw_end(&w);
            }
            tw_end(&w);
            tw_end(&w);
        }
        tw_end(&w);
    }
    tw_i64(&w, 3, num_rows);
    tw_list(&w, 4, 12, 1);
    tw_elem_begin(&w);
    tw_list(&w, 1, 12, nchunks);
    for (size_t c = 0; c < nchunks; c++) {
        const struct pqb_chunk *ch = &chunks[c];
        tw_elem_begin(&w);
        tw_i64(&w, 2, 0);
        tw_begin(&w, 3);
        tw_i32(&w, 1, ch->type);
        tw_list(&w, 2, 5, 1);
        tw_zigzag(&w, ch->pages[ch->npages - 1].encoding);
        tw_list(&w, 3, 8, (size_t)ch->npath);
        for (int k = 0; k < ch->npath; k++) {
            tw_varint(&w, strlen(ch->path[k]));
            lr_buf_append(&w.b, ch->path[k], strlen(ch->path[k]), NULL);
        }
        tw_i32(&w, 4, ch->codec);
        tw_i64(&w, 5, ch->num_values);
        tw_i64(&w, 6, sizes[c]);
        tw_i64(&w, 7, sizes[c]);
        tw_i64(&w, 9, offs[c]);
        tw_end(&w);
        tw_end(&w);
    }
    tw_i64(&w, 2, (int64_t)out->len);
    tw_i64(&w, 3, num_rows);
    tw_end(&w);
    tw_str(&w, 6, "lakerewind pqbuild test");
    tw_byte(&w, 0);
    lr_buf_append(out, w.b.data, w.b.len, NULL);
    uint32_t fl = (uint32_t)w.b.len;
    uint8_t le[4] = {(uint8_t)fl, (uint8_t)(fl >> 8), (uint8_t)(fl >> 16), (uint8_t)(fl >> 24)};
    lr_buf_append(out, le, 4, NULL);
    lr_buf_append(out, "PAR1", 4, NULL);
    lr_buf_free(&w.b);
}

/* Helpers for page bodies. */
static inline void pqb_u32(struct lr_buf *b, uint32_t v)
{
    uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    lr_buf_append(b, le, 4, NULL);
}

/* v1 definition levels, width 1, as one bit-packed run of ceil(n/8) groups */
static inline void pqb_def1(struct lr_buf *b, const uint8_t *defs, size_t n)
{
    size_t groups = (n + 7) / 8;
    pqb_u32(b, (uint32_t)(1 + groups));
    uint8_t h = (uint8_t)(groups << 1 | 1);
    lr_buf_append(b, &h, 1, NULL);
    for (size_t g = 0; g < groups; g++) {
        uint8_t byte = 0;
        for (size_t k = 0; k < 8 && g * 8 + k < n; k++)
            byte |= (uint8_t)((defs[g * 8 + k] & 1) << k);
        lr_buf_append(b, &byte, 1, NULL);
    }
}

#endif
