/* checkpoint_files.c - the fast path for the add and remove columns of a Parquet checkpoint.
 *
 * Owns: decoding add/remove straight from the columns of each row group into file records
 * (filerec.c) equal to the ones the row path makes from the same rows once replay drops their
 * null fields, without a JSON object per file. Per row group: the other plain leaves (size,
 * times, dataChange, stats_parsed.numRecords) are read a page at a time (lr_parquet_column_scan:
 * pooled page buffers) into an 8-byte value per row, then the path column makes the records
 * with them; partitionValues and the fields without a place of their own come from one
 * batch of just the columns some row holds (checkpoint_rest.c); then the `stats` strings, a
 * page at a time, read in place for numRecords and left in the checkpoint when the caller
 * gives a stats source (lazy_stats.c), else copied. Row groups of an in-memory checkpoint are
 * decoded on several threads.
 * Invariants: (1) only the shapes Delta writers produce are taken: plain INT32/INT64/BOOLEAN
 * leaves, STRING leaves, structs of those (deletionVector) and string-to-string maps
 * (partitionValues, tags); partitionValues_parsed and typed stats are skipped as in the row
 * path (but stats_parsed.numRecords); any other child (lists, annotated numbers) makes
 * delta_files_fast_ok() false and the caller keeps the row path for the whole file;
 * (2) top-level null fields are omitted, nested nulls (a deletionVector without offset) stay
 * JSON null, exactly like the row path; (3) every level read is bounds-checked: inconsistent
 * columns give LR_ECORRUPT, never a wrong record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delta/checkpoint_fields.h"
#include "lakerewind/parallel.h"

static bool plain_leaf(const struct lr_parquet_node *n)
{
    if (n->num_children || n->max_rep != 0)
        return false;
    if (n->type == LR_PQ_BYTE_ARRAY)
        return n->logical == LR_PQ_LT_STRING ||
               (n->logical == LR_PQ_LT_NONE && n->converted_type == 0);
    if (n->type != LR_PQ_BOOLEAN && n->type != LR_PQ_INT32 && n->type != LR_PQ_INT64)
        return false;
    return n->logical == LR_PQ_LT_NONE && n->converted_type < 0;
}

static bool string_leaf(const struct lr_parquet_node *n)
{
    return !n->num_children && n->type == LR_PQ_BYTE_ARRAY &&
           (n->logical == LR_PQ_LT_STRING ||
            (n->logical == LR_PQ_LT_NONE && n->converted_type == 0));
}

static bool is_map(const struct lr_parquet_node *n)
{
    if (n->logical != LR_PQ_LT_MAP && n->converted_type != 1 && n->converted_type != 2)
        return false;
    if (n->num_children != 1 || n->max_rep != 0)
        return false;
    const struct lr_parquet_node *kv = n->children[0];
    return kv->repetition == LR_PQ_REPEATED && kv->num_children == 2 && kv->max_rep == 1 &&
           string_leaf(kv->children[0]) && string_leaf(kv->children[1]) &&
           kv->children[1]->repetition != LR_PQ_REPEATED &&
           kv->children[0]->repetition != LR_PQ_REPEATED;
}

static bool is_int_leaf(const struct lr_parquet_node *n)
{
    return plain_leaf(n) && (n->type == LR_PQ_INT32 || n->type == LR_PQ_INT64);
}

static enum frole role_of(const struct lr_parquet_node *c, bool is_add)
{
    if (strcmp(c->name, "path") == 0 && string_leaf(c) && c->max_rep == 0)
        return R_PATH;
    if (strcmp(c->name, "size") == 0 && is_int_leaf(c))
        return R_SIZE;
    if (strcmp(c->name, is_add ? "modificationTime" : "deletionTimestamp") == 0 &&
        is_int_leaf(c))
        return R_TIME;
    if (strcmp(c->name, "dataChange") == 0 && plain_leaf(c) && c->type == LR_PQ_BOOLEAN)
        return R_DATA_CHANGE;
    if (strcmp(c->name, "partitionValues") == 0 && is_map(c))
        return R_PV;
    return R_EXTRA;
}


/* The field plan of `top` (add or remove); false when its shape is not one we decode. Rest
 * fields are numbered by their first column in the rest batch (next_col counts them). */
