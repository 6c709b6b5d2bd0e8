/* assemble.c - projection and Dremel record assembly.
 *
 * pq_proj_build() turns the schema and a list of dotted paths into a tree of "jnodes" that
 * say how a row looks in JSON: STRUCT (object of fields), LIST (array), MAP (object keyed by
 * the key leaf) and LEAF, each with the definition level at which it is present. LIST/MAP
 * shapes are recognised by annotation and position (LogicalTypes.md, including the two-level
 * and bare-repeated backward-compatibility forms), never by child names alone.
 *
 * Assembly walks the jnode tree once per record over the decoded columns of a row group:
 *   (1) a node is null/absent when the next entry of its first leaf has def < present_def;
 *       then every leaf under it holds exactly one entry for it, which is consumed;
 *   (2) a list/map is empty when that entry has def < the repeated node's level;
 *   (3) after an element, the list continues while the first leaf's next rep >= its level.
 * Every step consumes at least one entry of the node's first leaf, so assembly always
 * terminates; every read is bounds-checked, so inconsistent levels give LR_ECORRUPT. */
#include <stdlib.h>
#include <string.h>

#include "parquet/pq.h"

enum jkind { J_STRUCT, J_LIST, J_MAP, J_LEAF };

struct jnode {
    enum jkind kind;
    const char *name;
    int present_def;          /* 0: present whenever the parent is */
    int rep_def, rep_level;   /* LIST/MAP: the repeated node's levels */
    size_t lo, hi;            /* projected leaves under this node */
    struct jnode **kids;
    size_t nkids;
    size_t leaf;              /* LEAF: projected leaf index */
    struct pq_vinfo vi;
};

struct pq_proj {
    struct jnode *root;
    size_t nleaves;
    size_t *leaf_idx;
    const char *file;
};

/* ---- projection ------------------------------------------------------------------------ */

struct pbuild {
    const struct lr_parquet_meta *m;
    bool *sel;
    struct pq_proj *p;
    struct lr_error *err;
};

/* leaves of a subtree are contiguous: [first_leaf, last_leaf] */
static int first_leaf(const struct lr_parquet_node *n)
{
    while (n->leaf_index < 0 && n->num_children)
        n = n->children[0];
    return n->leaf_index;
}

static int last_leaf(const struct lr_parquet_node *n)
{
    while (n->leaf_index < 0 && n->num_children)
        n = n->children[n->num_children - 1];
    return n->leaf_index;
}

static bool any_sel(const struct pbuild *b, const struct lr_parquet_node *n)
{
    int lo = first_leaf(n), last = last_leaf(n);
    if (lo < 0 || last < 0)
        return false;
    for (int i = lo; i <= last; i++)
        if (b->sel[i])
            return true;
    return false;
}

static void mark(struct pbuild *b, const struct lr_parquet_node *n)
{
    int lo = first_leaf(n), last = last_leaf(n);
    for (int i = lo; i >= 0 && i <= last; i++)
        b->sel[i] = true;
}

static bool is_list(const struct lr_parquet_node *n)
{
    return n->leaf_index < 0 && (n->logical == LR_PQ_LT_LIST || n->converted_type == 3) &&
           n->num_children == 1 && n->children[0]->repetition == LR_PQ_REPEATED;
}

static bool is_map(const struct lr_parquet_node *n)
{
    if (n->leaf_index >= 0 || n->num_children != 1)
        return false;
    if (n->logical != LR_PQ_LT_MAP && n->converted_type != 1 && n->converted_type != 2)
        return false;
    const struct lr_parquet_node *kv = n->children[0];
    return kv->repetition == LR_PQ_REPEATED && kv->leaf_index < 0 &&
           (kv->num_children == 1 || kv->num_children == 2) &&
           kv->children[0]->leaf_index >= 0;
}

/* maps need their key leaf whenever any part of them is projected */
static void fix_maps(struct pbuild *b, const struct lr_parquet_node *n)
{
    if (n->leaf_index >= 0)
        return;
    if (is_map(n) && any_sel(b, n))
        mark(b, n->children[0]->children[0]);
    for (size_t i = 0; i < n->num_children; i++)
        fix_maps(b, n->children[i]);
}

