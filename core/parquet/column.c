/* column.c - one column chunk of one row group -> struct pq_col (levels and values).
 *
 * Reads the chunk's byte range once (a range read through the store, or a slice of an
 * in-memory file), walks its pages by their headers (never by scanning), decompresses each
 * page into a buffer the column keeps (values point into it), decodes levels (RLE hybrid,
 * or BIT_PACKED in very old files) and hands the values section to encoding.c. Errors name
 * the column and the page's byte offset; the caller adds the file name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parquet/pq.h"

void pq_pool_init(struct pq_pool *p)
{
    pthread_mutex_init(&p->lock, NULL);
    p->ready = true;
}

uint8_t *pq_pool_take(struct pq_pool *p, size_t n, size_t *cap)
{
    if (n == 0)
        n = 1;
    if (p) {
        pthread_mutex_lock(&p->lock);
        /* best fit among pooled buffers, not more than twice the need */
        size_t best = p->n;
        for (size_t i = 0; i < p->n; i++)
            if (p->cap[i] >= n && p->cap[i] / 2 <= n &&
                (best == p->n || p->cap[i] < p->cap[best]))
                best = i;
        if (best < p->n) {
            uint8_t *b = p->buf[best];
            *cap = p->cap[best];
            p->bytes -= p->cap[best];
            p->n--;
            p->buf[best] = p->buf[p->n];
            p->cap[best] = p->cap[p->n];
            pthread_mutex_unlock(&p->lock);
            return b;
        }
        pthread_mutex_unlock(&p->lock);
    }
    *cap = n;
    uint8_t *b = malloc(n);
    return b;
}

void pq_pool_put(struct pq_pool *p, uint8_t *buf, size_t cap)
{
    if (!buf)
        return;
    if (!p || cap == 0) {
        free(buf);
        return;
    }
    pthread_mutex_lock(&p->lock);
    bool kept = p->n < PQ_POOL_SLOTS && cap <= PQ_POOL_MAX_BYTES - p->bytes;
    if (kept) {
        p->buf[p->n] = buf;
        p->cap[p->n++] = cap;
        p->bytes += cap;
    }
    pthread_mutex_unlock(&p->lock);
    if (!kept)
        free(buf);
}

void pq_pool_free(struct pq_pool *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->buf[i]);
    p->n = 0;
    p->bytes = 0;
    if (p->ready)
        pthread_mutex_destroy(&p->lock);
    p->ready = false;
}

int pq_col_keep_pooled(struct pq_col *c, uint8_t *buf, size_t cap, struct lr_error *err)
{
    if (c->nbufs == c->capbufs) {
        size_t ncap = c->capbufs ? c->capbufs * 2 : 8;
        uint8_t **nb = realloc(c->bufs, ncap * sizeof *nb);
        size_t *nc = nb ? realloc(c->bufcaps, ncap * sizeof *nc) : NULL;
        if (nb)
            c->bufs = nb;
        if (!nb || !nc) {
            free(buf);
            return lr_error_set(err, LR_ENOMEM, "out of memory");
        }
        c->bufcaps = nc;
        c->capbufs = ncap;
    }
    c->bufs[c->nbufs] = buf;
    c->bufcaps[c->nbufs++] = cap;
    return 0;
}

int pq_col_keep(struct pq_col *c, uint8_t *buf, struct lr_error *err)
{
    return pq_col_keep_pooled(c, buf, 0, err);
}

void pq_col_free(struct pq_col *c)
{
    if (!c)
        return;
    free(c->def);
    free(c->rep);
    free(c->fixed);
    free(c->ba);
    for (size_t i = 0; i < c->nbufs; i++)
        pq_pool_put(c->pool, c->bufs[i], c->bufcaps[i]);
    free(c->bufs);
    free(c->bufcaps);
    memset(c, 0, sizeof *c);
}

