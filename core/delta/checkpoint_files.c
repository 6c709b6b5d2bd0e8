/* checkpoint_files.c - the fast path for the add and remove columns of a Parquet checkpoint.
 *
 * Owns: decoding add/remove straight from the columns of each row group (lr_parquet_batch_read)
 * into the same action objects the row path gives after replay drops its null fields, without
 * building a JSON row (with every other action column as null) for each checkpoint row.
 * Invariants: (1) only the shapes Delta writers produce are taken: plain INT32/INT64/BOOLEAN
 * leaves, STRING leaves, structs of those (deletionVector) and string-to-string maps
 * (partitionValues, tags); partitionValues_parsed is skipped as in the row path; any other child
 * (stats_parsed, lists, annotated numbers) makes delta_files_fast_ok() false and the caller
 * keeps the row path for the whole file; (2) top-level null fields are omitted, nested nulls
 * (a deletionVector without offset) stay JSON null, exactly like the row path; (3) every level
 * read is bounds-checked: inconsistent columns give LR_ECORRUPT, never a wrong action. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "lakerewind/parquet.h"

enum fkind { F_LEAF, F_STRUCT, F_MAP };

struct ffield {
    const struct lr_parquet_node *node;
    enum fkind kind;
    size_t col;            /* F_LEAF: its column; F_MAP: the key column (value = col + 1) */
    size_t ncols;          /* columns under this field */
    struct ffield *kids;   /* F_STRUCT */
    size_t nkids;
    int kv_def, kv_rep;    /* F_MAP: levels of the repeated key_value group */
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

/* The field plan of `top` (add or remove); false when its shape is not one we decode. */
static bool plan_top(const struct lr_parquet_node *top, struct ffield *out, size_t *next_col)
{
    memset(out, 0, sizeof *out);
    if (!top->num_children || top->max_rep != 0)
        return false;
    out->node = top;
    out->kind = F_STRUCT;
    out->col = *next_col;
    out->kids = calloc(top->num_children, sizeof *out->kids);
    if (!out->kids)
        return false;
    for (size_t i = 0; i < top->num_children; i++) {
        const struct lr_parquet_node *c = top->children[i];
        if (strcmp(c->name, "partitionValues_parsed") == 0)
            continue;
        struct ffield *k = &out->kids[out->nkids++];
        k->node = c;
        k->col = *next_col;
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
                k->kids[j] = (struct ffield){c->children[j], F_LEAF, *next_col + j, 1,
                                             NULL, 0, 0, 0};
            }
            k->nkids = c->num_children;
            k->ncols = c->num_children;
        } else {
            return false; /* stats_parsed, lists, annotated numbers: the row path */
        }
        *next_col += k->ncols;
        out->ncols += k->ncols;
    }
    return true;
}

static void plan_free(struct ffield *f)
{
    for (size_t i = 0; i < f->nkids; i++)
        free(f->kids[i].kids);
    free(f->kids);
    memset(f, 0, sizeof *f);
}

static void push_leaves(const struct lr_parquet_node *n, struct lr_strvec *cols, int *rc)
{
    if (!n->num_children) {
        if (lr_strvec_push(cols, n->path) < 0)
            *rc = LR_ENOMEM;
        return;
    }
    for (size_t i = 0; i < n->num_children; i++)
        push_leaves(n->children[i], cols, rc);
}

struct fast {
    struct ffield plans[2];     /* add, remove (ncols 0 when the file has none) */
    struct lr_strvec cols;      /* projection, in schema leaf order */
    struct fmap pool;           /* shared map objects (see map_take) */
    struct lr_buf kb;           /* a pool key */
};

static const char *const FILE_TOPS[] = {"add", "remove"};