static struct jnode *jnew(struct pbuild *b, enum jkind k, const struct lr_parquet_node *n,
                          int present_def)
{
    struct jnode *j = calloc(1, sizeof *j);
    if (!j) {
        lr_error_set(b->err, LR_ENOMEM, "out of memory");
        return NULL;
    }
    j->kind = k;
    j->name = n->name;
    j->present_def = present_def;
    j->lo = b->p->nleaves;
    return j;
}

static void jfree(struct jnode *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->nkids; i++)
        jfree(j->kids[i]);
    free(j->kids);
    free(j);
}

static int jadd(struct pbuild *b, struct jnode *parent, struct jnode *kid)
{
    struct jnode **k = realloc(parent->kids, (parent->nkids + 1) * sizeof *k);
    if (!k) {
        jfree(kid);
        return lr_error_set(b->err, LR_ENOMEM, "out of memory");
    }
    parent->kids = k;
    parent->kids[parent->nkids++] = kid;
    return 0;
}

static struct jnode *mk_value(struct pbuild *b, const struct lr_parquet_node *n,
                              int present_def);
static struct jnode *mk_field(struct pbuild *b, const struct lr_parquet_node *n);

static struct jnode *mk_leaf(struct pbuild *b, const struct lr_parquet_node *n, int present_def)
{
    struct jnode *j = jnew(b, J_LEAF, n, present_def);
    if (!j)
        return NULL;
    j->leaf = b->p->nleaves;
    b->p->leaf_idx[b->p->nleaves++] = (size_t)n->leaf_index;
    j->hi = b->p->nleaves;
    pq_vinfo_of(n, &j->vi);
    return j;
}

static struct jnode *mk_struct(struct pbuild *b, const struct lr_parquet_node *n,
                               int present_def)
{
    struct jnode *j = jnew(b, J_STRUCT, n, present_def);
    if (!j)
        return NULL;
    for (size_t i = 0; i < n->num_children; i++) {
        if (!any_sel(b, n->children[i]))
            continue;
        struct jnode *k = mk_field(b, n->children[i]);
        if (!k || jadd(b, j, k) < 0) {
            jfree(j);
            return NULL;
        }
    }
    j->hi = b->p->nleaves;
    return j;
}

/* a repeated node seen as one element of its list */
static struct jnode *mk_elem(struct pbuild *b, const struct lr_parquet_node *r)
{
    return r->leaf_index >= 0 ? mk_leaf(b, r, 0) : mk_struct(b, r, 0);
}

static struct jnode *mk_list(struct pbuild *b, const struct lr_parquet_node *n,
                             const struct lr_parquet_node *r, int present_def, bool three_level)
{
    struct jnode *j = jnew(b, J_LIST, n, present_def);
    if (!j)
        return NULL;
    j->rep_def = r->max_def;
    j->rep_level = r->max_rep;
    struct jnode *e = three_level ? mk_field(b, r->children[0]) : mk_elem(b, r);
    if (!e || jadd(b, j, e) < 0) {
        jfree(j);
        return NULL;
    }
    j->hi = b->p->nleaves;
    return j;
}

static struct jnode *mk_field(struct pbuild *b, const struct lr_parquet_node *n)
{
    if (n->repetition == LR_PQ_REPEATED)
        return mk_list(b, n, n, 0, false);
    return mk_value(b, n, n->repetition == LR_PQ_OPTIONAL ? n->max_def : 0);
}