static bool plan_top(const struct lr_parquet_node *top, struct ftop *out, size_t *next_col)
{
    memset(out, 0, sizeof *out);
    if (!top->num_children || top->max_rep != 0)
        return false;
    out->is_add = strcmp(top->name, "add") == 0;
    struct ffield *tf = &out->f;
    tf->node = top;
    tf->kind = F_STRUCT;
    tf->col = *next_col;
    tf->kids = calloc(top->num_children, sizeof *tf->kids);
    if (!tf->kids)
        return false;
    bool has_path = false;
    for (size_t i = 0; i < top->num_children; i++) {
        const struct lr_parquet_node *c = top->children[i];
        if (strcmp(c->name, "partitionValues_parsed") == 0)
            continue;
        if (strcmp(c->name, "stats") == 0 && string_leaf(c) && c->max_rep == 0) {
            out->stats = c;
            continue;
        }
        if (strcmp(c->name, "stats_parsed") == 0) {
            /* typed stats: only numRecords, as the row path */
            for (size_t j = 0; j < c->num_children; j++) {
                const struct lr_parquet_node *g = c->children[j];
                if (strcmp(g->name, "numRecords") != 0)
                    continue;
                if (!is_int_leaf(g))
                    return false;
                tf->kids[tf->nkids++] = (struct ffield){g, F_LEAF, R_SPNUM, 0, 1, NULL, 0, 0, 0};
            }
            continue;
        }
        struct ffield *k = &tf->kids[tf->nkids++];
        k->node = c;
        k->role = role_of(c, out->is_add);
        has_path |= k->role == R_PATH;
        if (plain_leaf(c)) {
            k->kind = F_LEAF;
            k->ncols = 1;
        } else if (is_map(c)) {
            k->kind = F_MAP;
            k->ncols = 2;
            k->kv_def = c->children[0]->max_def;
            k->kv_rep = c->children[0]->max_rep;
        } else if (c->num_children && c->max_rep == 0 && c->logical == LR_PQ_LT_NONE &&
                   c->converted_type < 0) {
            k->kind = F_STRUCT;
            k->kids = calloc(c->num_children, sizeof *k->kids);
            if (!k->kids)
                return false;
            for (size_t j = 0; j < c->num_children; j++) {
                if (!plain_leaf(c->children[j]))
                    return false;
                k->kids[j] = (struct ffield){c->children[j], F_LEAF, R_EXTRA, *next_col + j, 1,
                                             NULL, 0, 0, 0};
            }
            k->nkids = c->num_children;
            k->ncols = c->num_children;
        } else {
            return false; /* lists, annotated numbers: the row path */
        }
        if (delta_field_in_rest(k)) {
            k->col = *next_col;
            *next_col += k->ncols;
            tf->ncols += k->ncols;
        }
    }
    return has_path;
}

static void plan_free(struct ftop *t)
{
    for (size_t i = 0; i < t->f.nkids; i++)
        free(t->f.kids[i].kids);
    free(t->f.kids);
    memset(t, 0, sizeof *t);
}



bool delta_files_fast_ok(const struct lr_parquet_meta *m)
{
    size_t col = 0;
    bool ok = true;
    for (size_t i = 0; i < m->root->num_children && ok; i++) {
        const struct lr_parquet_node *top = m->root->children[i];
        if (strcmp(top->name, "add") && strcmp(top->name, "remove"))
            continue;
        struct ftop p;
        ok = plan_top(top, &p, &col);
        plan_free(&p);
    }
    return ok;
}

bool delta_field_in_rest(const struct ffield *k)
{
    return k->role == R_PV || k->role == R_EXTRA;
}

int delta_field_leaves(const struct lr_parquet_node *n, struct lr_strvec *cols)
{
    if (!n->num_children)
        return lr_strvec_push(cols, n->path) < 0 ? LR_ENOMEM : 0;
    for (size_t i = 0; i < n->num_children; i++)
        if (delta_field_leaves(n->children[i], cols) < 0)
            return LR_ENOMEM;
    return 0;
}

static int nomem(struct lr_error *err)
{
    return lr_error_set(err, LR_ENOMEM, "out of memory");
}

/* The arena copy of a STRING value as the row path renders it. */
static const char *copy_text(struct lr_delta_mem *mem, const struct lr_parquet_slice *s)
{
    return delta_text_from_parquet(mem, s->p, s->len);
}

static int fast_init(struct fast *fs, const struct lr_parquet_meta *m)
{
    memset(fs, 0, sizeof *fs);
    lr_buf_init(&fs->kb, 0);
    size_t col = 0;
    int rc = 0;
    /* schema order, so that plan column numbers match the batch's columns */
    for (size_t i = 0; i < m->root->num_children && rc >= 0 && fs->ntops < 2; i++) {
        const struct lr_parquet_node *top = m->root->children[i];
        if (strcmp(top->name, "add") && strcmp(top->name, "remove"))
            continue;
        if (fs->ntops == 1 && strcmp(fs->plans[0].f.node->name, top->name) == 0)
            continue;
        struct ftop *p = &fs->plans[fs->ntops++];
        if (!plan_top(top, p, &col))
            return LR_EUNSUPPORTED;
        for (size_t k = 0; k < p->f.nkids && rc >= 0; k++)
            if (delta_field_in_rest(&p->f.kids[k]))
                rc = delta_field_leaves(p->f.kids[k].node, &fs->cols);
    }
    return rc;
}

