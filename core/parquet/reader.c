/* reader.c - the public reader: opening a file (store or memory), reading its footer with
 * range reads, and the row cursors of parquet.h.
 *
 * Store I/O: one HEAD for the size, one range read of the tail (up to 64 KiB, which usually
 * holds the whole footer), a second range read only for larger footers, then one range read
 * per projected column chunk per row group. Column chunks outside the projection are never
 * read. A row group's projected columns are decoded together, then rows are assembled from
 * them; the previous row group is freed before the next one is read. */
#include <stdlib.h>
#include <string.h>

#include "lakerewind/str.h"
#include "parquet/pq.h"

#define TAIL_READ (64u * 1024u)

struct lr_parquet_file {
    char *name;
    struct lr_store *store;   /* borrowed; NULL for in-memory files */
    char *key;
    const uint8_t *data;      /* in-memory files: borrowed */
    uint64_t size;
    uint8_t *footer;          /* owned copy (store files); statistics point into it */
    struct lr_parquet_meta meta;
    struct pq_pool pool;
};

struct lr_parquet_rows {
    struct lr_parquet_file *f;
    struct pq_proj *proj;
    struct pq_col *cols;
    size_t ncols;
    size_t rg;
    int64_t rec;
    bool loaded;
    int failed;
};

const struct lr_parquet_meta *pq_file_meta(const struct lr_parquet_file *f)
{
    return &f->meta;
}

int64_t pq_max_entries(const struct lr_parquet_meta *m)
{
    uint64_t by_size = (1u << 20) + m->file_size * PQ_ENTRIES_PER_BYTE;
    return by_size < (uint64_t)PQ_MAX_ENTRIES ? (int64_t)by_size : PQ_MAX_ENTRIES;
}

struct pq_pool *pq_file_pool(struct lr_parquet_file *f)
{
    return &f->pool;
}

const struct lr_parquet_meta *lr_parquet_metadata(const struct lr_parquet_file *f)
{
    return &f->meta;
}

const char *lr_parquet_name(const struct lr_parquet_file *f)
{
    return f->name;
}

int64_t lr_parquet_num_rows(const struct lr_parquet_file *f)
{
    return f->meta.num_rows;
}