static struct jnode *mk_value(struct pbuild *b, const struct lr_parquet_node *n,
                              int present_def)
{
    if (n->leaf_index >= 0)
        return mk_leaf(b, n, present_def);
    if (is_list(n)) {
        const struct lr_parquet_node *r = n->children[0];
        size_t nl = strlen(n->name);
        bool legacy = r->leaf_index >= 0 || r->num_children != 1 ||
                      strcmp(r->name, "array") == 0 ||
                      (strncmp(r->name, n->name, nl) == 0 && strcmp(r->name + nl, "_tuple") == 0);
        return mk_list(b, n, r, present_def, !legacy);
    }
    if (is_map(n)) {
        const struct lr_parquet_node *kv = n->children[0];
        struct jnode *j = jnew(b, J_MAP, n, present_def);
        if (!j)
            return NULL;
        j->rep_def = kv->max_def;
        j->rep_level = kv->max_rep;
        struct jnode *k = mk_leaf(b, kv->children[0], 0);
        if (!k || jadd(b, j, k) < 0) {
            jfree(j);
            return NULL;
        }
        if (kv->num_children == 2 && any_sel(b, kv->children[1])) {
            struct jnode *v = mk_field(b, kv->children[1]);
            if (!v || jadd(b, j, v) < 0) {
                jfree(j);
                return NULL;
            }
        }
        j->hi = b->p->nleaves;
        return j;
    }
    return mk_struct(b, n, present_def);
}

static const struct lr_parquet_node *find_path(const struct lr_parquet_node *n, const char *path)
{
    if (n->parent && strcmp(n->path, path) == 0)
        return n;
    for (size_t i = 0; i < n->num_children; i++) {
        const struct lr_parquet_node *c = n->children[i];
        size_t cl = strlen(c->path);
        /* descend only where the path can continue */
        if (strncmp(c->path, path, cl) == 0 && (path[cl] == '\0' || path[cl] == '.')) {
            const struct lr_parquet_node *hit = find_path(c, path);
            if (hit)
                return hit;
        }
    }
    return NULL;
}

int pq_proj_build(struct pq_proj **out, const struct lr_parquet_meta *m, const char *name,
                  const char *const *columns, size_t ncolumns, struct lr_error *err)
{
    *out = NULL;
    struct pq_proj *p = calloc(1, sizeof *p);
    bool *sel = calloc(m->num_leaves ? m->num_leaves : 1, sizeof *sel);
    int rc = 0;
    if (!p || !sel) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    p->leaf_idx = calloc(m->num_leaves ? m->num_leaves : 1, sizeof *p->leaf_idx);
    if (!p->leaf_idx) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    struct pbuild b = {m, sel, p, err};
    if (!columns || ncolumns == 0) {
        for (size_t i = 0; i < m->num_leaves; i++)
            sel[i] = true;
    } else {
        for (size_t i = 0; i < ncolumns; i++) {
            const struct lr_parquet_node *n = find_path(m->root, columns[i]);
            if (!n) {
                rc = lr_error_set(err, LR_ENOTFOUND, "%s: no column %s in the file's schema",
                                  name, columns[i]);
                goto done;
            }
            mark(&b, n);
        }
    }
    fix_maps(&b, m->root);
    p->root = mk_struct(&b, m->root, 0);
    if (!p->root) {
        rc = LR_ENOMEM;
        goto done;
    }
    *out = p;
    p = NULL;
done:
    free(sel);
    pq_proj_free(p);
    return rc;
}

void pq_proj_free(struct pq_proj *p)
{
    if (!p)
        return;
    jfree(p->root);
    free(p->leaf_idx);
    free(p);
}

size_t pq_proj_num_leaves(const struct pq_proj *p)
{
    return p->nleaves;
}

size_t pq_proj_leaf_index(const struct pq_proj *p, size_t i)
{
    return p->leaf_idx[i];
}

/* ---- sinks ------------------------------------------------------------------------------ */

struct sink {
    int (*null)(struct sink *s);
    int (*value)(struct sink *s, const struct jnode *j, const struct pq_col *c, size_t v);
    int (*begin)(struct sink *s, char kind);
    int (*end)(struct sink *s);
    int (*field)(struct sink *s, const char *name);
    int (*key)(struct sink *s, const struct jnode *j, const struct pq_col *c, size_t v,
               bool is_null);
    struct lr_error *err;
};

#define SINK_DEPTH (2 * PQ_MAX_DEPTH + 8)

struct json_sink {
    struct sink s;
    json_t *stack[SINK_DEPTH];
    int sp;
    json_t *result;
    struct lr_buf key;
    bool has_key;
};