/* One top's stats column of one row group, page by page (stats_pass). */
struct stats_scan {
    struct lr_delta_file **recs; /* one per row (delta_row_rec) */
    bool is_add;                 /* this scan's kind */
    int64_t rows, seen;
    size_t rg;
    struct delta_stats_src *src;
    struct lr_delta_mem *mem;
    struct delta_totals *live;   /* the adds' totals, counted as their counts come (or NULL) */
};

static int stats_row(void *ctx, size_t row, const struct lr_parquet_slice *s,
                     struct lr_error *err)
{
    struct stats_scan *x = ctx;
    struct lr_delta_file *rec = delta_row_rec(x->recs, row, x->is_add);
    if (!rec)
        return 0;
    int64_t n = -1; /* no stats: the count stays as it is */
    if (s && delta_stats_src_refer(x->src, rec, x->rg, (int64_t)row))
        n = delta_scan_num_records_n((const char *)s->p, s->len);
    else if (s && !(rec->stats = copy_text(x->mem, s)))
        return nomem(err);
    else if (s)
        n = delta_scan_num_records(rec->stats);
    if (n >= 0)
        rec->num_records = n;
    if (x->live)
        delta_totals_add(x->live, rec, 1);
    return 0;
}

static int stats_page(void *ctx, const struct lr_parquet_column *c, size_t first,
                      struct lr_error *err)
{
    struct stats_scan *x = ctx;
    int rc = delta_page_strings(c, first, x->rows, stats_row, x, err);
    x->seen = (int64_t)(first + c->num_entries);
    return rc;
}

/* The totals of the adds among recs (read while the worker that made them still has them
 * near, not by the thread that seals the checkpoint). */
static void count_adds(struct lr_delta_file *const *recs, int64_t rows, struct delta_totals *t)
{
    *t = (struct delta_totals){0, 0, 0};
    for (size_t i = 0; i < (size_t)rows; i++) {
        struct lr_delta_file *r = delta_row_rec(recs, i, true);
        if (r)
            delta_totals_add(t, r, 1);
    }
}

/* The stats of the row group's records, a page at a time (the column is read once and never
 * held whole): numRecords always, read in place; the text is copied only without a stats
 * source to keep it. `live` (may be NULL) gets the adds' totals, counted as each record's
 * count is set rather than in a pass of its own. */
static int stats_pass(struct lr_parquet_file *f, size_t rg, const struct fast *fs,
                      struct lr_delta_file **recs, int64_t rows, const bool held[2],
                      struct delta_stats_src *src, struct lr_delta_mem *mem,
                      struct delta_totals *live, struct lr_error *err)
{
    bool counted = false;
    for (size_t t = 0; t < fs->ntops; t++) {
        if (!fs->plans[t].stats || !held[t])
            continue; /* no stats, or no such action in the row group: nothing to read */
        bool count = live && fs->plans[t].is_add;
        struct stats_scan x = {recs, fs->plans[t].is_add, rows, 0, rg, src, mem,
                               count ? live : NULL};
        counted |= count;
        const char *col = fs->plans[t].stats->path;
        int rc = lr_parquet_column_scan(f, rg, col, NULL, stats_page, &x, err);
        if (rc < 0)
            return rc;
        if (x.seen != rows)
            return lr_error_set(err, LR_ECORRUPT, "column %s: fewer level entries than rows",
                                col);
    }
    if (live && !counted) /* adds without a stats column */
        count_adds(recs, rows, live);
    return 0;
}

/* ---- the record leaves, a column at a time: each page is decoded into a pooled buffer; the
 * plain leaves' values wait in per-row arrays until the path column makes the records. */

/* The first sort keys of a row group's adds (delta_path_key), made as each path is copied, at
 * the depth that the paths of the checkpoint's first page share: the sort then starts there
 * without fetching a million paths again. A path without that prefix (the guess was wrong)
 * leaves them unused. */
struct path_keys {
    const char *prefix; /* `depth` bytes, no NUL among them */
    size_t depth;
    uint64_t *keys;     /* one per row */
    bool ok;            /* every add's path has the prefix */
};

