/* checkpoint_parquet.c - Parquet checkpoint files and sidecars into replay actions.
 *
 * Owns: the projection (only the columns replay needs, chosen from the file's own schema since
 * writers differ: Spark has stats_parsed/partitionValues_parsed, kernel has a sidecar column,
 * V2 adds checkpointMetadata) and turning each row into actions. Typed stats are never decoded
 * except stats_parsed.numRecords, the row count of struct-stats-only checkpoints. */
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "lakerewind/parquet.h"
#include "lakerewind/str.h"

static const char *const TOP[] = {"add", "remove", "metaData", "protocol", "txn",
                                  "domainMetadata", "sidecar", "checkpointMetadata", NULL};

static int want_top(const char *name, bool is_sidecar)
{
    if (is_sidecar)
        return strcmp(name, "add") == 0 || strcmp(name, "remove") == 0;
    for (size_t i = 0; TOP[i]; i++)
        if (strcmp(TOP[i], name) == 0)
            return 1;
    return 0;
}

/* `skip_files`: add/remove are decoded by checkpoint_files.c, project the rest only. */
static int build_projection(const struct lr_parquet_meta *m, bool is_sidecar, bool skip_files,
                            struct lr_strvec *cols)
{
    for (size_t i = 0; i < m->root->num_children; i++) {
        const struct lr_parquet_node *top = m->root->children[i];
        if (!want_top(top->name, is_sidecar))
            continue;
        bool is_file = strcmp(top->name, "add") == 0 || strcmp(top->name, "remove") == 0;
        if (is_file && skip_files)
            continue;
        if (!is_file) {
            if (lr_strvec_push(cols, top->path) < 0)
                return LR_ENOMEM;
            continue;
        }
        for (size_t k = 0; k < top->num_children; k++) {
            const struct lr_parquet_node *c = top->children[k];
            if (strcmp(c->name, "partitionValues_parsed") == 0)
                continue;
            if (strcmp(c->name, "stats_parsed") == 0) {
                for (size_t j = 0; j < c->num_children; j++)
                    if (strcmp(c->children[j]->name, "numRecords") == 0 &&
                        lr_strvec_push(cols, c->children[j]->path) < 0)
                        return LR_ENOMEM;
                continue;
            }
            if (lr_strvec_push(cols, c->path) < 0)
                return LR_ENOMEM;
        }
    }
    return 0;
}

static const struct lr_parquet_node *first_leaf(const struct lr_parquet_node *n)
{
    while (n->num_children)
        n = n->children[0];
    return n;
}

/* Which rows of row group rg hold an action other than add/remove (protocol, metaData, txn,
 * ...): read from the definition levels of one leaf of each such column, so that the row
 * path assembles those rows only. */
static int rows_wanted(struct lr_parquet_file *f, size_t rg, const struct lr_parquet_meta *m,
                       bool is_sidecar, bool **out, struct lr_error *err)
{
    int64_t rows = m->row_groups[rg].num_rows;
    bool *w = calloc(rows > 0 ? (size_t)rows : 1, sizeof *w);
    struct lr_strvec leaves = {0};
    const struct lr_parquet_node *tops[16];
    size_t ntops = 0;
    int rc = w ? 0 : LR_ENOMEM;
    for (size_t i = 0; i < m->root->num_children && rc >= 0 && ntops < 16; i++) {
        const struct lr_parquet_node *top = m->root->children[i];
        if (!want_top(top->name, is_sidecar) || strcmp(top->name, "add") == 0 ||
            strcmp(top->name, "remove") == 0)
            continue;
        if (top->max_def == 0) { /* a required action column: every row has one */
            for (int64_t r = 0; r < rows; r++)
                w[r] = true;
            continue;
        }
        tops[ntops++] = top;
        if (lr_strvec_push(&leaves, first_leaf(top)->path) < 0)
            rc = LR_ENOMEM;
    }
    if (rc < 0) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
    } else if (leaves.count > 0) {
        struct lr_parquet_batch *b = NULL;
        rc = lr_parquet_batch_read(&b, f, rg, (const char *const *)leaves.items, leaves.count,
                                   err);
        for (size_t i = 0; rc >= 0 && i < lr_parquet_batch_num_columns(b); i++) {
            struct lr_parquet_column c;
            lr_parquet_batch_column(b, i, &c);
            const struct lr_parquet_node *top = NULL;
            for (size_t t = 0; t < ntops; t++)
                if (lr_str_starts_with(c.leaf->path, tops[t]->path))
                    top = tops[t];
            int64_t r = -1;
            for (size_t e = 0; e < c.num_entries; e++) {
                if (!c.rep_levels || c.rep_levels[e] == 0)
                    r++;
                if (r >= rows)
                    break;
                if (r >= 0 && top && (!c.def_levels || c.def_levels[e] >= top->max_def))
                    w[r] = true;
            }
        }
        lr_parquet_batch_free(b);
    }
    lr_strvec_free(&leaves);
    if (rc < 0) {
        free(w);
        return rc;
    }
    *out = w;
    return 0;
}