static int ensure_entries(struct pq_col *c, size_t add, struct lr_error *err)
{
    if (c->n + add <= c->cap_entries)
        return 0;
    size_t cap = c->cap_entries ? c->cap_entries : 256;
    while (cap < c->n + add)
        cap *= 2;
    if (c->leaf->max_def > 0) {
        uint8_t *d = realloc(c->def, cap);
        if (!d)
            return lr_error_set(err, LR_ENOMEM, "out of memory for %zu levels", cap);
        c->def = d;
    }
    if (c->leaf->max_rep > 0) {
        uint8_t *r = realloc(c->rep, cap);
        if (!r)
            return lr_error_set(err, LR_ENOMEM, "out of memory for %zu levels", cap);
        c->rep = r;
    }
    c->cap_entries = cap;
    return 0;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* BIT_PACKED (deprecated) levels: MSB-first, no length prefix. */
static int bitpacked_levels(const uint8_t *p, size_t len, int width, uint8_t *out, size_t n,
                            int max, size_t *used, struct lr_error *err)
{
    size_t need = (n * (size_t)width + 7) / 8;
    if (need > len)
        return lr_error_set(err, LR_ECORRUPT, "BIT_PACKED levels run past the page");
    size_t bit = 0;
    for (size_t i = 0; i < n; i++) {
        int v = 0;
        for (int k = 0; k < width; k++, bit++)
            v = (v << 1) | ((p[bit >> 3] >> (7 - (bit & 7))) & 1);
        if (v > max)
            return lr_error_set(err, LR_ECORRUPT, "BIT_PACKED level above the maximum");
        out[i] = (uint8_t)v;
    }
    *used = need;
    return 0;
}

/* v1 levels: [u32 length][RLE hybrid] (or BIT_PACKED). Advances *pos. */
static int v1_levels(const uint8_t *p, size_t len, size_t *pos, int encoding, int max,
                     uint8_t *out, size_t n, struct lr_error *err)
{
    int width = pq_bit_width((uint32_t)max);
    if (encoding == 4) {
        size_t used = 0;
        int rc = bitpacked_levels(p + *pos, len - *pos, width, out, n, max, &used, err);
        if (rc >= 0)
            *pos += used;
        return rc;
    }
    if (encoding != 3)
        return lr_error_set(err, LR_EUNSUPPORTED, "level encoding %d is not supported",
                            encoding);
    if (len - *pos < 4)
        return lr_error_set(err, LR_ECORRUPT, "level length prefix past the page end");
    uint32_t l = le32(p + *pos);
    *pos += 4;
    if (l > len - *pos)
        return lr_error_set(err, LR_ECORRUPT, "level data longer than the page");
    int rc = pq_rle_decode8(p + *pos, l, width, out, n, (uint32_t)max, err);
    *pos += l;
    return rc;
}

static size_t count_present(const struct pq_col *c, size_t from, size_t n)
{
    if (c->leaf->max_def == 0)
        return n;
    size_t m = 0;
    uint8_t md = (uint8_t)c->leaf->max_def;
    const uint8_t *d = c->def + from;
    for (size_t i = 0; i < n; i++)
        m += d[i] == md;
    return m;
}

struct chunk_ctx {
    struct pq_col *c;
    const struct lr_parquet_column_chunk *cc;
    struct pq_dict dict;
    bool has_dict;
    bool seen_data;
    size_t dropped;        /* page scan: entries already handed out and dropped from c */
};

/* A page buffer from the pool, already kept by the column (freed with it). */
static int alloc_page(struct pq_col *c, size_t n, uint8_t **out, struct lr_error *err)
{
    size_t cap;
    *out = pq_pool_take(c->pool, n, &cap);
    if (!*out)
        return lr_error_set(err, LR_ENOMEM, "out of memory for a %zu-byte page", n);
    return pq_col_keep_pooled(c, *out, cap, err);
}

static int check_sizes(const struct pq_page_header *h, struct lr_error *err)
{
    uint64_t u = (uint64_t)h->uncompressed_size, cs = (uint64_t)h->compressed_size;
    if (u > PQ_MAX_PAGE)
        return lr_error_set(err, LR_ELIMIT, "page of %llu bytes exceeds the %u-byte limit",
                            (unsigned long long)u, PQ_MAX_PAGE);
    if (u > cs * PQ_MAX_RATIO + (1u << 20))
        return lr_error_set(err, LR_ELIMIT,
                            "page claims to expand %llu bytes to %llu (ratio too large)",
                            (unsigned long long)cs, (unsigned long long)u);
    return 0;
}

static int dict_page(struct chunk_ctx *x, const struct pq_page_header *h, const uint8_t *body,
                     struct lr_error *err)
{
    if (x->has_dict || x->seen_data)
        return lr_error_set(err, LR_ECORRUPT, "dictionary page that is not the first page");
    if (!h->has_dict_header)
        return lr_error_set(err, LR_ECORRUPT, "dictionary page without its header");
    /* the values are PLAIN whatever the header says: PLAIN, PLAIN_DICTIONARY (v1 writers)
     * or RLE_DICTIONARY (seen in some writers' dictionary page headers) */
    if (h->encoding != 0 && h->encoding != 2 && h->encoding != 8)
        return lr_error_set(err, LR_EUNSUPPORTED, "dictionary page encoding %s (%d)",
                            lr_parquet_encoding_name(h->encoding), h->encoding);
    int rc = check_sizes(h, err);
    if (rc < 0)
        return rc;
    uint8_t *buf;
    rc = alloc_page(x->c, (size_t)h->uncompressed_size, &buf, err);
    if (rc < 0)
        return rc;
    rc = pq_decompress(x->cc->codec, body, (size_t)h->compressed_size, buf,
                       (size_t)h->uncompressed_size, err);
    if (rc < 0)
        return rc;
    rc = pq_decode_dict(&x->dict, x->c->leaf, buf, (size_t)h->uncompressed_size,
                        (size_t)h->num_values, err);
    x->has_dict = true;
    return rc;
}

static int data_page(struct chunk_ctx *x, const struct pq_page_header *h, const uint8_t *body,
                     bool v2, struct lr_error *err)
{
    struct pq_col *c = x->c;
    const struct lr_parquet_node *leaf = c->leaf;
    if (v2 ? !h->has_v2_header : !h->has_data_header)
        return lr_error_set(err, LR_ECORRUPT, "data page without its header");
    int rc = check_sizes(h, err);
    if (rc < 0)
        return rc;
    size_t nv = (size_t)h->num_values;
    if ((int64_t)(x->dropped + c->n + nv) > x->cc->num_values)
        return lr_error_set(err, LR_ECORRUPT, "pages hold more values than the chunk declares");
    x->seen_data = true;
    if (nv == 0)
        return 0; /* an empty page adds nothing (and needs no level arrays) */
    rc = ensure_entries(c, nv, err);
    if (rc < 0)
        return rc;

    size_t usize = (size_t)h->uncompressed_size, csize = (size_t)h->compressed_size;
    const uint8_t *vals;
    size_t vlen;
    uint8_t *buf = NULL;
    if (!v2) {
        rc = alloc_page(c, usize, &buf, err);
        if (rc < 0)
            return rc;
        rc = pq_decompress(x->cc->codec, body, csize, buf, usize, err);
        if (rc < 0)
            return rc;
        size_t pos = 0;
        if (leaf->max_rep > 0) {
            rc = v1_levels(buf, usize, &pos, h->rep_encoding, leaf->max_rep, c->rep + c->n, nv,
                           err);
            if (rc < 0)
                return lr_error_context(err, "repetition levels");
        }
        if (leaf->max_def > 0) {
            rc = v1_levels(buf, usize, &pos, h->def_encoding, leaf->max_def, c->def + c->n, nv,
                           err);
            if (rc < 0)
                return lr_error_context(err, "definition levels");
        }
        vals = buf + pos;
        vlen = usize - pos;
    } else {
        size_t rl = (size_t)h->rep_len, dl = (size_t)h->def_len;
        if (rl > csize || dl > csize - rl || rl + dl > usize)
            return lr_error_set(err, LR_ECORRUPT, "level lengths larger than the page");
        if (leaf->max_rep > 0) {
            rc = pq_rle_decode8(body, rl, pq_bit_width((uint32_t)leaf->max_rep), c->rep + c->n,
                                nv, (uint32_t)leaf->max_rep, err);
            if (rc < 0)
                return lr_error_context(err, "repetition levels");
        }
        if (leaf->max_def > 0) {
            rc = pq_rle_decode8(body + rl, dl, pq_bit_width((uint32_t)leaf->max_def),
                                c->def + c->n, nv, (uint32_t)leaf->max_def, err);
            if (rc < 0)
                return lr_error_context(err, "definition levels");
        }
        size_t vin = csize - rl - dl, vout = usize - rl - dl;
        if (h->is_compressed) {
            rc = alloc_page(c, vout, &buf, err);
            if (rc < 0)
                return rc;
            rc = pq_decompress(x->cc->codec, body + rl + dl, vin, buf, vout, err);
            if (rc < 0)
                return rc;
            vals = buf;
            vlen = vout;
        } else {
            if (vin != vout)
                return lr_error_set(err, LR_ECORRUPT, "uncompressed v2 page sizes differ");
            /* the chunk bytes stay alive as long as the column: no copy */
            vals = body + rl + dl;
            vlen = vin;
        }
    }
    if (leaf->max_rep > 0 && x->dropped + c->n == 0 && nv > 0 && c->rep[0] != 0)
        return lr_error_set(err, LR_ECORRUPT, "column chunk starts inside a record");
    size_t m = count_present(c, c->n, nv);
    c->n += nv;
    rc = pq_decode_values(c, h->encoding, vals, vlen, m, x->has_dict ? &x->dict : NULL, err);
    return rc;
}

/* The page scan's view of what c holds now (the entries of the last page). */
static void page_view(const struct pq_col *c, struct lr_parquet_column *out)
{
    out->leaf = c->leaf;
    out->num_entries = c->n;
    out->def_levels = c->leaf->max_def > 0 ? c->def : NULL;
    out->rep_levels = c->leaf->max_rep > 0 ? c->rep : NULL;
    out->num_values = c->nvals;
    out->width = c->width;
    out->fixed = c->fixed;
    out->byte_arrays = c->ba;
}

/* Hand the entries decoded since the last call to `visit`, then drop them and give the page
 * buffers allocated after the first `keep` (the chunk bytes, the dictionary page) back to the
 * pool, so the next page reuses them. */
static int page_done(struct chunk_ctx *x, size_t keep, pq_page_visit visit, void *ctx,
                     struct lr_error *err)
{
    struct pq_col *c = x->c;
    if (c->n == 0)
        return 0;
    struct lr_parquet_column view;
    page_view(c, &view);
    int rc = visit(ctx, &view, x->dropped, err);
    x->dropped += c->n;
    c->n = 0;
    c->nvals = 0;
    for (size_t i = keep; i < c->nbufs; i++)
        pq_pool_put(c->pool, c->bufs[i], c->bufcaps[i]);
    if (c->nbufs > keep)
        c->nbufs = keep;
    return rc;
}

static int column_walk(struct pq_col *c, struct lr_parquet_file *f, size_t rg, size_t leaf_index,
                       lr_parquet_page_want want, pq_page_visit visit, void *ctx,
                       struct lr_error *err);

int pq_column_read(struct pq_col *c, struct lr_parquet_file *f, size_t rg, size_t leaf_index,
                   struct lr_error *err)
{
    return column_walk(c, f, rg, leaf_index, NULL, NULL, NULL, err);
}

int pq_column_scan(struct lr_parquet_file *f, size_t rg, size_t leaf_index,
                   lr_parquet_page_want want, pq_page_visit visit, void *ctx,
                   struct lr_error *err)
{
    struct pq_col c;
    int rc = column_walk(&c, f, rg, leaf_index, want, visit, ctx, err);
    if (rc >= 0)
        pq_col_free(&c);
    return rc;
}

static int column_walk(struct pq_col *c, struct lr_parquet_file *f, size_t rg, size_t leaf_index,
                       lr_parquet_page_want want, pq_page_visit visit, void *ctx,
                       struct lr_error *err)
{
    const struct lr_parquet_meta *m = pq_file_meta(f);
    const struct lr_parquet_column_chunk *cc = &m->row_groups[rg].columns[leaf_index];
    memset(c, 0, sizeof *c);
    c->pool = pq_file_pool(f);
    c->leaf = m->leaves[leaf_index];
    c->width = pq_type_width(c->leaf);
    struct chunk_ctx x = {c, cc, {0}, false, false, 0};
    uint8_t *owned = NULL;
    const uint8_t *chunk = NULL;
    int rc = 0;
    uint64_t page_off = 0;

    int64_t start = cc->data_page_offset;
    if (cc->dictionary_page_offset > 0 && cc->dictionary_page_offset < start)
        start = cc->dictionary_page_offset;
    int64_t len = cc->total_compressed_size;
    if (cc->num_values < 0 || cc->num_values > pq_max_entries(m)) {
        rc = lr_error_set(err, cc->num_values < 0 ? LR_ECORRUPT : LR_ELIMIT,
                          "chunk declares %lld values, implausible for a %llu-byte file",
                          (long long)cc->num_values, (unsigned long long)m->file_size);
        goto done;
    }
    if (start < 4 || len < 0 || (uint64_t)start > m->footer_offset ||
        (uint64_t)len > m->footer_offset - (uint64_t)start) {
        rc = lr_error_set(err, LR_ECORRUPT,
                          "chunk range [%lld, +%lld) lies outside the data area [4, %llu)",
                          (long long)start, (long long)len,
                          (unsigned long long)m->footer_offset);
        goto done;
    }
    if (cc->num_values == 0)
        goto done;
    rc = pq_file_read(f, (uint64_t)start, (uint64_t)len, &chunk, &owned, err);
    if (rc < 0)
        goto done;
    if (owned) {
        rc = pq_col_keep(c, owned, err);
        owned = NULL;
        if (rc < 0)
            goto done;
    }
    size_t pos = 0, clen = (size_t)len;
    while ((int64_t)(x.dropped + c->n) < cc->num_values) {
        page_off = (uint64_t)start + pos;
        if (pos >= clen) {
            rc = lr_error_set(err, LR_ECORRUPT,
                              "chunk ends after %zu of its %lld values", x.dropped + c->n,
                              (long long)cc->num_values);
            goto done;
        }
        struct pq_page_header h;
        size_t hl;
        rc = pq_page_header_parse(&h, chunk + pos, clen - pos, page_off, &hl, err);
        if (rc < 0)
            goto done;
        pos += hl;
        if ((size_t)h.compressed_size > clen - pos) {
            rc = lr_error_set(err, LR_ECORRUPT, "page body runs past the chunk end");
            goto done;
        }
        const uint8_t *body = chunk + pos;
        size_t keep = c->nbufs;
        if (want && (h.type == 0 || h.type == 3) && h.num_values > 0 &&
            !want(ctx, x.dropped, (size_t)h.num_values)) {
            /* a page the caller does not need: counted, never decompressed */
            if ((int64_t)(x.dropped + (size_t)h.num_values) > cc->num_values) {
                rc = lr_error_set(err, LR_ECORRUPT,
                                  "pages hold more values than the chunk declares");
                goto done;
            }
            x.dropped += (size_t)h.num_values;
            x.seen_data = true;
            pos += (size_t)h.compressed_size;
            continue;
        }
        switch (h.type) {
        case 0:
            rc = data_page(&x, &h, body, false, err);
            break;
        case 2:
            rc = dict_page(&x, &h, body, err);
            break;
        case 3:
            rc = data_page(&x, &h, body, true, err);
            break;
        default:
            break; /* index pages and unknown types: skip the body */
        }
        if (rc >= 0 && visit && (h.type == 0 || h.type == 3))
            rc = page_done(&x, keep, visit, ctx, err);
        if (rc < 0)
            goto done;
        pos += (size_t)h.compressed_size;
    }
done:
    if (rc < 0) {
        if (page_off)
            lr_error_context(err, "column %s, row group %zu, page at byte offset %llu",
                             c->leaf->path, rg, (unsigned long long)page_off);
        else
            lr_error_context(err, "column %s, row group %zu", c->leaf->path, rg);
        pq_col_free(c);
    }
    free(owned);
    pq_dict_free(&x.dict);
    return rc;
}
