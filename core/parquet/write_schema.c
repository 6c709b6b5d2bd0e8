/* write_schema.c - the writer's lifecycle and schema tree: options, declaring nodes, and
 * freezing the tree into leaf columns (definition/repetition levels, path_in_schema) at the
 * first row. MAP and LIST nodes get their standard three-level shape here. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parquet/write_internal.h"

bool w_is_leaf_type(enum lr_parquet_wtype t)
{
    return t >= LR_PQW_BOOLEAN && t <= LR_PQW_TIMESTAMP;
}

static int new_node(struct lr_parquet_writer *w, int parent, const char *name,
                    enum lr_parquet_wtype type, enum w_rep rep, struct lr_error *err)
{
    if (w->nnodes == w->nodes_cap) {
        size_t cap = w->nodes_cap ? w->nodes_cap * 2 : 16;
        struct wnode *p = realloc(w->nodes, cap * sizeof *p);
        if (!p)
            return lr_error_set(err, LR_ENOMEM, "out of memory declaring column %s", name);
        w->nodes = p;
        w->nodes_cap = cap;
    }
    struct wnode *n = &w->nodes[w->nnodes];
    memset(n, 0, sizeof *n);
    n->name = strdup(name);
    if (!n->name)
        return lr_error_set(err, LR_ENOMEM, "out of memory declaring column %s", name);
    n->type = type;
    n->rep = rep;
    n->parent = parent;
    n->leaf = -1;
    int id = (int)w->nnodes++;
    if (parent >= 0) {
        struct wnode *pn = &w->nodes[parent];
        if (pn->nchildren == pn->children_cap) {
            size_t cap = pn->children_cap ? pn->children_cap * 2 : 4;
            int *c = realloc(pn->children, cap * sizeof *c);
            if (!c)
                return lr_error_set(err, LR_ENOMEM, "out of memory declaring column %s", name);
            pn->children = c;
            pn->children_cap = cap;
        }
        pn->children[pn->nchildren++] = id;
    }
    return id;
}

int lr_parquet_writer_new(struct lr_parquet_writer **out,
                          const struct lr_parquet_writer_options *opts, struct lr_error *err)
{
    *out = NULL;
    struct lr_parquet_writer *w = calloc(1, sizeof *w);
    if (!w)
        return lr_error_set(err, LR_ENOMEM, "out of memory creating a Parquet writer");
    int rc = 0;
    if (opts)
        w->opts = *opts;
    w->opts.kv = NULL;
    w->opts.kv_count = 0;
    if (w->opts.codec < LR_PQW_SNAPPY || w->opts.codec > LR_PQW_LZ4_RAW) {
        rc = lr_error_set(err, LR_EINVAL, "Parquet writer: unknown codec %d", (int)w->opts.codec);
        goto done;
    }
    if (w->opts.row_group_rows < 0 || w->opts.page_rows < 0) {
        rc = lr_error_set(err, LR_EINVAL, "Parquet writer: negative row group or page size");
        goto done;
    }
    if (w->opts.row_group_rows == 0)
        w->opts.row_group_rows = 1 << 20;
    if (w->opts.row_group_bytes == 0)
        w->opts.row_group_bytes = (size_t)128 << 20;
    if (w->opts.page_bytes == 0)
        w->opts.page_bytes = (size_t)1 << 20;
    if (w->opts.page_rows == 0)
        w->opts.page_rows = 20000;
    if (opts && opts->kv_count) {
        w->kv = calloc(opts->kv_count, sizeof *w->kv);
        if (!w->kv) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory copying key/value metadata");
            goto done;
        }
        w->kv_count = opts->kv_count;
        for (size_t i = 0; i < opts->kv_count; i++) {
            if (!opts->kv[i].key) {
                rc = lr_error_set(err, LR_EINVAL, "key/value metadata entry %zu has no key", i);
                goto done;
            }
            w->kv[i].key = strdup(opts->kv[i].key);
            w->kv[i].value = opts->kv[i].value ? strdup(opts->kv[i].value) : NULL;
            if (!w->kv[i].key || (opts->kv[i].value && !w->kv[i].value)) {
                rc = lr_error_set(err, LR_ENOMEM, "out of memory copying key/value metadata");
                goto done;
            }
        }
    }
    lr_buf_init(&w->file, 0);
    lr_buf_init(&w->page, 0);
    lr_buf_init(&w->zpage, 0);
    lr_buf_init(&w->header, 0);
    lr_buf_init(&w->levels, 0);
    rc = new_node(w, -1, "schema", LR_PQW_STRUCT, W_REQUIRED, err);
    if (rc < 0)
        goto done;
    rc = 0;
    *out = w;
    w = NULL;
done:
    lr_parquet_writer_free(w);
    return rc;
}

void lr_parquet_writer_free(struct lr_parquet_writer *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->kv_count; i++) {
        free((char *)w->kv[i].key);
        free((char *)w->kv[i].value);
    }
    free(w->kv);
    for (size_t i = 0; i < w->nnodes; i++) {
        free(w->nodes[i].name);
        free(w->nodes[i].children);
    }
    free(w->nodes);
    for (size_t i = 0; i < w->ncols; i++) {
        w_col_free(&w->cols[i]);
        if (w->pending)
            free(w->pending[i].s);
    }
    free(w->cols);
    free(w->pending);
    for (size_t g = 0; g < w->nrgs; g++) {
        for (size_t i = 0; i < w->ncols; i++) {
            free(w->rgs[g].chunks[i].min);
            free(w->rgs[g].chunks[i].max);
        }
        free(w->rgs[g].chunks);
    }
    free(w->rgs);
    lr_buf_free(&w->file);
    lr_buf_free(&w->page);
    lr_buf_free(&w->zpage);
    lr_buf_free(&w->header);
    lr_buf_free(&w->levels);
    w_codec_free(w);
    free(w);
}

static int depth_of(const struct lr_parquet_writer *w, int id)
{
    int d = 0;
    while (id > 0) {
        id = w->nodes[id].parent;
        d++;
    }
    return d;
}

int lr_parquet_writer_add(struct lr_parquet_writer *w, int parent, const char *name,
                          enum lr_parquet_wtype type, bool is_required, enum lr_parquet_wtype elem,
                          struct lr_error *err)
{
    if (w->is_frozen)
        return lr_error_set(err, LR_EINVAL,
                            "cannot add column %s: the schema is fixed once a row is appended",
                            name ? name : "(null)");
    if (!name || !*name)
        return lr_error_set(err, LR_EINVAL, "a Parquet column needs a non-empty name");
    if (parent < 0 || (size_t)parent >= w->nnodes || w->nodes[parent].type != LR_PQW_STRUCT ||
        w->nodes[parent].rep == W_REPEATED)
        return lr_error_set(err, LR_EINVAL,
                            "cannot add column %s: parent %d is not the root or a struct", name,
                            parent);
    if (type < LR_PQW_BOOLEAN || type > LR_PQW_LIST)
        return lr_error_set(err, LR_EINVAL, "column %s: unknown type %d", name, (int)type);
    if ((type == LR_PQW_MAP || type == LR_PQW_LIST) && !w_is_leaf_type(elem))
        return lr_error_set(err, LR_EINVAL,
                            "column %s: map values and list elements must be a leaf type", name);
    const struct wnode *pn = &w->nodes[parent];
    for (size_t i = 0; i < pn->nchildren; i++)
        if (strcasecmp(w->nodes[pn->children[i]].name, name) == 0)
            return lr_error_set(err, LR_EINVAL,
                                "column %s is declared twice (names are compared without case)",
                                name);
    int need = depth_of(w, parent) + 1 + ((type == LR_PQW_MAP || type == LR_PQW_LIST) ? 2 : 0);
    if (need > W_MAX_DEPTH)
        return lr_error_set(err, LR_ELIMIT, "column %s: nesting deeper than %d", name,
                            W_MAX_DEPTH);
    enum w_rep rep = is_required ? W_REQUIRED : W_OPTIONAL;
    int id = new_node(w, parent, name, type, rep, err);
    if (id < 0)
        return id;
    if (type == LR_PQW_MAP) {
        int kv = new_node(w, id, "key_value", LR_PQW_STRUCT, W_REPEATED, err);
        if (kv < 0)
            return kv;
        int rc = new_node(w, kv, "key", LR_PQW_STRING, W_REQUIRED, err);
        if (rc < 0)
            return rc;
        rc = new_node(w, kv, "value", elem, W_OPTIONAL, err);
        if (rc < 0)
            return rc;
    } else if (type == LR_PQW_LIST) {
        int list = new_node(w, id, "list", LR_PQW_STRUCT, W_REPEATED, err);
        if (list < 0)
            return list;
        int rc = new_node(w, list, "element", elem, W_OPTIONAL, err);
        if (rc < 0)
            return rc;
    }
    return id;
}

static int path_of(struct lr_parquet_writer *w, int id, struct wcol *c, struct lr_error *err)
{
    size_t depth = (size_t)depth_of(w, id);
    c->path = calloc(depth, sizeof *c->path);
    if (!c->path)
        return lr_error_set(err, LR_ENOMEM, "out of memory freezing the schema");
    c->path_len = depth;
    size_t total = 0;
    for (int n = id, k = (int)depth - 1; n > 0; n = w->nodes[n].parent, k--) {
        c->path[k] = strdup(w->nodes[n].name);
        if (!c->path[k])
            return lr_error_set(err, LR_ENOMEM, "out of memory freezing the schema");
        total += strlen(c->path[k]) + 1;
    }
    c->dotted = malloc(total);
    if (!c->dotted)
        return lr_error_set(err, LR_ENOMEM, "out of memory freezing the schema");
    size_t pos = 0;
    for (size_t k = 0; k < depth; k++) {
        size_t len = strlen(c->path[k]);
        memcpy(c->dotted + pos, c->path[k], len);
        pos += len;
        c->dotted[pos++] = k + 1 < depth ? '.' : '\0';
    }
    return 0;
}

/* Depth-first: levels for every node, a column for every leaf in schema order. */
static int freeze_node(struct lr_parquet_writer *w, int id, struct lr_error *err)
{
    struct wnode *n = &w->nodes[id];
    if (id > 0) {
        const struct wnode *p = &w->nodes[n->parent];
        n->def_level = (uint8_t)(p->def_level + (n->rep != W_REQUIRED ? 1 : 0));
        n->rep_level = (uint8_t)(p->rep_level + (n->rep == W_REPEATED ? 1 : 0));
    }
    if (w_is_leaf_type(n->type)) {
        struct wcol *c = &w->cols[w->ncols];
        memset(c, 0, sizeof *c);
        lr_buf_init(&c->values, 0);
        n->leaf = (int)w->ncols++;
        c->node = id;
        c->type = n->type;
        c->max_def = n->def_level;
        c->max_rep = n->rep_level;
        c->dict.is_dead = n->type != LR_PQW_STRING || w->opts.is_dictionary_off;
        return path_of(w, id, c, err);
    }
    for (size_t i = 0; i < w->nodes[id].nchildren; i++) {
        int rc = freeze_node(w, w->nodes[id].children[i], err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int w_freeze(struct lr_parquet_writer *w, struct lr_error *err)
{
    if (w->is_frozen)
        return 0;
    size_t leaves = 0;
    for (size_t i = 0; i < w->nnodes; i++)
        if (w_is_leaf_type(w->nodes[i].type))
            leaves++;
    if (leaves == 0)
        return lr_error_set(err, LR_EINVAL, "a Parquet file needs at least one leaf column");
    for (size_t i = 0; i < w->nnodes; i++)
        if (!w_is_leaf_type(w->nodes[i].type) && w->nodes[i].nchildren == 0)
            return lr_error_set(err, LR_EINVAL, "struct %s has no fields", w->nodes[i].name);
    w->cols = calloc(leaves, sizeof *w->cols);
    w->pending = calloc(leaves, sizeof *w->pending);
    if (!w->cols || !w->pending)
        return lr_error_set(err, LR_ENOMEM, "out of memory freezing the schema");
    int rc = freeze_node(w, 0, err);
    if (rc < 0)
        return rc;
    w->is_frozen = true;
    return 0;
}
