/* checkpoint_files.c - the fast path for the add and remove columns of a Parquet checkpoint.
 *
 * Owns: decoding add/remove straight from the columns of each row group (lr_parquet_batch_read)
 * into file records (filerec.c) equal to the ones the row path makes from the same rows once
 * replay drops their null fields, without a JSON object per file. Each row group is read in two
 * batches, everything but `stats` and then the `stats` strings alone, so that the decoded pages
 * held at once stay near one column chunk while the records' text is copied into the arena.
 * The stats text itself is read in place for numRecords and left in the checkpoint when the
 * caller gives a stats source (lazy_stats.c), else copied.
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

#include "delta/internal.h"
#include "lakerewind/parallel.h"
#include "lakerewind/parquet.h"

/* What a child of add/remove becomes in the record. */
enum frole { R_EXTRA, R_PATH, R_SIZE, R_TIME, R_DATA_CHANGE, R_PV, R_SPNUM };
enum fkind { F_LEAF, F_STRUCT, F_MAP };

struct ffield {
    const struct lr_parquet_node *node;
    enum fkind kind;
    enum frole role;
    size_t col;            /* F_LEAF: its column; F_MAP: the key column (value = col + 1) */
    size_t ncols;          /* columns under this field */
    struct ffield *kids;   /* F_STRUCT */
    size_t nkids;
    int kv_def, kv_rep;    /* F_MAP: levels of the repeated key_value group */
};

struct ftop {
    struct ffield f;       /* F_STRUCT over the children read in the first batch */
    const struct lr_parquet_node *stats; /* the `stats` leaf (second batch), or NULL */
    bool is_add;
};

struct cursor {
    struct lr_parquet_column c;
    size_t e;              /* next entry */
    size_t v;              /* next value (entries at max_def before e) */
};

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

/* The field plan of `top` (add or remove); false when its shape is not one we decode. */
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
                tf->kids[tf->nkids++] = (struct ffield){g, F_LEAF, R_SPNUM, *next_col, 1,
                                                        NULL, 0, 0, 0};
                (*next_col)++;
                tf->ncols++;
            }
            continue;
        }
        struct ffield *k = &tf->kids[tf->nkids++];
        k->node = c;
        k->col = *next_col;
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
        *next_col += k->ncols;
        tf->ncols += k->ncols;
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

static int push_leaves(const struct lr_parquet_node *n, struct lr_strvec *cols)
{
    if (!n->num_children)
        return lr_strvec_push(cols, n->path) < 0 ? LR_ENOMEM : 0;
    for (size_t i = 0; i < n->num_children; i++)
        if (push_leaves(n->children[i], cols) < 0)
            return LR_ENOMEM;
    return 0;
}

struct fast {
    struct ftop plans[2];       /* in schema order (ncols 0 when the file has one top only) */
    size_t ntops;
    struct lr_strvec cols;      /* first batch projection, in schema leaf order */
    struct lr_buf kb;           /* a pool key */
};

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

static int corrupt(struct lr_error *err, const struct cursor *c)
{
    return lr_error_set(err, LR_ECORRUPT, "column %s: fewer level entries than rows",
                        c->c.leaf->path);
}

static int def_at(const struct cursor *c)
{
    return c->c.def_levels ? c->c.def_levels[c->e] : c->c.leaf->max_def;
}

/* Take one entry; *present says whether it holds a value (index in *vi). */
static int take(struct cursor *c, bool *present, size_t *vi, struct lr_error *err)
{
    if (c->e >= c->c.num_entries)
        return corrupt(err, c);
    *present = def_at(c) == c->c.leaf->max_def;
    if (*present) {
        if (c->v >= c->c.num_values)
            return corrupt(err, c);
        *vi = c->v++;
    }
    c->e++;
    return 0;
}

static json_t *leaf_json(const struct cursor *c, size_t vi)
{
    const struct lr_parquet_column *col = &c->c;
    switch (col->leaf->type) {
    case LR_PQ_BOOLEAN:
        return json_boolean(col->fixed[vi] != 0);
    case LR_PQ_INT32: {
        int32_t x;
        memcpy(&x, col->fixed + vi * 4, 4);
        return json_integer(x);
    }
    case LR_PQ_INT64: {
        int64_t x;
        memcpy(&x, col->fixed + vi * 8, 8);
        return json_integer((json_int_t)x);
    }
    default: {
        const struct lr_parquet_slice *s = &col->byte_arrays[vi];
        return lr_parquet_string_json(s->p, s->len);
    }
    }
}