bool delta_files_fast_ok(const struct lr_parquet_meta *m)
{
    size_t col = 0;
    bool ok = true;
    for (size_t i = 0; i < m->root->num_children && ok; i++) {
        const struct lr_parquet_node *top = m->root->children[i];
        if (strcmp(top->name, "add") && strcmp(top->name, "remove"))
            continue;
        struct ffield p;
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

/* Files of one partition carry equal maps: those are built once and shared (read-only, as
 * every action held by a snapshot). The pool key spells the entries as "len:key" then
 * "len:value" or "-" for a null value; entries with a NUL byte are not pooled. */
#define POOL_MAX 4096

static bool add_slice(struct lr_buf *kb, const struct lr_parquet_slice *x)
{
    char n[16];
    int w = snprintf(n, sizeof n, "%u:", (unsigned)x->len);
    return !memchr(x->p, 0, x->len) && lr_buf_append(kb, n, (size_t)w, NULL) >= 0 &&
           lr_buf_append(kb, x->p, x->len, NULL) >= 0;
}

/* Walk the entries of a non-empty map on copies of its cursors (left past the map). */
static bool pool_key(const struct cursor *cur, const struct ffield *f, struct lr_buf *kb,
                     struct cursor *k, struct cursor *v)
{
    *k = cur[f->col];
    *v = cur[f->col + 1];
    lr_buf_reset(kb);
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
    return lr_buf_append(kb, "", 1, NULL) >= 0;
}

static int map_take(struct cursor *cur, const struct ffield *f, struct fmap *pool,
                    struct lr_buf *kb, json_t **out, struct lr_error *err)
{
    struct cursor *k = &cur[f->col];
    struct cursor *v = &cur[f->col + 1];
    *out = NULL;
    if (k->e >= k->c.num_entries)
        return corrupt(err, k);
    int d = def_at(k);
    if (d < f->node->max_def)
        return skip_null(cur, f->col, 2, err); /* the map is null: omitted */
    struct cursor pk, pv;
    bool pooled = d >= f->kv_def && pool_key(cur, f, kb, &pk, &pv);
    if (pooled) {
        struct fentry *e = fmap_get(pool, (const char *)kb->data);
        if (e) {
            *k = pk;
            *v = pv;
            *out = json_incref(e->action);
            return 0;
        }
    }
    json_t *obj = json_object();
    if (!obj)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
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
            return lr_error_set(err, LR_ENOMEM, "out of memory");
        }
        json_decref(ks);
        if (k->e >= k->c.num_entries || !k->c.rep_levels || k->c.rep_levels[k->e] < f->kv_rep)
            break;
    }
    if (pooled && pool->count < POOL_MAX &&
        fmap_put(pool, (const char *)kb->data, obj, true, false) < 0) {
        json_decref(obj);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    *out = obj;
    return 0;
}

/* The add/remove object of the current row, or *out NULL when the column is null there. */
static int row_take(struct cursor *cur, const struct ffield *top, struct fmap *pool,
                    struct lr_buf *kb, json_t **out, struct lr_error *err)
{
    *out = NULL;
    if (!top->ncols)
        return 0;
    struct cursor *first = &cur[top->col];
    if (first->e >= first->c.num_entries)
        return corrupt(err, first);
    if (def_at(first) < top->node->max_def)
        return skip_null(cur, top->col, top->ncols, err);
    json_t *a = json_object();
    if (!a)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < top->nkids && rc >= 0; i++) {
        const struct ffield *f = &top->kids[i];
        json_t *v = NULL;
        if (f->kind == F_LEAF) {
            rc = leaf_take(&cur[f->col], &v, err);
        } else if (f->kind == F_MAP) {
            rc = map_take(cur, f, pool, kb, &v, err);
        } else if (cur[f->col].e >= cur[f->col].c.num_entries) {
            rc = corrupt(err, &cur[f->col]);
        } else if (def_at(&cur[f->col]) < f->node->max_def) {
            rc = skip_null(cur, f->col, f->ncols, err);
        } else {
            v = json_object();
            if (!v)
                rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            for (size_t j = 0; j < f->nkids && rc >= 0; j++) {
                json_t *x = NULL;
                rc = leaf_take(&cur[f->kids[j].col], &x, err);
                if (rc >= 0 && json_object_set_new(v, f->kids[j].node->name, x) < 0)
                    rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            }
        }
        if (rc >= 0 && v && !json_is_null(v) && json_object_set_new(a, f->node->name, v) < 0)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        else if (rc < 0 || (v && json_is_null(v)))
            json_decref(v);
    }
    if (rc < 0) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return 0;
}