static int js_put(struct json_sink *js, json_t *v)
{
    if (!v)
        return lr_error_set(js->s.err, LR_ENOMEM, "out of memory building a row");
    if (js->sp == 0) {
        js->result = v;
        return 0;
    }
    json_t *top = js->stack[js->sp - 1];
    int r;
    if (json_is_array(top)) {
        r = json_array_append_new(top, v);
    } else {
        /* keys are valid UTF-8 by construction (js_field / js_key sanitise them) */
        r = json_object_setn_new_nocheck(top, js->key.data ? (const char *)js->key.data : "",
                                         js->key.len, v);
        js->has_key = false;
    }
    if (r < 0)
        return lr_error_set(js->s.err, LR_ENOMEM, "out of memory building a row");
    return 0;
}

static int js_null(struct sink *s)
{
    return js_put((struct json_sink *)s, json_null());
}

static int js_value(struct sink *s, const struct jnode *j, const struct pq_col *c, size_t v)
{
    return js_put((struct json_sink *)s, pq_value_json(&j->vi, c, v));
}

static int js_begin(struct sink *s, char kind)
{
    struct json_sink *js = (struct json_sink *)s;
    json_t *v = kind == '[' ? json_array() : json_object();
    if (!v)
        return lr_error_set(s->err, LR_ENOMEM, "out of memory building a row");
    if (js->sp >= SINK_DEPTH) {
        json_decref(v);
        return lr_error_set(s->err, LR_ELIMIT, "row nested too deeply");
    }
    /* attach first (so the parent owns it), then push a borrowed pointer */
    json_incref(v);
    int rc = js_put(js, v);
    if (rc < 0) {
        json_decref(v);
        return rc;
    }
    js->stack[js->sp++] = v;
    json_decref(v); /* the parent (or result) holds the reference */
    return 0;
}

static int js_end(struct sink *s)
{
    struct json_sink *js = (struct json_sink *)s;
    js->sp--;
    return 0;
}

static int js_field(struct sink *s, const char *name)
{
    struct json_sink *js = (struct json_sink *)s;
    lr_buf_reset(&js->key);
    js->has_key = true;
    return pq_utf8_append(&js->key, (const uint8_t *)name, strlen(name), s->err);
}

static int js_key(struct sink *s, const struct jnode *j, const struct pq_col *c, size_t v,
                  bool is_null)
{
    struct json_sink *js = (struct json_sink *)s;
    lr_buf_reset(&js->key);
    js->has_key = true;
    if (is_null)
        return lr_buf_append(&js->key, "null", 4, s->err);
    if (j->vi.kind == PQ_V_STRING) {
        /* the string itself (invalid UTF-8 already replaced) */
        json_t *tmp = pq_value_json(&j->vi, c, v);
        if (!tmp)
            return lr_error_set(s->err, LR_ENOMEM, "out of memory");
        int rc = lr_buf_append(&js->key, json_string_value(tmp), json_string_length(tmp),
                               s->err);
        json_decref(tmp);
        return rc;
    }
    /* other key types: their JSON text, without quotes for strings */
    int rc = pq_value_text(&js->key, &j->vi, c, v, false, s->err);
    if (rc >= 0 && js->key.len >= 2 && js->key.data[0] == '"') {
        json_t *tmp = json_loadb((const char *)js->key.data, js->key.len, JSON_DECODE_ANY,
                                 NULL);
        if (tmp && json_is_string(tmp)) {
            lr_buf_reset(&js->key);
            rc = lr_buf_append(&js->key, json_string_value(tmp), json_string_length(tmp),
                               s->err);
        }
        json_decref(tmp);
    }
    return rc;
}

struct text_sink {
    struct sink s;
    struct lr_buf *out;
    bool first[SINK_DEPTH];
    char kind[SINK_DEPTH];
    int sp;
    bool after_key;
};

static int ts_sep(struct text_sink *ts)
{
    if (ts->after_key) {
        ts->after_key = false;
        return 0;
    }
    if (ts->sp > 0) {
        if (!ts->first[ts->sp - 1]) {
            int rc = lr_buf_append(ts->out, ",", 1, ts->s.err);
            if (rc < 0)
                return rc;
        }
        ts->first[ts->sp - 1] = false;
    }
    return 0;
}