/* The rows of actions other than add/remove (all of them when the columns were not taken
 * by checkpoint_files.c) through the row path, into the state. */
struct row_pass {
    struct lr_parquet_file *f;
    const struct lr_parquet_meta *m;
    bool is_sidecar, files_done;
    const struct lr_strvec *cols;
    struct delta_state *s;
    struct lr_strvec *sidecars;
    const char *key;
};

static int other_actions(void *ctx, struct lr_error *err)
{
    struct row_pass *p = ctx;
    struct lr_parquet_file *f = p->f;
    const struct lr_parquet_meta *m = p->m;
    struct lr_parquet_rows *rows = NULL;
    bool *wanted = NULL;
    int rc = lr_parquet_rows_open(&rows, f, (const char *const *)p->cols->items, p->cols->count,
                                  err);
    if (rc < 0)
        return rc;
    int64_t row_no = 0;
    size_t rg = 0;
    int64_t rg_row = 0;
    for (;;) {
        json_t *row = NULL;
        while (rg < m->num_row_groups && rg_row >= m->row_groups[rg].num_rows) {
            rg++;
            rg_row = 0;
            free(wanted);
            wanted = NULL;
        }
        if (rg < m->num_row_groups && !wanted && p->files_done) {
            rc = rows_wanted(f, rg, m, p->is_sidecar, &wanted, err);
            if (rc < 0)
                break;
        }
        if (wanted && !wanted[rg_row]) {
            /* rows of the add/remove columns only: they were read column by column */
            /* up to the next wanted row: a byte search, the rows between are most of them */
            _Static_assert(sizeof(bool) == 1, "a bool is one byte, true is 1");
            const bool *next = memchr(wanted + rg_row + 1, true,
                                      (size_t)(m->row_groups[rg].num_rows - rg_row - 1));
            int64_t n = next ? next - (wanted + rg_row) : m->row_groups[rg].num_rows - rg_row;
            int64_t k = lr_parquet_rows_skip(rows, n, err);
            if (k <= 0) {
                rc = (int)k;
                break;
            }
            rg_row += k;
            row_no += k;
            continue;
        }
        rc = lr_parquet_rows_next(rows, &row, err);
        if (rc <= 0)
            break;
        rg_row++;
        row_no++;
        const char *sc = delta_json_str(json_object_get(row, "sidecar"), "path");
        if (sc && p->sidecars && lr_strvec_push(p->sidecars, sc) < 0)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        if (rc >= 0)
            rc = delta_state_apply(p->s, row, true, err);
        json_decref(row);
        if (rc < 0) {
            lr_error_context(err, "%s row %lld", p->key, (long long)row_no);
            break;
        }
    }
    free(wanted);
    lr_parquet_rows_close(rows);
    return rc < 0 ? rc : 0;
}

/* A checkpoint the store can map (a local file) is mapped, whatever its size: no copy, and
 * its pages are the page cache's. Otherwise checkpoints up to 128 MiB are fetched with one GET
 * and decoded from memory (one request instead of a footer read plus one range read per
 * column chunk); up to 1 GiB, whole as well, in 32 MiB range GETs four at a time (one GET of
 * that size could outlast a request's timeout); larger ones are read with range requests for
 * the projected columns only. A file held whole keeps its stats compressed (lazy_stats.c) and
 * is decoded on several threads: read by projected ranges, every stats string is copied,
 * which for a checkpoint that large can take gigabytes. */
static _Atomic uint64_t one_get_max = (uint64_t)128 << 20;
static _Atomic uint64_t part_bytes = (uint64_t)32 << 20;
static _Atomic uint64_t whole_max = (uint64_t)1 << 30;
#define PARTS_IN_FLIGHT 4

static _Atomic bool map_ok = true;

void delta_checkpoint_read_limits_set(uint64_t one_get, uint64_t part, uint64_t whole,
                                      bool map)
{
    map_ok = map;
    one_get_max = one_get ? one_get : (uint64_t)128 << 20;
    part_bytes = part ? part : (uint64_t)32 << 20;
    whole_max = whole ? whole : (uint64_t)1 << 30;
}

/* The object's `size` bytes into `whole` by range GETs, a few in flight at a time (so that
 * memory stays near the file plus those parts). */
