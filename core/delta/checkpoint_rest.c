/* checkpoint_rest.c - partitionValues and the fields of add/remove that have no place of their
 * own in a record (tags, deletionVector, row-tracking fields, unknown ones), a row at a time.
 *
 * Owns: the cursors over one batch of the columns of the fields some row of the row group
 * holds (a field no row holds is found by a page scan of its first column and left out), the
 * JSON of those fields as the row path renders them, and the interning of partitionValues:
 * equal maps share one text, found first in a per-row-group cache by the addresses of their
 * entries (a dictionary's values), then in one by their entries' bytes, then in the arena's
 * pool by a spelled key.
 * Invariants: the same as checkpoint_files.c's; every level read is bounds-checked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delta/checkpoint_fields.h"

struct cursor {
    struct lr_parquet_column c;
    size_t e;              /* next entry */
    size_t v;              /* next value (entries at max_def before e) */
};

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

/* Maps met before in this row group, by the hash of their entries: most rows of a
 * partitioned table repeat one of a few maps, found here by comparing entries without
 * spelling a pool key. Slices point into the rest batch, so a cache lives for one row
 * group. */
#define PV_MEMO_MAX 8
#define PV_CACHE 256

struct pv_seen {
    const char *text;      /* NULL: an empty slot */
    size_t n;
    struct lr_parquet_slice k[PV_MEMO_MAX], v[PV_MEMO_MAX];
    bool vnull[PV_MEMO_MAX];
};

/* Before that, by where the entries' bytes are: a dictionary-encoded column hands out the
 * same slice for every use of a value, and slices of one batch never share bytes unless they
 * are the same value, so a map whose entries point at the same (address, length) pairs as a
 * map met before is that map, found without reading or hashing a byte. */
#define PV_FAST 128
#define PV_FAST_MAX 4

struct pv_fast {
    const char *text; /* NULL: an empty slot */
    size_t n;
    const uint8_t *kp[PV_FAST_MAX], *vp[PV_FAST_MAX]; /* vp NULL: a null value */
    uint32_t kl[PV_FAST_MAX], vl[PV_FAST_MAX];
};

struct pv_memo {
    struct pv_seen slot[PV_CACHE];
    struct pv_fast fast[PV_FAST];
};

static bool same_slice(const struct lr_parquet_slice *a, const struct lr_parquet_slice *b)
{
    return a->len == b->len && (a->len == 0 || a->p == b->p || memcmp(a->p, b->p, a->len) == 0);
}