static int ts_null(struct sink *s)
{
    struct text_sink *ts = (struct text_sink *)s;
    int rc = ts_sep(ts);
    return rc < 0 ? rc : lr_buf_append(ts->out, "null", 4, s->err);
}

static int ts_value(struct sink *s, const struct jnode *j, const struct pq_col *c, size_t v)
{
    struct text_sink *ts = (struct text_sink *)s;
    int rc = ts_sep(ts);
    return rc < 0 ? rc : pq_value_text(ts->out, &j->vi, c, v, false, s->err);
}

static int ts_begin(struct sink *s, char kind)
{
    struct text_sink *ts = (struct text_sink *)s;
    int rc = ts_sep(ts);
    if (rc < 0)
        return rc;
    if (ts->sp >= SINK_DEPTH)
        return lr_error_set(s->err, LR_ELIMIT, "row nested too deeply");
    ts->first[ts->sp] = true;
    ts->kind[ts->sp++] = kind;
    char ch = kind;
    return lr_buf_append(ts->out, &ch, 1, s->err);
}

static int ts_end(struct sink *s)
{
    struct text_sink *ts = (struct text_sink *)s;
    char ch = ts->kind[--ts->sp] == '[' ? ']' : '}';
    return lr_buf_append(ts->out, &ch, 1, s->err);
}

static int ts_field(struct sink *s, const char *name)
{
    struct text_sink *ts = (struct text_sink *)s;
    int rc = ts_sep(ts);
    if (rc >= 0)
        rc = pq_json_escape(ts->out, (const uint8_t *)name, strlen(name), s->err);
    if (rc >= 0)
        rc = lr_buf_append(ts->out, ":", 1, s->err);
    ts->after_key = true;
    return rc;
}

static int ts_key(struct sink *s, const struct jnode *j, const struct pq_col *c, size_t v,
                  bool is_null)
{
    struct text_sink *ts = (struct text_sink *)s;
    int rc = ts_sep(ts);
    if (rc < 0)
        return rc;
    rc = is_null ? lr_buf_append(ts->out, "\"null\"", 6, s->err)
                 : pq_value_text(ts->out, &j->vi, c, v, true, s->err);
    if (rc >= 0)
        rc = lr_buf_append(ts->out, ":", 1, s->err);
    ts->after_key = true;
    return rc;
}

/* ---- assembly --------------------------------------------------------------------------- */

struct actx {
    const struct pq_proj *p;
    struct pq_col *cols;
    struct sink *s;
    struct lr_error *err;
};

static int ran_out(struct actx *a, size_t leaf)
{
    return lr_error_set(a->err, LR_ECORRUPT,
                        "column %s: levels end before the record structure does (entry %zu)",
                        a->cols[leaf].leaf->path, a->cols[leaf].n);
}

static int peek(struct actx *a, size_t leaf, int *def, int *rep)
{
    const struct pq_col *c = &a->cols[leaf];
    if (c->pos >= c->n)
        return ran_out(a, leaf);
    *def = c->def ? c->def[c->pos] : 0;
    *rep = c->rep ? c->rep[c->pos] : 0;
    return 0;
}

/* consume one entry of a leaf; *v = its value index or SIZE_MAX when null */
static int take(struct actx *a, size_t leaf, size_t *v)
{
    struct pq_col *c = &a->cols[leaf];
    if (c->pos >= c->n)
        return ran_out(a, leaf);
    int d = c->def ? c->def[c->pos] : 0;
    c->pos++;
    if (d == c->leaf->max_def) {
        if (c->vpos >= c->nvals)
            return lr_error_set(a->err, LR_ECORRUPT, "column %s: more entries than values",
                                c->leaf->path);
        *v = c->vpos++;
    } else {
        *v = SIZE_MAX;
    }
    return 0;
}