static int fast_init(struct fast *fs, const struct lr_parquet_meta *m)
{
    memset(fs, 0, sizeof *fs);
    lr_buf_init(&fs->kb, 0);
    size_t col = 0;
    int rc = fmap_init(&fs->pool, 64);
    bool seen[2] = {false, false};
    /* schema order, so that plan column numbers match the batch's columns */
    for (size_t i = 0; i < m->root->num_children && rc >= 0; i++) {
        const struct lr_parquet_node *top = m->root->children[i];
        for (size_t t = 0; t < 2; t++) {
            if (seen[t] || strcmp(top->name, FILE_TOPS[t]) != 0)
                continue;
            seen[t] = true;
            if (!plan_top(top, &fs->plans[t], &col))
                return LR_EUNSUPPORTED;
            for (size_t k = 0; k < top->num_children; k++)
                if (strcmp(top->children[k]->name, "partitionValues_parsed") != 0)
                    push_leaves(top->children[k], &fs->cols, &rc);
        }
    }
    return rc;
}

int delta_files_fast_replay(struct lr_parquet_file *f, const char *key, struct delta_state *s,
                            struct lr_error *err)
{
    const struct lr_parquet_meta *m = lr_parquet_metadata(f);
    struct fast fs;
    int rc = fast_init(&fs, m);
    if (rc < 0) {
        rc = lr_error_set(err, rc, "%s: add/remove columns of an unexpected shape", key);
        goto done;
    }
    if (!fs.cols.count)
        goto done;
    /* columns of add and remove are in schema order; the plans know their offsets */
    int64_t row_no = 0;
    for (size_t rg = 0; rg < m->num_row_groups && rc >= 0; rg++) {
        struct lr_parquet_batch *b = NULL;
        rc = lr_parquet_batch_read(&b, f, rg, (const char *const *)fs.cols.items,
                                   fs.cols.count, err);
        if (rc < 0)
            break;
        size_t nc = lr_parquet_batch_num_columns(b);
        struct cursor *cur = calloc(nc ? nc : 1, sizeof *cur);
        if (!cur || nc != fs.cols.count) {
            rc = cur ? lr_error_set(err, LR_ECORRUPT, "%s: projection mismatch", key)
                     : lr_error_set(err, LR_ENOMEM, "out of memory");
            free(cur);
            lr_parquet_batch_free(b);
            break;
        }
        for (size_t i = 0; i < nc; i++)
            lr_parquet_batch_column(b, i, &cur[i].c);
        int64_t rows = lr_parquet_batch_num_rows(b);
        for (int64_t r = 0; r < rows && rc >= 0; r++) {
            row_no++;
            for (size_t t = 0; t < 2 && rc >= 0; t++) {
                json_t *a = NULL;
                rc = row_take(cur, &fs.plans[t], &fs.pool, &fs.kb, &a, err);
                if (rc >= 0 && a)
                    rc = delta_state_apply_file(s, a, t == 0, err);
                json_decref(a);
            }
            if (rc < 0)
                lr_error_context(err, "%s row %lld", key, (long long)row_no);
        }
        free(cur);
        lr_parquet_batch_free(b);
    }
done:
    plan_free(&fs.plans[0]);
    plan_free(&fs.plans[1]);
    lr_strvec_free(&fs.cols);
    fmap_free(&fs.pool);
    lr_buf_free(&fs.kb);
    return rc < 0 ? rc : 0;
}