int pq_file_read(struct lr_parquet_file *f, uint64_t off, uint64_t len, const uint8_t **out,
                 uint8_t **owned, struct lr_error *err)
{
    *owned = NULL;
    if (off > f->size || len > f->size - off)
        return lr_error_set(err, LR_ECORRUPT, "range [%llu, +%llu) lies past the end (%llu)",
                            (unsigned long long)off, (unsigned long long)len,
                            (unsigned long long)f->size);
    if (f->data) {
        *out = f->data + off;
        return 0;
    }
    struct lr_buf b;
    lr_buf_init(&b, (size_t)len);
    int rc = 0;
    if (len) {
        rc = lr_store_get_range(f->store, f->key, off, len, &b, err);
    } else {
        rc = lr_buf_reserve(&b, 0, err);
    }
    if (rc < 0) {
        lr_buf_free(&b);
        return rc;
    }
    if (b.len != len) {
        lr_buf_free(&b);
        return lr_error_set(err, LR_ECORRUPT,
                            "short read at byte offset %llu: the object changed or is truncated",
                            (unsigned long long)off);
    }
    if (!b.data && lr_buf_reserve(&b, 0, err) < 0)
        return LR_ENOMEM;
    size_t got;
    *owned = lr_buf_take(&b, &got);
    *out = *owned;
    return 0;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int open_common(struct lr_parquet_file *f, struct lr_error *err)
{
    struct lr_parquet_meta *m = &f->meta;
    if (f->size < 12)
        return lr_error_set(err, LR_ECORRUPT,
                            "%llu bytes is too short for a Parquet file (at least 12 needed)",
                            (unsigned long long)f->size);
    uint64_t tail = f->size < TAIL_READ ? f->size : TAIL_READ;
    const uint8_t *tp = NULL;
    uint8_t *towned = NULL;
    int rc = pq_file_read(f, f->size - tail, tail, &tp, &towned, err);
    if (rc < 0)
        return rc;
    const uint8_t *end = tp + tail;
    const uint8_t *fp = NULL;
    uint8_t *fowned = NULL;
    uint32_t flen = le32(end - 8);
    if (memcmp(end - 4, "PARE", 4) == 0) {
        rc = lr_error_set(err, LR_EUNSUPPORTED,
                          "encrypted Parquet footer (PARE) is not supported");
        goto done;
    }
    if (memcmp(end - 4, "PAR1", 4) != 0) {
        rc = lr_error_set(err, LR_ECORRUPT,
                          "not a Parquet file: no PAR1 magic at byte offset %llu",
                          (unsigned long long)(f->size - 4));
        goto done;
    }
    if (tail == f->size && memcmp(tp, "PAR1", 4) != 0) {
        rc = lr_error_set(err, LR_ECORRUPT, "not a Parquet file: no PAR1 magic at byte offset 0");
        goto done;
    }
    if (flen > f->size - 12) {
        rc = lr_error_set(err, LR_ECORRUPT,
                          "footer length %u (at byte offset %llu) is larger than the file", flen,
                          (unsigned long long)(f->size - 8));
        goto done;
    }
    if (flen > PQ_MAX_FOOTER) {
        rc = lr_error_set(err, LR_ELIMIT, "footer of %u bytes exceeds the %u-byte limit", flen,
                          PQ_MAX_FOOTER);
        goto done;
    }
    m->file_size = f->size;
    m->footer_len = flen;
    m->footer_offset = f->size - 8 - flen;
    if ((uint64_t)flen + 8 <= tail) {
        fp = end - 8 - flen;
        if (towned) {
            fowned = towned; /* keep the tail: statistics point into it */
            towned = NULL;
        }
    } else {
        rc = pq_file_read(f, m->footer_offset, flen, &fp, &fowned, err);
        if (rc < 0)
            goto done;
    }
    f->footer = fowned;
    rc = pq_meta_parse(m, fp, flen, m->footer_offset, err);
done:
    free(towned);
    return rc;
}

static int finish_open(struct lr_parquet_file *f, struct lr_parquet_file **out, int rc,
                       struct lr_error *err)
{
    if (rc < 0) {
        lr_error_context(err, "%s", f->name ? f->name : "parquet file");
        lr_parquet_close(f);
        return rc;
    }
    *out = f;
    return 0;
}

int lr_parquet_open(struct lr_parquet_file **out, struct lr_store *store, const char *key,
                    struct lr_error *err)
{
    *out = NULL;
    struct lr_parquet_file *f = calloc(1, sizeof *f);
    if (!f)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    pq_pool_init(&f->pool);
    f->store = store;
    f->key = lr_strdup(key);
    f->name = lr_strdup(key);
    if (!f->key || !f->name)
        return finish_open(f, out, lr_error_set(err, LR_ENOMEM, "out of memory"), err);
    struct lr_store_entry e = {0};
    int rc = lr_store_head(store, key, &e, err);
    if (rc >= 0) {
        f->size = e.size;
        lr_store_entry_free(&e);
        rc = open_common(f, err);
    }
    return finish_open(f, out, rc, err);
}

int lr_parquet_open_buffer(struct lr_parquet_file **out, const uint8_t *data, size_t len,
                           const char *name, struct lr_error *err)
{
    *out = NULL;
    struct lr_parquet_file *f = calloc(1, sizeof *f);
    if (!f)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    pq_pool_init(&f->pool);
    f->data = data ? data : (const uint8_t *)"";
    f->size = len;
    f->name = lr_strdup(name ? name : "(memory)");
    if (!f->name)
        return finish_open(f, out, lr_error_set(err, LR_ENOMEM, "out of memory"), err);
    return finish_open(f, out, open_common(f, err), err);
}

void lr_parquet_close(struct lr_parquet_file *f)
{
    if (!f)
        return;
    pq_meta_free(&f->meta);
    pq_pool_free(&f->pool);
    free(f->footer);
    free(f->name);
    free(f->key);
    free(f);
}

/* ---- rows ---- */

static void unload(struct lr_parquet_rows *r)
{
    for (size_t i = 0; i < r->ncols; i++)
        pq_col_free(&r->cols[i]);
    r->loaded = false;
}

int lr_parquet_rows_open(struct lr_parquet_rows **out, struct lr_parquet_file *f,
                         const char *const *columns, size_t ncolumns, struct lr_error *err)
{
    *out = NULL;
    struct lr_parquet_rows *r = calloc(1, sizeof *r);
    if (!r)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    r->f = f;
    int rc = pq_proj_build(&r->proj, &f->meta, f->name, columns, ncolumns, err);
    if (rc < 0) {
        free(r);
        return rc;
    }
    r->ncols = pq_proj_num_leaves(r->proj);
    r->cols = calloc(r->ncols ? r->ncols : 1, sizeof *r->cols);
    if (!r->cols) {
        lr_parquet_rows_close(r);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    *out = r;
    return 0;
}

/* Decode the projected leaves of row group rg into cols[] (ncols of them). */
static int load_columns(struct lr_parquet_file *f, const struct pq_proj *proj, size_t rg,
                        struct pq_col *cols, size_t ncols, struct lr_error *err)
{
    const struct lr_parquet_row_group *g = &f->meta.row_groups[rg];
    if (g->num_rows > pq_max_entries(&f->meta))
        return lr_error_set(err, LR_ELIMIT,
                            "row group %zu declares %lld rows, implausible for a %llu-byte file",
                            rg, (long long)g->num_rows, (unsigned long long)f->size);
    for (size_t i = 0; i < ncols; i++) {
        size_t leaf = pq_proj_leaf_index(proj, i);
        int rc = pq_column_read(&cols[i], f, rg, leaf, err);
        if (rc < 0)
            return rc;
        const struct pq_col *c = &cols[i];
        if (c->leaf->max_rep == 0 && (int64_t)c->n != g->num_rows)
            return lr_error_set(err, LR_ECORRUPT,
                                "column %s, row group %zu: %zu values for %lld rows",
                                c->leaf->path, rg, c->n, (long long)g->num_rows);
    }
    return 0;
}

static int load_row_group(struct lr_parquet_rows *r, struct lr_error *err)
{
    int rc = load_columns(r->f, r->proj, r->rg, r->cols, r->ncols, err);
    if (rc < 0)
        return rc;
    r->loaded = true;
    r->rec = 0;
    return 0;
}

/* Position on the next record; 1 when one is ready, 0 at the end. */
/* Past a loaded row group whose rows are all consumed (checked), and past empty ones. */
static int pass_done(struct lr_parquet_rows *r, struct lr_error *err)
{
    const struct lr_parquet_meta *m = &r->f->meta;
    if (r->loaded && r->rec >= m->row_groups[r->rg].num_rows) {
        int rc = pq_assemble_check_done(r->proj, r->cols, err);
        if (rc < 0)
            return lr_error_context(err, "row group %zu", r->rg);
        unload(r);
        r->rg++;
    }
    while (!r->loaded && r->rg < m->num_row_groups && m->row_groups[r->rg].num_rows == 0)
        r->rg++;
    return 0;
}

static int advance(struct lr_parquet_rows *r, struct lr_error *err)
{
    const struct lr_parquet_meta *m = &r->f->meta;
    for (;;) {
        if (!r->loaded) {
            if (r->rg >= m->num_row_groups)
                return 0;
            if (m->row_groups[r->rg].num_rows == 0) {
                r->rg++;
                continue;
            }
            int rc = load_row_group(r, err);
            if (rc < 0)
                return rc;
        }
        if (r->rec < m->row_groups[r->rg].num_rows)
            return 1;
        int rc = pq_assemble_check_done(r->proj, r->cols, err);
        if (rc < 0)
            return lr_error_context(err, "row group %zu", r->rg);
        unload(r);
        r->rg++;
    }
}

static int fail(struct lr_parquet_rows *r, int rc, struct lr_error *err)
{
    lr_error_context(err, "%s", r->f->name);
    r->failed = rc;
    unload(r);
    return rc;
}

int lr_parquet_rows_next(struct lr_parquet_rows *r, json_t **row_out, struct lr_error *err)
{
    *row_out = NULL;
    if (r->failed)
        return lr_error_set(err, r->failed, "%s: the row cursor already failed", r->f->name);
    int rc = advance(r, err);
    if (rc <= 0)
        return rc < 0 ? fail(r, rc, err) : 0;
    rc = pq_assemble_json(r->proj, r->cols, row_out, err);
    if (rc < 0)
        return fail(r, lr_error_context(err, "row group %zu, row %lld", r->rg,
                                        (long long)r->rec),
                    err);
    r->rec++;
    return 1;
}

int64_t lr_parquet_rows_skip(struct lr_parquet_rows *r, int64_t n, struct lr_error *err)
{
    if (r->failed)
        return lr_error_set(err, r->failed, "%s: the row cursor already failed", r->f->name);
    int rc = n > 0 ? pass_done(r, err) : 0;
    if (rc < 0)
        return fail(r, rc, err);
    const struct lr_parquet_meta *m = &r->f->meta;
    if (n > 0 && !r->loaded && r->rg < m->num_row_groups &&
        n >= m->row_groups[r->rg].num_rows) {
        /* a whole row group skipped is never read: a checkpoint's other actions sit in a
         * few rows of its first row group */
        return m->row_groups[r->rg++].num_rows;
    }
    rc = advance(r, err);
    if (rc <= 0 || n <= 0)
        return rc < 0 ? fail(r, rc, err) : 0;
    int64_t left = r->f->meta.row_groups[r->rg].num_rows - r->rec;
    int64_t k = n < left ? n : left;
    for (size_t i = 0; i < r->ncols; i++) {
        struct pq_col *c = &r->cols[i];
        int maxd = c->leaf->max_def;
        if (!c->rep) {
            /* one entry per row */
            if (c->n - c->pos < (size_t)k)
                return fail(r, lr_error_set(err, LR_ECORRUPT, "column %s: levels end before "
                                            "row %lld of row group %zu", c->leaf->path,
                                            (long long)(r->rec + k), r->rg),
                            err);
            size_t vals = (size_t)k;
            if (c->def) {
                vals = 0;
                for (size_t e = c->pos; e < c->pos + (size_t)k; e++)
                    vals += c->def[e] == maxd;
            }
            c->pos += (size_t)k;
            c->vpos += vals;
        } else {
            for (int64_t row = 0; row < k; row++) {
                if (c->pos >= c->n)
                    return fail(r, lr_error_set(err, LR_ECORRUPT, "column %s: levels end "
                                                "before row %lld of row group %zu",
                                                c->leaf->path, (long long)(r->rec + row), r->rg),
                                err);
                do {
                    int d = c->def ? c->def[c->pos] : 0;
                    if (d == maxd)
                        c->vpos++;
                    c->pos++;
                } while (c->pos < c->n && c->rep[c->pos] != 0);
            }
        }
        if (c->vpos > c->nvals)
            return fail(r, lr_error_set(err, LR_ECORRUPT, "column %s: more entries than values",
                                        c->leaf->path),
                        err);
    }
    r->rec += k;
    return k;
}

int lr_parquet_rows_next_text(struct lr_parquet_rows *r, struct lr_buf *out,
                              struct lr_error *err)
{
    if (r->failed)
        return lr_error_set(err, r->failed, "%s: the row cursor already failed", r->f->name);
    int rc = advance(r, err);
    if (rc <= 0)
        return rc < 0 ? fail(r, rc, err) : 0;
    rc = pq_assemble_text(r->proj, r->cols, out, err);
    if (rc < 0)
        return fail(r, lr_error_context(err, "row group %zu, row %lld", r->rg,
                                        (long long)r->rec),
                    err);
    r->rec++;
    return 1;
}

void lr_parquet_rows_close(struct lr_parquet_rows *r)
{
    if (!r)
        return;
    if (r->cols)
        unload(r);
    free(r->cols);
    pq_proj_free(r->proj);
    free(r);
}

/* ---- columnar batches ---- */

struct lr_parquet_batch {
    struct pq_proj *proj;
    struct pq_col *cols;
    size_t ncols;
    int64_t num_rows;
};

int lr_parquet_batch_read(struct lr_parquet_batch **out, struct lr_parquet_file *f, size_t rg,
                          const char *const *columns, size_t ncolumns, struct lr_error *err)
{
    *out = NULL;
    if (rg >= f->meta.num_row_groups)
        return lr_error_set(err, LR_ERANGE, "%s: no row group %zu (the file has %zu)", f->name,
                            rg, f->meta.num_row_groups);
    struct lr_parquet_batch *b = calloc(1, sizeof *b);
    if (!b)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int rc = pq_proj_build(&b->proj, &f->meta, f->name, columns, ncolumns, err);
    if (rc >= 0) {
        b->ncols = pq_proj_num_leaves(b->proj);
        b->cols = calloc(b->ncols ? b->ncols : 1, sizeof *b->cols);
        if (!b->cols)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    if (rc >= 0) {
        b->num_rows = f->meta.row_groups[rg].num_rows;
        rc = load_columns(f, b->proj, rg, b->cols, b->ncols, err);
        if (rc < 0)
            lr_error_context(err, "%s", f->name);
    }
    if (rc < 0) {
        lr_parquet_batch_free(b);
        return rc;
    }
    *out = b;
    return 0;
}

int64_t lr_parquet_batch_num_rows(const struct lr_parquet_batch *b)
{
    return b->num_rows;
}

size_t lr_parquet_batch_num_columns(const struct lr_parquet_batch *b)
{
    return b->ncols;
}

void lr_parquet_batch_column(const struct lr_parquet_batch *b, size_t i,
                             struct lr_parquet_column *out)
{
    const struct pq_col *c = &b->cols[i];
    out->leaf = c->leaf;
    out->num_entries = c->n;
    out->def_levels = c->leaf && c->leaf->max_def > 0 ? c->def : NULL;
    out->rep_levels = c->leaf && c->leaf->max_rep > 0 ? c->rep : NULL;
    out->num_values = c->nvals;
    out->width = c->width;
    out->fixed = c->fixed;
    out->byte_arrays = c->ba;
}

void lr_parquet_batch_free(struct lr_parquet_batch *b)
{
    if (!b)
        return;
    if (b->cols)
        for (size_t i = 0; i < b->ncols; i++)
            pq_col_free(&b->cols[i]);
    free(b->cols);
    pq_proj_free(b->proj);
    free(b);
}

int lr_parquet_column_scan(struct lr_parquet_file *f, size_t rg, const char *column,
                           lr_parquet_page_want want, lr_parquet_page_fn visit, void *ctx,
                           struct lr_error *err)
{
    if (rg >= f->meta.num_row_groups)
        return lr_error_set(err, LR_ERANGE, "%s: no row group %zu (the file has %zu)", f->name,
                            rg, f->meta.num_row_groups);
    for (size_t i = 0; i < f->meta.num_leaves; i++) {
        const struct lr_parquet_node *leaf = f->meta.leaves[i];
        if (strcmp(leaf->path, column) != 0)
            continue;
        if (leaf->max_rep > 0)
            return lr_error_set(err, LR_EINVAL, "%s: column %s is repeated: read it with "
                                "lr_parquet_batch_read", f->name, column);
        int rc = pq_column_scan(f, rg, i, want, visit, ctx, err);
        return rc < 0 ? lr_error_context(err, "%s", f->name) : 0;
    }
    return lr_error_set(err, LR_ENOTFOUND, "%s: no column %s", f->name, column);
}