static int read_in_parts(struct lr_store *store, const char *key, uint64_t size,
                         struct lr_buf *whole, struct lr_error *err)
{
    uint64_t part = part_bytes;
    int rc = lr_buf_reserve(whole, (size_t)size, err);
    for (uint64_t off = 0; rc >= 0 && off < size;) {
        struct lr_store_read reads[PARTS_IN_FLIGHT];
        struct lr_buf bufs[PARTS_IN_FLIGHT];
        size_t n = 0;
        for (; n < PARTS_IN_FLIGHT && off < size; n++, off += part) {
            uint64_t len = size - off < part ? size - off : part;
            lr_buf_init(&bufs[n], (size_t)len);
            reads[n] = (struct lr_store_read){key, false, off, len, &bufs[n], 0, {0}};
        }
        rc = lr_store_get_many(store, reads, n, n, err);
        for (size_t i = 0; i < n; i++) {
            if (rc >= 0 && bufs[i].len != reads[i].length)
                rc = lr_error_set(err, LR_ECORRUPT, "%s: short read at byte %llu: the object "
                                  "changed while it was read (%llu bytes listed)", key,
                                  (unsigned long long)reads[i].offset,
                                  (unsigned long long)size);
            if (rc >= 0)
                rc = lr_buf_append(whole, bufs[i].data, bufs[i].len, err);
            lr_buf_free(&bufs[i]);
        }
    }
    return rc < 0 ? rc : 0;
}

int delta_parquet_checkpoint_replay(struct lr_delta_table *t, const char *key, uint64_t size,
                                    struct delta_state *s, struct lr_strvec *sidecars,
                                    bool is_sidecar, struct lr_error *err)
{
    struct lr_parquet_file *f = NULL;
    struct lr_strvec cols = {0};
    struct lr_store_blob whole = {0};
    uint64_t one_get = one_get_max;
    int rc = map_ok ? lr_store_get_blob(t->store, key, 0, true, &whole, err) : LR_EUNSUPPORTED;
    if (rc == LR_EUNSUPPORTED) {
        rc = LR_ELIMIT;
        if (size <= one_get) {
            rc = lr_store_get_blob(t->store, key, (size_t)one_get, false, &whole, err);
        } else if (size <= whole_max) {
            struct lr_buf parts;
            lr_buf_init(&parts, (size_t)size);
            rc = read_in_parts(t->store, key, size, &parts, err);
            lr_store_blob_adopt(&whole, &parts);
            lr_buf_free(&parts);
        }
    }
    if (rc == 0)
        rc = lr_parquet_open_buffer(&f, whole.data, whole.len, key, err);
    if (rc == LR_ELIMIT) {
        lr_store_blob_release(&whole);
        rc = lr_parquet_open(&f, t->store, key, err);
    }
    if (rc < 0)
        goto done;
    const struct lr_parquet_meta *m = lr_parquet_metadata(f);
    if (build_projection(m, is_sidecar, false, &cols) < 0) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    if (cols.count == 0) {
        rc = lr_error_set(err, LR_ECORRUPT, "%s: not a Delta checkpoint (no add, remove, "
                          "metaData or protocol column)", key);
        goto done;
    }
    bool files_done = delta_files_fast_ok(m);
    struct row_pass rp = {f, m, is_sidecar, files_done, &cols, s, sidecars, key};
    if (files_done) {
        /* add/remove column by column; the few other actions through the row path. A file
         * held whole keeps its stats: its bytes go to a stats source the arena keeps. */
        struct delta_stats_src *src = NULL;
        if (whole.data) {
            rc = delta_stats_src_new(&src, &whole, key, err);
            if (rc >= 0 && delta_stats_src_keep(src, s->mem) < 0)
                rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            if (rc >= 0)
                rc = delta_stats_src_plan(src, f, err);
            if (rc == LR_ELIMIT) {
                src = NULL; /* rows beyond a record's row number: copy the text */
                rc = 0;
            }
            if (rc < 0)
                goto done;
        }
        /* the other actions' rows are read alongside (a job of their own when the row
         * groups are decoded on several threads: they touch the state, the row groups don't) */
        lr_strvec_free(&cols);
        if (build_projection(m, is_sidecar, true, &cols) < 0) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            goto done;
        }
        struct delta_side_job side = {cols.count ? other_actions : NULL, &rp};
        rc = delta_files_fast_replay(f, key, src, &side, s, err);
        goto done;
    }
    rc = other_actions(&rp, err);
done:
    lr_parquet_close(f);
    lr_store_blob_release(&whole);
    lr_strvec_free(&cols);
    return rc < 0 ? rc : 0;
}