/* The plain leaves of one top (size, modificationTime or deletionTimestamp, dataChange,
 * stats_parsed.numRecords) are decoded before its path column makes the records: each row's
 * values wait here (-1, a record's default, where absent), so a record is written once, as it
 * is made, instead of once per leaf (a million records fetched three more times). An array
 * is made on its first value: the columns of a top no row holds cost nothing. */
struct leaf_values {
    size_t rows;
    int64_t *num[3];    /* size, time, stats_parsed.numRecords (leaf_slot) */
    int8_t *data_change;
};

static int leaf_slot(enum frole role)
{
    return role == R_SIZE ? 0 : role == R_TIME ? 1 : 2;
}

/* -1 in every byte is -1 in every int64_t and int8_t. */
static void *leaf_array(void **a, size_t rows, size_t width)
{
    if (!*a && (*a = malloc((rows ? rows : 1) * width)))
        memset(*a, 0xff, rows * width);
    return *a;
}

static void leaf_values_free(struct leaf_values *lv)
{
    for (size_t i = 0; i < 3; i++)
        free(lv->num[i]);
    free(lv->data_change);
}

struct leaf_scan {
    struct lr_delta_file **recs; /* one per row (delta_row_rec) */
    int64_t rows, seen, row0;
    size_t made;                 /* records made (the path column) */
    const struct ftop *top;
    enum frole role;
    struct lr_delta_mem *mem;
    const char *key;
    struct path_keys *pk;        /* the adds' path scan: keys wanted (else NULL) */
    struct leaf_values *lv;      /* this top's plain leaves, read before its path */
};

static int page_fits(const struct leaf_scan *x, const struct lr_parquet_column *c, size_t first,
                     struct lr_error *err)
{
    if ((int64_t)(first + c->num_entries) > x->rows)
        return lr_error_set(err, LR_ECORRUPT, "column %s: more entries than rows",
                            c->leaf->path);
    return 0;
}

/* The path column makes the records: a row whose levels reach the action's own level holds
 * the action, which must then have a path. */
static int path_page(void *ctx, const struct lr_parquet_column *c, size_t first,
                     struct lr_error *err)
{
    struct leaf_scan *x = ctx;
    int rc = page_fits(x, c, first, err);
    int top_def = x->top->f.node->max_def;
    int leaf_def = c->leaf->max_def;
    size_t v = 0;
    for (size_t e = 0; e < c->num_entries && rc >= 0; e++) {
        int d = c->def_levels ? c->def_levels[e] : leaf_def;
        if (d < top_def)
            continue;
        size_t row = first + e;
        if (d < leaf_def) {
            rc = lr_error_set(err, LR_ECORRUPT, "%s action without a string \"path\"",
                              x->top->is_add ? "add" : "remove");
            lr_error_context(err, "%s row %lld", x->key, (long long)(x->row0 + (int64_t)row + 1));
            break;
        }
        if (v >= c->num_values)
            return lr_error_set(err, LR_ECORRUPT, "column %s: fewer values than levels",
                                c->leaf->path);
        if (x->recs[row]) { /* the other top's action, made first */
            rc = lr_error_set(err, LR_ECORRUPT, "a checkpoint row holds both an add and a "
                              "remove action (each row must hold one action)");
            lr_error_context(err, "%s row %lld", x->key, (long long)(x->row0 + (int64_t)row + 1));
            break;
        }
        struct lr_delta_file *r = delta_rec_new(x->mem, x->top->is_add);
        if (!r || !(r->path = copy_text(x->mem, &c->byte_arrays[v++])))
            return nomem(err);
        x->recs[row] = (struct lr_delta_file *)((uintptr_t)r | !x->top->is_add);
        x->made++;
        const struct leaf_values *lv = x->lv;
        if (lv->num[0])
            r->size = lv->num[0][row];
        if (lv->num[1])
            r->modification_time = lv->num[1][row];
        if (lv->num[2])
            r->num_records = lv->num[2][row];
        if (lv->data_change)
            r->data_change = lv->data_change[row];
        if (x->pk && strncmp(r->path, x->pk->prefix, x->pk->depth) == 0) {
            bool ended;
            x->pk->keys[row] = delta_path_key(r->path, x->pk->depth, &ended);
        } else if (x->pk) {
            x->pk->ok = false;
        }
    }
    x->seen = (int64_t)(first + c->num_entries);
    return rc;
}