static int skip_all(struct actx *a, const struct jnode *j)
{
    size_t v;
    for (size_t i = j->lo; i < j->hi; i++) {
        int rc = take(a, i, &v);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int build(struct actx *a, const struct jnode *j)
{
    int d = 0, r = 0, rc;
    if (j->present_def > 0) {
        rc = peek(a, j->lo, &d, &r);
        if (rc < 0)
            return rc;
        if (d < j->present_def) {
            rc = skip_all(a, j);
            return rc < 0 ? rc : a->s->null(a->s);
        }
    }
    switch (j->kind) {
    case J_LEAF: {
        size_t v;
        rc = take(a, j->leaf, &v);
        if (rc < 0)
            return rc;
        return v == SIZE_MAX ? a->s->null(a->s) : a->s->value(a->s, j, &a->cols[j->leaf], v);
    }
    case J_STRUCT:
        rc = a->s->begin(a->s, '{');
        for (size_t i = 0; rc >= 0 && i < j->nkids; i++) {
            rc = a->s->field(a->s, j->kids[i]->name);
            if (rc >= 0)
                rc = build(a, j->kids[i]);
        }
        return rc < 0 ? rc : a->s->end(a->s);
    case J_LIST:
    case J_MAP:
        rc = peek(a, j->lo, &d, &r);
        if (rc < 0)
            return rc;
        rc = a->s->begin(a->s, j->kind == J_LIST ? '[' : '{');
        if (rc < 0)
            return rc;
        if (d < j->rep_def) {
            rc = skip_all(a, j);
            return rc < 0 ? rc : a->s->end(a->s);
        }
        for (;;) {
            if (j->kind == J_LIST) {
                rc = build(a, j->kids[0]);
            } else {
                const struct jnode *k = j->kids[0];
                size_t v;
                rc = take(a, k->leaf, &v);
                if (rc >= 0)
                    rc = a->s->key(a->s, k, &a->cols[k->leaf], v, v == SIZE_MAX);
                if (rc >= 0)
                    rc = j->nkids > 1 ? build(a, j->kids[1]) : a->s->null(a->s);
            }
            if (rc < 0)
                return rc;
            const struct pq_col *c = &a->cols[j->lo];
            if (c->pos >= c->n || !c->rep || c->rep[c->pos] < j->rep_level)
                break;
        }
        return a->s->end(a->s);
    }
    return 0;
}

static int check_record_end(struct actx *a)
{
    for (size_t i = 0; i < a->p->nleaves; i++) {
        const struct pq_col *c = &a->cols[i];
        if (c->pos < c->n && c->rep && c->rep[c->pos] != 0)
            return lr_error_set(a->err, LR_ECORRUPT,
                                "column %s: repetition levels disagree with the other columns "
                                "(entry %zu)",
                                c->leaf->path, c->pos);
    }
    return 0;
}

int pq_assemble_json(const struct pq_proj *p, struct pq_col *cols, json_t **out,
                     struct lr_error *err)
{
    struct json_sink js;
    memset(&js, 0, sizeof js);
    js.s = (struct sink){js_null, js_value, js_begin, js_end, js_field, js_key, err};
    struct actx a = {p, cols, &js.s, err};
    int rc = build(&a, p->root);
    if (rc >= 0)
        rc = check_record_end(&a);
    lr_buf_free(&js.key);
    if (rc < 0) {
        json_decref(js.result);
        *out = NULL;
        return rc;
    }
    *out = js.result;
    return 0;
}

int pq_assemble_text(const struct pq_proj *p, struct pq_col *cols, struct lr_buf *out,
                     struct lr_error *err)
{
    struct text_sink ts;
    memset(&ts, 0, sizeof ts);
    ts.s = (struct sink){ts_null, ts_value, ts_begin, ts_end, ts_field, ts_key, err};
    ts.out = out;
    struct actx a = {p, cols, &ts.s, err};
    int rc = build(&a, p->root);
    if (rc >= 0)
        rc = check_record_end(&a);
    return rc;
}

int pq_assemble_check_done(const struct pq_proj *p, struct pq_col *cols, struct lr_error *err)
{
    for (size_t i = 0; i < p->nleaves; i++)
        if (cols[i].pos != cols[i].n)
            return lr_error_set(err, LR_ECORRUPT,
                                "column %s holds %zu entries beyond the row group's rows",
                                cols[i].leaf->path, cols[i].n - cols[i].pos);
    return 0;
}