static uint64_t slice_hash(uint64_t h, const struct lr_parquet_slice *x)
{
    h = (h ^ x->len) * 0x9e3779b97f4a7c15ull;
    size_t i = 0;
    for (; i + 8 <= x->len; i += 8) {
        uint64_t w;
        memcpy(&w, x->p + i, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 29;
    }
    /* the last 0-7 bytes by fixed-size loads (a copy of a variable length into a word was a
     * call and a stalled store, a third of this pass for short partition values); the length
     * is already in h, so overlapping loads cannot confuse two values */
    const uint8_t *q = x->p + i;
    size_t r = x->len - i;
    uint64_t w = 0;
    if (r >= 4) {
        uint32_t a, b;
        memcpy(&a, q, 4);
        memcpy(&b, q + r - 4, 4);
        w = (uint64_t)a << 32 | b;
    } else if (r > 0) { /* an empty slice may have no pointer at all */
        w = (uint64_t)q[0] << 16 | (uint64_t)q[r / 2] << 8 | q[r - 1];
    }
    return (h ^ w) * 0x9e3779b97f4a7c15ull;
}

/* Every input bit into the low bits that pick the slot (murmur3's finaliser). */
static uint64_t hash_mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

static bool map_entry_ok(const struct cursor *k, const struct cursor *v)
{
    return k->e < k->c.num_entries && v->e < v->c.num_entries &&
           def_at(k) == k->c.leaf->max_def && k->v < k->c.num_values;
}

static bool map_last_entry(const struct cursor *k, const struct ffield *f)
{
    return k->e >= k->c.num_entries || !k->c.rep_levels || k->c.rep_levels[k->e] < f->kv_rep;
}

/* The entries of the non-empty map at the cursors into *x, walking copies k, v of them; false
 * when it has more than PV_MEMO_MAX or is not well formed (the slow path then reports it). */
static bool map_entries(const struct cursor *cur, const struct ffield *f, struct pv_seen *x,
                        uint64_t *hash, struct cursor *k, struct cursor *v)
{
    *k = cur[f->col];
    *v = cur[f->col + 1];
    uint64_t h = 0;
    for (size_t i = 0;; i++) {
        if (i >= PV_MEMO_MAX || !map_entry_ok(k, v))
            return false;
        x->k[i] = k->c.byte_arrays[k->v++];
        k->e++;
        x->vnull[i] = def_at(v) != v->c.leaf->max_def;
        if (!x->vnull[i]) {
            if (v->v >= v->c.num_values)
                return false;
            x->v[i] = v->c.byte_arrays[v->v++];
        } else {
            x->v[i] = (struct lr_parquet_slice){0};
        }
        v->e++;
        h = slice_hash(slice_hash(h + x->vnull[i], &x->k[i]), &x->v[i]);
        if (map_last_entry(k, f)) {
            x->n = i + 1;
            *hash = hash_mix(h);
            return true;
        }
    }
}

static bool seen_equal(const struct pv_seen *a, const struct pv_seen *b)
{
    if (!a->text || a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!same_slice(&a->k[i], &b->k[i]) || a->vnull[i] != b->vnull[i] ||
            (!a->vnull[i] && !same_slice(&a->v[i], &b->v[i])))
            return false;
    return true;
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
        if (!map_entry_ok(k, v) || !add_slice(kb, &k->c.byte_arrays[k->v++]))
            return false;
        k->e++;
        if (def_at(v) == v->c.leaf->max_def) {
            if (v->v >= v->c.num_values || !add_slice(kb, &v->c.byte_arrays[v->v++]))
                return false;
        } else if (lr_buf_append(kb, "-", 1, NULL) < 0) {
            return false;
        }
        v->e++;
        if (map_last_entry(k, f))
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

/* The non-empty map at the cursors by the addresses of its entries (into *x, with the level
 * and value positions just past it); false when it has more than PV_FAST_MAX entries or is not
 * well formed (the general path then reads it). */
struct past {
    size_t ke, kv, ve, vv; /* the cursors' positions past the map */
};

static bool fast_entries(const struct cursor *k, const struct cursor *v, const struct ffield *f,
                         struct pv_fast *x, uint64_t *hash, struct past *past)
{
    size_t ke = k->e, kv = k->v, ve = v->e, vv = v->v;
    const struct lr_parquet_column *kc = &k->c, *vc = &v->c;
    uint64_t h = 0;
    for (size_t i = 0;; i++) {
        if (i >= PV_FAST_MAX || ke >= kc->num_entries || ve >= vc->num_entries ||
            kv >= kc->num_values ||
            (kc->def_levels && kc->def_levels[ke] != kc->leaf->max_def))
            return false;
        x->kp[i] = kc->byte_arrays[kv].p;
        x->kl[i] = kc->byte_arrays[kv].len;
        kv++;
        ke++;
        if (!vc->def_levels || vc->def_levels[ve] == vc->leaf->max_def) {
            if (vv >= vc->num_values)
                return false;
            x->vp[i] = vc->byte_arrays[vv].p;
            x->vl[i] = vc->byte_arrays[vv].len;
            vv++;
        } else {
            x->vp[i] = NULL;
            x->vl[i] = 0;
        }
        ve++;
        h = (h ^ (uintptr_t)x->kp[i] ^ ((uint64_t)x->kl[i] << 48)) * 0x9e3779b97f4a7c15ull;
        h = (h ^ (uintptr_t)x->vp[i] ^ ((uint64_t)x->vl[i] << 48)) * 0x9e3779b97f4a7c15ull;
        if (ke >= kc->num_entries || !kc->rep_levels || kc->rep_levels[ke] < f->kv_rep) {
            x->n = i + 1;
            *hash = h ^ (h >> 29);
            *past = (struct past){ke, kv, ve, vv};
            return true;
        }
    }
}

static bool fast_equal(const struct pv_fast *a, const struct pv_fast *b)
{
    if (!a->text || a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->kp[i] != b->kp[i] || a->kl[i] != b->kl[i] || a->vp[i] != b->vp[i] ||
            a->vl[i] != b->vl[i])
            return false;
    return true;
}

/* partitionValues as interned JSON text (NULL when the map is null). */
/* The map just interned into its cache slot (none when its entries were not taken). */
static void remember(struct pv_seen *slot, const struct pv_seen *here, const char *text)
{
    if (!slot)
        return;
    *slot = *here;
    slot->text = text;
}

static int pv_read(struct cursor *cur, const struct ffield *f, struct lr_delta_mem *mem,
                   struct lr_buf *kb, struct pv_memo *memo, int d, const char **out,
                   struct lr_error *err);

static int pv_take(struct cursor *cur, const struct ffield *f, struct lr_delta_mem *mem,
                   struct lr_buf *kb, struct pv_memo *memo, const char **out,
                   struct lr_error *err)
{
    struct cursor *k = &cur[f->col];
    *out = NULL;
    if (k->e >= k->c.num_entries)
        return corrupt(err, k);
    int d = def_at(k);
    struct cursor *v = &cur[f->col + 1];
    struct pv_fast fast;
    struct pv_fast *fslot = NULL;
    uint64_t fh;
    struct past past;
    if (d >= f->kv_def && fast_entries(k, v, f, &fast, &fh, &past)) {
        fslot = &memo->fast[fh % PV_FAST];
        if (fast_equal(fslot, &fast)) {
            k->e = past.ke;
            k->v = past.kv;
            v->e = past.ve;
            v->v = past.vv;
            *out = fslot->text;
            return 0;
        }
    }
    int rc = pv_read(cur, f, mem, kb, memo, d, out, err);
    if (rc >= 0 && fslot && *out) {
        *fslot = fast;
        fslot->text = *out;
    }
    return rc;
}

/* pv_take() for a map not met before at the same addresses. */
static int pv_read(struct cursor *cur, const struct ffield *f, struct lr_delta_mem *mem,
                   struct lr_buf *kb, struct pv_memo *memo, int d, const char **out,
                   struct lr_error *err)
{
    struct cursor pk, pv;
    struct pv_seen here;
    uint64_t h = 0;
    struct pv_seen *slot = NULL;
    if (d >= f->kv_def && map_entries(cur, f, &here, &h, &pk, &pv)) {
        slot = &memo->slot[h % PV_CACHE];
        if (seen_equal(slot, &here)) {
            cur[f->col] = pk;
            cur[f->col + 1] = pv;
            *out = slot->text;
            return 0;
        }
    }
    bool pooled = d >= f->kv_def && pool_key(cur, f, kb, &pk, &pv);
    if (pooled) {
        const char *t = delta_mem_lookup(mem, kb->data, kb->len);
        if (t) {
            cur[f->col] = pk;
            cur[f->col + 1] = pv;
            *out = t;
            remember(slot, &here, t);
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
    if (pooled)
        remember(slot, &here, *out);
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

/* The fields of `rest` (made by extra_take) into the record. */
static int set_extra(struct lr_delta_mem *mem, struct lr_delta_file *r, json_t *rest,
                     struct lr_error *err)
{
    char *text = json_dumps(rest, JSON_COMPACT | JSON_PRESERVE_ORDER);
    const char *extra = text ? delta_mem_intern(mem, text, strlen(text)) : NULL;
    free(text);
    if (delta_rec_set_extra(mem, r, extra) < 0 ||
        delta_rec_set_dv(mem, r, json_object_get(rest, "deletionVector")) < 0)
        return nomem(err);
    return 0;
}

/* ---- partitionValues and the other fields, a row at a time from one batch of their columns.
 * A field no row of the row group holds (most often every one but partitionValues) is found
 * by a page scan of its first column and left out of the batch. */

struct held_scan {
    int def; /* the field's own level: an entry at or above it holds the field */
    bool held;
};

static int held_page(void *ctx, const struct lr_parquet_column *c, size_t first,
                     struct lr_error *err)
{
    (void)first;
    (void)err;
    struct held_scan *x = ctx;
    if (!c->def_levels)
        x->held |= c->num_entries > 0;
    for (size_t e = 0; c->def_levels && e < c->num_entries && !x->held; e++)
        x->held = c->def_levels[e] >= x->def;
    return 0;
}

static int field_held(struct lr_parquet_file *f, size_t rg, const struct ffield *k, bool *held,
                      struct lr_error *err)
{
    const struct lr_parquet_node *leaf = k->node;
    while (leaf->num_children)
        leaf = leaf->children[0];
    struct held_scan x = {k->node->max_def, false};
    if (leaf->max_rep > 0) {
        *held = true; /* a map: page scans take no repeated column; rest_open looks closer */
        return 0;
    }
    int rc = lr_parquet_column_scan(f, rg, leaf->path, NULL, held_page, &x, err);
    *held = x.held;
    return rc;
}

struct rest {
    const struct ffield **held[2]; /* per top, in field order */
    size_t nheld[2];
    struct lr_strvec cols;         /* their leaves, in schema order */
    struct pv_memo *memo;          /* one per top */
};

/* The fields some row holds, of the tops some row holds (top_held): a top no row of the row
 * group holds (the removes, in most of a checkpoint) has all of its fields null. */
static int rest_plan(struct lr_parquet_file *f, size_t rg, const struct fast *fs,
                     const bool top_held[2], struct rest *x, struct lr_error *err)
{
    int rc = 0;
    for (size_t t = 0; t < fs->ntops && rc >= 0; t++) {
        const struct ftop *top = &fs->plans[t];
        x->held[t] = calloc(top->f.nkids ? top->f.nkids : 1, sizeof *x->held[t]);
        if (!x->held[t])
            return nomem(err);
        for (size_t i = 0; top_held[t] && i < top->f.nkids && rc >= 0; i++) {
            const struct ffield *k = &top->f.kids[i];
            bool held = false;
            if (delta_field_in_rest(k))
                rc = field_held(f, rg, k, &held, err);
            if (rc >= 0 && held) {
                x->held[t][x->nheld[t]++] = k;
                rc = delta_field_leaves(k->node, &x->cols) < 0 ? nomem(err) : 0;
            }
        }
    }
    return rc;
}

static bool cursor_held(const struct cursor *cur, const struct ffield *k)
{
    const struct lr_parquet_column *c = &cur[k->col].c;
    for (size_t e = 0; c->def_levels && e < c->num_entries; e++)
        if (c->def_levels[e] >= k->node->max_def)
            return true;
    return !c->def_levels && c->num_entries > 0;
}

/* The batch of the held fields' columns as cursors at their plan numbers (ffield.col); the
 * maps that no row holds after all are dropped from the walk. */
static int rest_open(struct lr_parquet_batch **b, struct cursor **cur, struct lr_parquet_file *f,
                     size_t rg, const struct fast *fs, struct rest *x, const char *key,
                     struct lr_error *err)
{
    *cur = calloc(fs->cols.count, sizeof **cur);
    if (!*cur)
        return nomem(err);
    int rc = lr_parquet_batch_read(b, f, rg, (const char *const *)x->cols.items, x->cols.count,
                                   err);
    if (rc < 0)
        return rc;
    if (lr_parquet_batch_num_columns(*b) != x->cols.count)
        return lr_error_set(err, LR_ECORRUPT, "%s: projection mismatch", key);
    size_t next = 0;
    for (size_t t = 0; t < fs->ntops; t++) {
        size_t kept = 0;
        for (size_t i = 0; i < x->nheld[t]; i++) {
            const struct ffield *k = x->held[t][i];
            for (size_t j = 0; j < k->ncols; j++)
                lr_parquet_batch_column(*b, next++, &(*cur)[k->col + j].c);
            if (cursor_held(*cur, k))
                x->held[t][kept++] = k;
        }
        x->nheld[t] = kept;
    }
    return 0;
}

static int rest_fields(struct cursor *cur, const struct ffield *const *held, size_t nheld,
                       struct lr_delta_file *r, struct lr_delta_mem *mem, struct lr_buf *kb,
                       struct pv_memo *memo, struct lr_error *err)
{
    if (!r) {
        for (size_t i = 0; i < nheld; i++) {
            int rc = skip_null(cur, held[i]->col, held[i]->ncols, err);
            if (rc < 0)
                return rc;
        }
        return 0;
    }
    json_t *rest = NULL;
    int rc = 0;
    for (size_t i = 0; i < nheld && rc >= 0; i++)
        rc = held[i]->role == R_PV
                 ? pv_take(cur, held[i], mem, kb, memo, &r->partition_values, err)
                 : extra_take(cur, held[i], &rest, err);
    if (rc >= 0 && rest)
        rc = set_extra(mem, r, rest, err);
    json_decref(rest);
    return rc;
}

int delta_rest_pass(struct lr_parquet_file *f, size_t rg, const struct fast *fs,
                    struct lr_delta_file **recs, int64_t rows, int64_t row0,
                    const bool held[2], struct lr_delta_mem *mem, struct lr_buf *kb,
                    const char *key, struct lr_error *err)
{
    if (!fs->cols.count)
        return 0;
    struct rest x;
    memset(&x, 0, sizeof x);
    struct lr_parquet_batch *b = NULL;
    struct cursor *cur = NULL;
    int rc = (x.memo = calloc(2, sizeof *x.memo)) ? rest_plan(f, rg, fs, held, &x, err)
                                                   : nomem(err);
    if (rc >= 0 && x.cols.count)
        rc = rest_open(&b, &cur, f, rg, fs, &x, key, err);
    for (int64_t r = 0; r < rows && rc >= 0 && x.cols.count; r++) {
        for (size_t t = 0; t < fs->ntops && rc >= 0; t++)
            rc = rest_fields(cur, x.held[t], x.nheld[t],
                             delta_row_rec(recs, (size_t)r, fs->plans[t].is_add), mem, kb,
                             &x.memo[t], err);
        if (rc < 0)
            lr_error_context(err, "%s row %lld", key, (long long)(row0 + r + 1));
    }
    free(x.held[0]);
    free(x.held[1]);
    free(x.memo);
    lr_strvec_free(&x.cols);
    free(cur);
    lr_parquet_batch_free(b);
    return rc;
}