/* size, modificationTime/deletionTimestamp, dataChange, stats_parsed.numRecords. */
static int leaf_page(void *ctx, const struct lr_parquet_column *c, size_t first,
                     struct lr_error *err)
{
    struct leaf_scan *x = ctx;
    int rc = page_fits(x, c, first, err);
    if (rc < 0)
        return rc;
    int leaf_def = c->leaf->max_def;
    size_t v = 0;
    for (size_t e = 0; e < c->num_entries; e++) {
        if (c->def_levels && c->def_levels[e] != leaf_def)
            continue;
        if (v >= c->num_values)
            return lr_error_set(err, LR_ECORRUPT, "column %s: fewer values than levels",
                                c->leaf->path);
        size_t vi = v++;
        size_t row = first + e; /* a value under an absent action is never taken, as the row
                                   path ignores it too */
        struct leaf_values *lv = x->lv;
        if (x->role == R_DATA_CHANGE) {
            if (!leaf_array((void **)&lv->data_change, lv->rows, 1))
                return nomem(err);
            lv->data_change[row] = c->fixed[vi] != 0;
            continue;
        }
        int64_t n;
        if (c->leaf->type == LR_PQ_INT32) {
            int32_t i32;
            memcpy(&i32, c->fixed + vi * 4, 4);
            n = i32;
        } else {
            memcpy(&n, c->fixed + vi * 8, 8);
        }
        int slot = leaf_slot(x->role);
        if (!leaf_array((void **)&lv->num[slot], lv->rows, sizeof(int64_t)))
            return nomem(err);
        lv->num[slot][row] = n;
    }
    x->seen = (int64_t)(first + c->num_entries);
    return 0;
}

static int scan_leaf(struct lr_parquet_file *f, size_t rg, const struct ffield *k,
                     struct leaf_scan *x, struct lr_error *err)
{
    x->role = k->role;
    x->seen = 0;
    int rc = lr_parquet_column_scan(f, rg, k->node->path, NULL,
                                    k->role == R_PATH ? path_page : leaf_page, x, err);
    if (rc >= 0 && x->seen != x->rows)
        rc = lr_error_set(err, LR_ECORRUPT, "column %s: fewer level entries than rows",
                          k->node->path);
    return rc;
}

/* Every top's plain leaves, then its path column, which makes the records with them;
 * held[t] says whether it made any for top t. */
static int leaves_pass(struct lr_parquet_file *f, size_t rg, const struct fast *fs,
                       struct lr_delta_file **recs, int64_t rows, int64_t row0,
                       struct lr_delta_mem *mem, const char *key, struct path_keys *pk,
                       bool held[2], struct lr_error *err)
{
    int rc = 0;
    held[0] = held[1] = false;
    for (size_t t = 0; t < fs->ntops && rc >= 0; t++) {
        const struct ftop *top = &fs->plans[t];
        struct leaf_values lv = {(size_t)rows, {NULL, NULL, NULL}, NULL};
        struct leaf_scan x = {recs, rows, 0, row0, 0, top, R_PATH, mem, key,
                              top->is_add ? pk : NULL, &lv};
        for (size_t i = 0; i < top->f.nkids && rc >= 0; i++)
            if (!delta_field_in_rest(&top->f.kids[i]) && top->f.kids[i].role != R_PATH)
                rc = scan_leaf(f, rg, &top->f.kids[i], &x, err);
        for (size_t i = 0; i < top->f.nkids && rc >= 0; i++)
            if (top->f.kids[i].role == R_PATH)
                rc = scan_leaf(f, rg, &top->f.kids[i], &x, err);
        leaf_values_free(&lv);
        held[t] = x.made > 0;
    }
    return rc;
}

/* The records of a row group: the leaves that make them, then partitionValues and the rest;
 * held[t]: whether some row holds top t's action (for the stats pass too). */
static int records_passes(struct lr_parquet_file *f, const struct fast *fs, size_t rg,
                          struct lr_delta_mem *mem, struct lr_buf *kb,
                          struct lr_delta_file **recs, int64_t row0, const char *key,
                          struct path_keys *pk, bool held[2], struct lr_error *err)
{
    int64_t rows = lr_parquet_metadata(f)->row_groups[rg].num_rows;
    int rc = leaves_pass(f, rg, fs, recs, rows, row0, mem, key, pk, held, err);
    if (rc >= 0)
        rc = delta_rest_pass(f, rg, fs, recs, rows, row0, held, mem, kb, key, err);
    return rc;
}

/* Row group rg into recs (one slot per row, as delta_row_rec() reads them; zeroed by the
 * caller), with the text in `mem`. row0 numbers the rows before rg, for errors. */
static int decode_rg(struct lr_parquet_file *f, const struct fast *fs, size_t rg,
                     struct delta_stats_src *src, struct lr_delta_mem *mem, struct lr_buf *kb,
                     struct lr_delta_file **recs, int64_t row0, const char *key,
                     struct lr_error *err)
{
    int64_t rows = lr_parquet_metadata(f)->row_groups[rg].num_rows;
    bool held[2];
    int rc = records_passes(f, fs, rg, mem, kb, recs, row0, key, NULL, held, err);
    if (rc >= 0)
        rc = stats_pass(f, rg, fs, recs, rows, held, src, mem, NULL, err);
    return rc;
}