/* One leaf entry as JSON: the value, or JSON null when absent (*out NULL only on no memory). */
static int leaf_take(struct cursor *c, json_t **out, struct lr_error *err)
{
    bool present;
    size_t vi = 0;
    int rc = take(c, &present, &vi, err);
    if (rc < 0)
        return rc;
    *out = present ? leaf_json(c, vi) : json_null();
    return *out ? 0 : lr_error_set(err, LR_ENOMEM, "out of memory");
}

/* Skip one absent entry of each column in [lo, lo + n). */
static int skip_null(struct cursor *cur, size_t lo, size_t n, struct lr_error *err)
{
    for (size_t i = lo; i < lo + n; i++) {
        bool present;
        size_t vi;
        int rc = take(&cur[i], &present, &vi, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int nomem(struct lr_error *err)
{
    return lr_error_set(err, LR_ENOMEM, "out of memory");
}

static int64_t int_at(const struct cursor *c, size_t vi)
{
    if (c->c.leaf->type == LR_PQ_INT32) {
        int32_t x;
        memcpy(&x, c->c.fixed + vi * 4, 4);
        return x;
    }
    int64_t x;
    memcpy(&x, c->c.fixed + vi * 8, 8);
    return x;
}

/* The arena copy of a STRING value as the row path renders it. */
static const char *copy_text(struct lr_delta_mem *mem, const struct lr_parquet_slice *s)
{
    return delta_text_from_parquet(mem, s->p, s->len);
}

/* Files of one partition carry equal maps: their JSON text is made once and shared. The pool
 * key spells the entries as "len:key" then "len:value" or "-" for a null value; entries with a
 * NUL byte are not pooled. */
static bool add_slice(struct lr_buf *kb, const struct lr_parquet_slice *x)
{
    char n[16];
    size_t w = sizeof n;
    n[--w] = ':';
    uint32_t len = x->len;
    do {
        n[--w] = (char)('0' + len % 10);
        len /= 10;
    } while (len);
    return !memchr(x->p, 0, x->len) && lr_buf_append(kb, n + w, sizeof n - w, NULL) >= 0 &&
           lr_buf_append(kb, x->p, x->len, NULL) >= 0;
}

/* Walk the entries of a non-empty map on copies of its cursors (left past the map). */
static bool pool_key(const struct cursor *cur, const struct ffield *f, struct lr_buf *kb,
                     struct cursor *k, struct cursor *v)
{
    *k = cur[f->col];
    *v = cur[f->col + 1];
    lr_buf_reset(kb);
    if (lr_buf_append(kb, "\x01pv", 3, NULL) < 0)
        return false;
    for (;;) {
        if (k->e >= k->c.num_entries || v->e >= v->c.num_entries ||
            def_at(k) != k->c.leaf->max_def || k->v >= k->c.num_values)
            return false;
        if (!add_slice(kb, &k->c.byte_arrays[k->v++]))
            return false;
        k->e++;
        if (def_at(v) == v->c.leaf->max_def) {
            if (v->v >= v->c.num_values || !add_slice(kb, &v->c.byte_arrays[v->v++]))
                return false;
        } else if (lr_buf_append(kb, "-", 1, NULL) < 0) {
            return false;
        }
        v->e++;
        if (k->e >= k->c.num_entries || !k->c.rep_levels || k->c.rep_levels[k->e] < f->kv_rep)
            break;
    }
    return true;
}

/* A map as a JSON object, or *out NULL when the map is null (omitted). */
static int map_take(struct cursor *cur, const struct ffield *f, json_t **out,
                    struct lr_error *err)
{
    struct cursor *k = &cur[f->col];
    struct cursor *v = &cur[f->col + 1];
    *out = NULL;
    if (k->e >= k->c.num_entries)
        return corrupt(err, k);
    int d = def_at(k);
    if (d < f->node->max_def)
        return skip_null(cur, f->col, 2, err);
    json_t *obj = json_object();
    if (!obj)
        return nomem(err);
    if (d < f->kv_def) {
        *out = obj;
        return skip_null(cur, f->col, 2, err); /* empty map */
    }
    for (;;) {
        bool kp;
        size_t kvi = 0;
        json_t *val = NULL;
        int rc = take(k, &kp, &kvi, err);
        if (rc >= 0)
            rc = leaf_take(v, &val, err);
        if (rc < 0) {
            json_decref(obj);
            return rc;
        }
        json_t *ks = kp ? leaf_json(k, kvi) : json_string("null");
        if (!ks || json_object_set_new(obj, json_string_value(ks), val) < 0) {
            json_decref(ks);
            json_decref(obj);
            return nomem(err);
        }
        json_decref(ks);
        if (k->e >= k->c.num_entries || !k->c.rep_levels || k->c.rep_levels[k->e] < f->kv_rep)
            break;
    }
    *out = obj;
    return 0;
}

/* partitionValues as interned JSON text (NULL when the map is null). */
static int pv_take(struct cursor *cur, const struct ffield *f, struct lr_delta_mem *mem,
                   struct lr_buf *kb, const char **out, struct lr_error *err)
{
    struct cursor *k = &cur[f->col];
    *out = NULL;
    if (k->e >= k->c.num_entries)
        return corrupt(err, k);
    int d = def_at(k);
    struct cursor pk, pv;
    bool pooled = d >= f->kv_def && pool_key(cur, f, kb, &pk, &pv);
    if (pooled) {
        const char *t = delta_mem_lookup(mem, kb->data, kb->len);
        if (t) {
            cur[f->col] = pk;
            cur[f->col + 1] = pv;
            *out = t;
            return 0;
        }
    }
    json_t *obj = NULL;
    int rc = map_take(cur, f, &obj, err);
    if (rc < 0 || !obj)
        return rc;
    char *text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(obj);
    *out = text ? delta_mem_intern(mem, text, strlen(text)) : NULL;
    free(text);
    if (!*out)
        return nomem(err);
    if (pooled && delta_mem_remember(mem, kb->data, kb->len, *out) < 0)
        return nomem(err);
    return 0;
}

/* A struct of leaves as an object, or *out NULL when it is null (omitted). */
static int struct_take(struct cursor *cur, const struct ffield *f, json_t **out,
                       struct lr_error *err)
{
    *out = NULL;
    if (cur[f->col].e >= cur[f->col].c.num_entries)
        return corrupt(err, &cur[f->col]);
    if (def_at(&cur[f->col]) < f->node->max_def)
        return skip_null(cur, f->col, f->ncols, err);
    json_t *v = json_object();
    if (!v)
        return nomem(err);
    int rc = 0;
    for (size_t j = 0; j < f->nkids && rc >= 0; j++) {
        json_t *x = NULL;
        rc = leaf_take(&cur[f->kids[j].col], &x, err);
        if (rc >= 0 && json_object_set_new(v, f->kids[j].node->name, x) < 0)
            rc = nomem(err);
    }
    if (rc < 0) {
        json_decref(v);
        return rc;
    }
    *out = v;
    return 0;
}

/* One field that has no place of its own in the record, into `rest` (made on first use). */
static int extra_take(struct cursor *cur, const struct ffield *f, json_t **rest,
                      struct lr_error *err)
{
    json_t *v = NULL;
    int rc;
    if (f->kind == F_LEAF)
        rc = leaf_take(&cur[f->col], &v, err);
    else if (f->kind == F_MAP)
        rc = map_take(cur, f, &v, err);
    else
        rc = struct_take(cur, f, &v, err);
    if (rc < 0 || !v)
        return rc;
    if (json_is_null(v)) {
        json_decref(v);
        return 0;
    }
    if (!*rest && !(*rest = json_object())) {
        json_decref(v);
        return nomem(err);
    }
    return json_object_set_new(*rest, f->node->name, v) < 0 ? nomem(err) : 0;
}

/* The record of the current row for `top` (first batch), or *out NULL when it is null. */
static int row_rec(struct cursor *cur, const struct ftop *top, struct lr_delta_mem *mem,
                   struct lr_buf *kb, struct lr_delta_file **out, struct lr_error *err)
{
    *out = NULL;
    const struct ffield *tf = &top->f;
    if (!tf->ncols)
        return 0;
    struct cursor *first = &cur[tf->col];
    if (first->e >= first->c.num_entries)
        return corrupt(err, first);
    if (def_at(first) < tf->node->max_def)
        return skip_null(cur, tf->col, tf->ncols, err);
    struct lr_delta_file *r = delta_rec_new(mem, top->is_add);
    if (!r)
        return nomem(err);
    json_t *rest = NULL;
    int rc = 0;
    for (size_t i = 0; i < tf->nkids && rc >= 0; i++) {
        const struct ffield *f = &tf->kids[i];
        struct cursor *c = &cur[f->col];
        bool present = false;
        size_t vi = 0;
        switch (f->role) {
        case R_PATH:
            rc = take(c, &present, &vi, err);
            if (rc >= 0 && !present)
                rc = lr_error_set(err, LR_ECORRUPT, "%s action without a string \"path\"",
                                  top->is_add ? "add" : "remove");
            if (rc >= 0 && !(r->path = copy_text(mem, &c->c.byte_arrays[vi])))
                rc = nomem(err);
            break;
        case R_SIZE:
        case R_TIME:
        case R_SPNUM:
            rc = take(c, &present, &vi, err);
            if (rc >= 0 && present) {
                int64_t x = int_at(c, vi);
                if (f->role == R_SIZE)
                    r->size = x;
                else if (f->role == R_TIME)
                    r->modification_time = x;
                else
                    r->num_records = x;
            }
            break;
        case R_DATA_CHANGE:
            rc = take(c, &present, &vi, err);
            if (rc >= 0 && present)
                r->data_change = c->c.fixed[vi] != 0;
            break;
        case R_PV:
            rc = pv_take(cur, f, mem, kb, &r->partition_values, err);
            break;
        case R_EXTRA:
            rc = extra_take(cur, f, &rest, err);
            break;
        }
    }
    if (rc >= 0 && rest) {
        char *text = json_dumps(rest, JSON_COMPACT | JSON_PRESERVE_ORDER);
        r->extra = text ? delta_mem_intern(mem, text, strlen(text)) : NULL;
        free(text);
        if (!r->extra || delta_rec_set_dv(mem, r, json_object_get(rest, "deletionVector")) < 0)
            rc = nomem(err);
    }
    json_decref(rest);
    if (rc >= 0)
        *out = r;
    return rc;
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
            rc = push_leaves(p->f.kids[k].node, &fs->cols);
    }
    return rc;
}

/* Open `cols` of row group rg as cursors. */
static int open_batch(struct lr_parquet_batch **b, struct cursor **cur, struct lr_parquet_file *f,
                      size_t rg, const struct lr_strvec *cols, const char *key,
                      struct lr_error *err)
{
    *cur = NULL;
    int rc = lr_parquet_batch_read(b, f, rg, (const char *const *)cols->items, cols->count, err);
    if (rc < 0)
        return rc;
    size_t nc = lr_parquet_batch_num_columns(*b);
    *cur = calloc(nc ? nc : 1, sizeof **cur);
    if (!*cur)
        return nomem(err);
    if (nc != cols->count)
        return lr_error_set(err, LR_ECORRUPT, "%s: projection mismatch", key);
    for (size_t i = 0; i < nc; i++)
        lr_parquet_batch_column(*b, i, &(*cur)[i].c);
    return 0;
}

/* One top's stats column of one row group, page by page (stats_pass). */
struct stats_scan {
    struct lr_delta_file **recs; /* two per row: add, remove */
    size_t t;                    /* which of the two */
    int64_t rows, seen;
    size_t rg;
    struct delta_stats_src *src;
    struct lr_delta_mem *mem;
};

static int stats_row(void *ctx, size_t row, const struct lr_parquet_slice *s,
                     struct lr_error *err)
{
    struct stats_scan *x = ctx;
    struct lr_delta_file *rec = x->recs[row * 2 + x->t];
    if (!s || !rec)
        return 0;
    int64_t n;
    if (delta_stats_src_refer(x->src, rec, x->rg, (int64_t)row))
        n = delta_scan_num_records_n((const char *)s->p, s->len);
    else if ((rec->stats_text = copy_text(x->mem, s)))
        n = delta_scan_num_records(rec->stats_text);
    else
        return nomem(err);
    if (n >= 0)
        rec->num_records = n;
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

/* The stats of the row group's records, a page at a time (the column is read once and never
 * held whole): numRecords always, read in place; the text is copied only without a stats
 * source to keep it. */
static int stats_pass(struct lr_parquet_file *f, size_t rg, const struct fast *fs,
                      struct lr_delta_file **recs, int64_t rows, struct delta_stats_src *src,
                      struct lr_delta_mem *mem, struct lr_error *err)
{
    for (size_t t = 0; t < fs->ntops; t++) {
        if (!fs->plans[t].stats)
            continue;
        struct stats_scan x = {recs, t, rows, 0, rg, src, mem};
        const char *col = fs->plans[t].stats->path;
        int rc = lr_parquet_column_scan(f, rg, col, NULL, stats_page, &x, err);
        if (rc < 0)
            return rc;
        if (x.seen != rows)
            return lr_error_set(err, LR_ECORRUPT, "column %s: fewer level entries than rows",
                                col);
    }
    return 0;
}

/* Row group rg into recs (two slots per row: add, remove; NULL where the row has none), with
 * the text in `mem`. row0 numbers the rows before rg, for errors. */
static int decode_rg(struct lr_parquet_file *f, const struct fast *fs, size_t rg,
                     struct delta_stats_src *src, struct lr_delta_mem *mem, struct lr_buf *kb,
                     struct lr_delta_file **recs, int64_t row0, const char *key,
                     struct lr_error *err)
{
    int64_t rows = lr_parquet_metadata(f)->row_groups[rg].num_rows;
    struct lr_parquet_batch *b = NULL;
    struct cursor *cur = NULL;
    int rc = open_batch(&b, &cur, f, rg, &fs->cols, key, err);
    for (int64_t r = 0; r < rows && rc >= 0; r++) {
        for (size_t t = 0; t < fs->ntops && rc >= 0; t++)
            rc = row_rec(cur, &fs->plans[t], mem, kb, &recs[(size_t)r * 2 + t], err);
        if (rc < 0)
            lr_error_context(err, "%s row %lld", key, (long long)(row0 + r + 1));
    }
    free(cur);
    lr_parquet_batch_free(b);
    if (rc >= 0)
        rc = stats_pass(f, rg, fs, recs, rows, src, mem, err);
    return rc;
}

/* One row group decoded on a worker thread, into an arena of its own. */
struct rg_job {
    struct lr_delta_mem *mem;
    struct lr_delta_file **recs;
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
    const struct delta_side_job *side; /* job 0 when present (the longest: started first) */
    int side_rc;
    struct lr_error side_err;
};

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
    size_t rg = i;
    struct rg_job *j = &w->jobs[rg];
    int64_t rows = lr_parquet_metadata(w->f)->row_groups[rg].num_rows;
    struct lr_buf kb;
    lr_buf_init(&kb, 0);
    j->mem = delta_mem_new();
    j->recs = calloc(rows > 0 ? (size_t)rows * 2 : 1, sizeof *j->recs);
    j->rc = j->mem && j->recs ? decode_rg(w->f, w->fs, rg, w->src, j->mem, &kb, j->recs,
                                          w->row0[rg], w->key, &j->err)
                              : nomem(&j->err);
    lr_buf_free(&kb);
}

/* The records of rows [0, rows) into the state, in row order (as the row path would). */
static int put_rows(struct delta_state *s, struct lr_delta_file **recs, int64_t rows,
                    struct lr_error *err)
{
    for (size_t i = 0; i < (size_t)rows * 2; i++)
        if (recs[i] && delta_state_put(s, recs[i], err) < 0)
            return LR_ENOMEM;
    return 0;
}

/* Threads for the row groups of one checkpoint: delta_threads(), at most one per job. */
static size_t decode_threads(size_t njobs)
{
    size_t n = delta_threads();
    return n < njobs ? n : njobs;
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
    struct rg_work w = {f, fs, src, key, row0, jobs, side, 0, {0}};
    lr_parallel_for(nrg + (side ? 1 : 0), threads, rg_worker, &w);
    int rc = 0;
    for (size_t rg = 0; rg < nrg; rg++) {
        struct rg_job *j = &jobs[rg];
        if (rc >= 0 && j->rc < 0) {
            *err = j->err;
            rc = j->rc;
        }
        if (rc >= 0 && delta_mem_adopt(s->mem, j->mem) < 0)
            rc = nomem(err);
        if (rc >= 0)
            rc = put_rows(s, j->recs, m->row_groups[rg].num_rows, err);
        delta_mem_unref(j->mem);
        free(j->recs);
    }
    if (rc >= 0 && w.side_rc < 0) {
        *err = w.side_err;
        rc = w.side_rc;
    }
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
    size_t threads = fs.cols.count && s->collecting && src
                         ? decode_threads(m->num_row_groups + (side ? 1 : 0))
                         : 1;
    if (threads > 1) {
        rc = replay_parallel(f, &fs, src, side, s, key, threads, err);
        goto done;
    }
    int64_t row0 = 0;
    for (size_t rg = 0; fs.cols.count && rg < m->num_row_groups && rc >= 0; rg++) {
        int64_t rows = m->row_groups[rg].num_rows;
        free(recs);
        recs = calloc(rows > 0 ? (size_t)rows * 2 : 1, sizeof *recs);
        rc = recs ? decode_rg(f, &fs, rg, src, s->mem, &fs.kb, recs, row0, key, err)
                  : nomem(err);
        if (rc >= 0)
            rc = put_rows(s, recs, rows, err);
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