/* One row group decoded on worker threads, into an arena of its own: its records first, then
 * (as a job of its own, so that row groups of unequal size still share the threads evenly)
 * their stats. */
struct rg_job {
    struct lr_delta_mem *mem;
    struct path_keys pk;      /* keys at the rows' slots (keys NULL: none wanted) */
    struct delta_totals live; /* of its adds, counted on the worker */
    size_t nadds, nrms;       /* once done: how many of each it put in the slots */
    bool held[2];             /* which tops' actions its rows hold (records_passes) */
    bool made;                /* records made (or failed: rc); the stats job waits for it */
    int rc;
    struct lr_error err;
};

struct rg_work {
    struct lr_parquet_file *f;
    const struct fast *fs;
    struct delta_stats_src *src;
    const char *key;
    const int64_t *row0;
    struct rg_job *jobs;
    size_t nrg;
    const char *prefix;                /* of the path keys (struct path_keys) */
    size_t depth;
    const struct delta_side_job *side; /* job 0 when present */
    struct delta_slots slots;          /* where the records go, each row group at row0 */
    int side_rc;
    struct lr_error side_err;
    pthread_mutex_t lock; /* guards jobs[].made */
    pthread_cond_t made;
};

/* What row group rg's records and paths take in the arena, at most about: a record per row
 * (a row holds one action) and the path columns' bytes (their length prefixes pay for the NULs
 * and alignment). Reserving too much costs address space only: pages never touched are never
 * backed. */
static size_t rg_bytes(struct lr_parquet_file *f, const struct fast *fs, size_t rg)
{
    const struct lr_parquet_row_group *g = &lr_parquet_metadata(f)->row_groups[rg];
    size_t bytes = g->num_rows > 0 ? (size_t)g->num_rows * sizeof(struct lr_delta_file) : 0;
    for (size_t t = 0; t < fs->ntops; t++) {
        for (size_t i = 0; i < fs->plans[t].f.nkids; i++) {
            const struct ffield *k = &fs->plans[t].f.kids[i];
            if (k->role == R_PATH && k->node->leaf_index >= 0 &&
                g->columns[k->node->leaf_index].total_uncompressed_size > 0)
                bytes += (size_t)g->columns[k->node->leaf_index].total_uncompressed_size;
        }
    }
    return bytes;
}

/* A decoded row group's records, made in the state's add slots at its first row's offset (one
 * per row, as delta_row_rec() reads them; its keys likewise), by kind in row order: adds
 * (and keys) moved down to the front of those slots, removes into the remove slots. In place:
 * an add never moves past the slot or the key it is read from. */
static void fill_slots(struct rg_job *j, int64_t rows, const struct delta_slots *slots,
                       size_t off)
{
    struct lr_delta_file **v = slots->adds + off, **rms = slots->removes + off;
    uint64_t *keys = slots->keys ? slots->keys + off : NULL;
    size_t nadds = 0, nrms = 0;
    for (size_t i = 0; i < (size_t)rows; i++) {
        bool is_add;
        struct lr_delta_file *r = delta_row_any(v, i, &is_add);
        if (!r)
            continue;
        if (!is_add) {
            rms[nrms++] = r;
            continue;
        }
        if (keys)
            keys[nadds] = keys[i];
        v[nadds++] = r;
    }
    j->nadds = nadds;
    j->nrms = nrms;
}

/* Jobs: [side,] the records of each row group, then the stats of each. A stats job is handed
 * out after every records job, so the one it waits for is already running. */
static void rg_worker(size_t i, void *payload)
{
    struct rg_work *w = payload;
    if (w->side) {
        if (i == 0) {
            w->side_rc = w->side->run(w->side->ctx, &w->side_err);
            return;
        }
        i--;
    }
    size_t rg = i < w->nrg ? i : i - w->nrg;
    struct rg_job *j = &w->jobs[rg];
    int64_t rows = lr_parquet_metadata(w->f)->row_groups[rg].num_rows;
    if (i < w->nrg) {
        struct lr_buf kb;
        lr_buf_init(&kb, 0);
        /* the records go straight into the state's slots for these rows (and their keys,
         * when wanted): no array of their own, nothing copied afterwards */
        struct lr_delta_file **recs = w->slots.adds + w->row0[rg];
        memset(recs, 0, (size_t)rows * sizeof *recs);
        j->mem = delta_mem_new_sized(rg_bytes(w->f, w->fs, rg));
        j->pk = (struct path_keys){w->prefix, w->depth,
                                   w->slots.keys ? w->slots.keys + w->row0[rg] : NULL, true};
        j->rc = j->mem ? records_passes(w->f, w->fs, rg, j->mem, &kb, recs, w->row0[rg],
                                        w->key, j->pk.keys ? &j->pk : NULL, j->held,
                                        &j->err)
                       : nomem(&j->err);
        lr_buf_free(&kb);
        pthread_mutex_lock(&w->lock);
        j->made = true;
        pthread_cond_broadcast(&w->made);
        pthread_mutex_unlock(&w->lock);
        return;
    }
    pthread_mutex_lock(&w->lock);
    while (!j->made)
        pthread_cond_wait(&w->made, &w->lock);
    pthread_mutex_unlock(&w->lock);
    if (j->rc >= 0)
        j->rc = stats_pass(w->f, rg, w->fs, w->slots.adds + w->row0[rg], rows, j->held,
                           w->src, j->mem, &j->live, &j->err);
    if (j->rc >= 0)
        fill_slots(j, rows, &w->slots, (size_t)w->row0[rg]);
}

/* The records of rows [0, rows) into the state, in row order (as the row path would); a
 * collecting state takes them by kind, with the totals counted beforehand. */
static int put_rows(struct delta_state *s, struct lr_delta_file **recs, int64_t rows,
                    const struct delta_totals *live, struct lr_error *err)
{
    for (size_t i = 0; i < (size_t)rows; i++) {
        bool is_add;
        struct lr_delta_file *r = delta_row_any(recs, i, &is_add);
        if (!r)
            continue;
        if ((s->collecting ? delta_state_collect(s, r, is_add, err)
                           : delta_state_put(s, r, err)) < 0)
            return LR_ENOMEM;
    }
    if (s->collecting)
        delta_state_count(s, live);
    return 0;
}

/* Threads for the row groups of one checkpoint: delta_threads(), at most one per job. */
static size_t decode_threads(size_t njobs)
{
    size_t n = delta_threads();
    return n < njobs ? n : njobs;
}

/* The bytes the adds' paths on the first page of row group 0 share (the guess the path keys
 * are made at; a wrong guess costs only their use). */
struct prefix_scan {
    char *prefix; /* NULL until a path is seen */
    size_t depth;
};

static bool first_page_only(void *ctx, size_t first, size_t n)
{
    (void)ctx;
    (void)n;
    return first == 0;
}

static int prefix_page(void *ctx, const struct lr_parquet_column *c, size_t first,
                       struct lr_error *err)
{
    (void)first;
    struct prefix_scan *x = ctx;
    for (size_t v = 0; v < c->num_values; v++) {
        const struct lr_parquet_slice *s = &c->byte_arrays[v];
        if (!x->prefix) {
            const uint8_t *nul = s->len ? memchr(s->p, 0, s->len) : NULL;
            x->depth = nul ? (size_t)(nul - s->p) : s->len;
            if (!(x->prefix = malloc(x->depth + 1)))
                return nomem(err);
            memcpy(x->prefix, s->p, x->depth);
            x->prefix[x->depth] = '\0';
            continue;
        }
        size_t d = 0;
        while (d < x->depth && d < s->len && s->p[d] == (uint8_t)x->prefix[d])
            d++;
        x->depth = d;
    }
    return 0;
}

static int shared_prefix(struct lr_parquet_file *f, const struct fast *fs, struct prefix_scan *x,
                         struct lr_error *err)
{
    for (size_t t = 0; t < fs->ntops; t++) {
        const struct ftop *top = &fs->plans[t];
        for (size_t i = 0; top->is_add && i < top->f.nkids; i++)
            if (top->f.kids[i].role == R_PATH)
                return lr_parquet_column_scan(f, 0, top->f.kids[i].node->path, first_page_only,
                                              prefix_page, x, err);
    }
    return 0;
}

/* Row groups on several threads: only for an in-memory checkpoint (src holds its bytes)
 * replayed into a base, where the records are only collected and sorted afterwards. Each
 * worker fills an arena of its own, which the state's arena adopts; records are put in row
 * order, so a duplicate row resolves as in the serial replay. */
static int replay_parallel(struct lr_parquet_file *f, const struct fast *fs,
                           struct delta_stats_src *src, const struct delta_side_job *side,
                           struct delta_state *s, const char *key, size_t threads,
                           struct lr_error *err)
{
    const struct lr_parquet_meta *m = lr_parquet_metadata(f);
    size_t nrg = m->num_row_groups;
    struct rg_job *jobs = calloc(nrg, sizeof *jobs);
    int64_t *row0 = calloc(nrg, sizeof *row0);
    if (!jobs || !row0) {
        free(jobs);
        free(row0);
        return nomem(err);
    }
    for (size_t rg = 1; rg < nrg; rg++)
        row0[rg] = row0[rg - 1] + m->row_groups[rg - 1].num_rows;
    struct prefix_scan pre = {NULL, 0};
    int rc = shared_prefix(f, fs, &pre, err);
    if (rc < 0) {
        free(jobs);
        free(row0);
        return rc;
    }
    /* keys only while the state keeps them, at one prefix for every part of the checkpoint */
    int keyed = delta_state_key_prefix(s, pre.prefix ? pre.prefix : "", pre.depth);
    struct rg_work w = {f, fs, src, key, row0, jobs, nrg, pre.prefix ? pre.prefix : "",
                        pre.depth, side, {0}, 0, {0}, PTHREAD_MUTEX_INITIALIZER,
                        PTHREAD_COND_INITIALIZER};
    int64_t rows = nrg ? row0[nrg - 1] + m->row_groups[nrg - 1].num_rows : 0;
    if (keyed < 0 || delta_state_slots_open(s, (size_t)rows, keyed == 1, &w.slots) < 0) {
        free(pre.prefix);
        free(jobs);
        free(row0);
        return nomem(err);
    }
    lr_parallel_for(2 * nrg + (side ? 1 : 0), threads, rg_worker, &w);
    pthread_mutex_destroy(&w.lock);
    pthread_cond_destroy(&w.made);
    struct delta_slot_batch *batches = calloc(nrg ? nrg : 1, sizeof *batches);
    bool keys_ok = true;
    for (size_t rg = 0; rg < nrg; rg++) {
        struct rg_job *j = &jobs[rg];
        if (rc >= 0 && j->rc < 0) {
            *err = j->err;
            rc = j->rc;
        }
        if (rc >= 0 && delta_mem_adopt(s->mem, j->mem) < 0)
            rc = nomem(err);
        keys_ok = keys_ok && j->pk.ok;
        if (batches)
            batches[rg] = (struct delta_slot_batch){(size_t)row0[rg], j->nadds, j->nrms, j->live};
        delta_mem_unref(j->mem);
    }
    if (rc >= 0 && !batches)
        rc = nomem(err);
    if (rc >= 0)
        rc = delta_state_slots_close(s, &w.slots, batches, nrg, keys_ok, err);
    free(batches);
    if (rc >= 0 && w.side_rc < 0) {
        *err = w.side_err;
        rc = w.side_rc;
    }
    free(pre.prefix);
    free(jobs);
    free(row0);
    return rc;
}

int delta_files_fast_replay(struct lr_parquet_file *f, const char *key,
                            struct delta_stats_src *src, const struct delta_side_job *side,
                            struct delta_state *s, struct lr_error *err)
{
    if (side && !side->run)
        side = NULL;
    const struct lr_parquet_meta *m = lr_parquet_metadata(f);
    struct fast fs;
    struct lr_delta_file **recs = NULL;
    int rc = fast_init(&fs, m);
    if (rc < 0) {
        rc = lr_error_set(err, rc, "%s: add/remove columns of an unexpected shape", key);
        goto done;
    }
    size_t threads = fs.ntops && s->collecting && src
                         ? decode_threads(m->num_row_groups + (side ? 1 : 0))
                         : 1;
    if (threads > 1) {
        rc = replay_parallel(f, &fs, src, side, s, key, threads, err);
        goto done;
    }
    int64_t row0 = 0;
    for (size_t rg = 0; fs.ntops && rg < m->num_row_groups && rc >= 0; rg++) {
        int64_t rows = m->row_groups[rg].num_rows;
        free(recs);
        recs = calloc(rows > 0 ? (size_t)rows : 1, sizeof *recs);
        rc = recs ? decode_rg(f, &fs, rg, src, s->mem, &fs.kb, recs, row0, key, err)
                  : nomem(err);
        struct delta_totals live = {0, 0, 0};
        if (rc >= 0 && s->collecting)
            count_adds(recs, rows, &live);
        if (rc >= 0)
            rc = put_rows(s, recs, rows, &live, err);
        row0 += rows;
    }
    if (rc >= 0 && side)
        rc = side->run(side->ctx, err);
done:
    free(recs);
    plan_free(&fs.plans[0]);
    plan_free(&fs.plans[1]);
    lr_strvec_free(&fs.cols);
    lr_buf_free(&fs.kb);
    return rc < 0 ? rc : 0;
}
