/* write_shred.c - rows into column entries: the JSON shredder (records → repetition and
 * definition levels, Dremel style), the typed appends for flat columns, and the per-leaf
 * buffers with their on-the-fly string dictionary.
 *
 * Invariant: a row is either wholly appended or not at all. JSON rows are walked twice, once
 * to check every value (nothing is written) and once to append, so a bad row leaves the
 * buffers as they were; only an allocation failure in the second walk can leave a partial row,
 * and it marks the writer broken. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parquet/write_internal.h"

/* ---- column buffers ---------------------------------------------------------------------- */

void w_col_free(struct wcol *c)
{
    if (c->path)
        for (size_t i = 0; i < c->path_len; i++)
            free(c->path[i]);
    free(c->path);
    free(c->dotted);
    free(c->defs);
    free(c->reps);
    free(c->offs);
    free(c->idx);
    lr_buf_free(&c->values);
    free(c->dict.slots);
    free(c->dict.entry_off);
    free(c->dict.entry_hash);
}

static void dict_drop(struct wcol *c)
{
    free(c->dict.slots);
    free(c->dict.entry_off);
    free(c->dict.entry_hash);
    free(c->idx);
    c->idx = NULL;
    c->idx_cap = 0;
    memset(&c->dict, 0, sizeof c->dict);
    c->dict.is_dead = true;
}

void w_col_reset(struct wcol *c, bool is_dictionary_off)
{
    c->n = 0;
    c->nvals = 0;
    lr_buf_reset(&c->values);
    if (c->dict.slots)
        memset(c->dict.slots, 0, c->dict.nslots * sizeof *c->dict.slots);
    c->dict.n = 0;
    c->dict.bytes = 0;
    c->dict.is_dead = c->type != LR_PQW_STRING || is_dictionary_off;
}

int w_col_reserve_entry(struct wcol *c, struct lr_error *err)
{
    if (c->n < c->cap)
        return 0;
    size_t cap = c->cap ? c->cap * 2 : 1024;
    uint8_t *d = realloc(c->defs, cap);
    if (!d)
        return lr_error_set(err, LR_ENOMEM, "out of memory buffering column %s", c->dotted);
    c->defs = d;
    if (c->max_rep) {
        uint8_t *r = realloc(c->reps, cap);
        if (!r)
            return lr_error_set(err, LR_ENOMEM, "out of memory buffering column %s", c->dotted);
        c->reps = r;
    }
    c->cap = cap;
    return 0;
}

static int push_entry(struct lr_parquet_writer *w, struct wcol *c, uint8_t r, uint8_t d,
                      struct lr_error *err)
{
    int rc = w_col_reserve_entry(c, err);
    if (rc < 0)
        return rc;
    c->defs[c->n] = d;
    if (c->max_rep)
        c->reps[c->n] = r;
    c->n++;
    w->buffered += 2;
    return 0;
}

static int reserve_value(struct wcol *c, struct lr_error *err)
{
    if (c->nvals == c->vcap) {
        size_t cap = c->vcap ? c->vcap * 2 : 1024;
        uint64_t *o = realloc(c->offs, cap * sizeof *o);
        if (!o)
            return lr_error_set(err, LR_ENOMEM, "out of memory buffering column %s", c->dotted);
        c->offs = o;
        c->vcap = cap;
    }
    if (!c->dict.is_dead && c->idx_cap < c->vcap) {
        uint32_t *ix = realloc(c->idx, c->vcap * sizeof *ix);
        if (!ix)
            return lr_error_set(err, LR_ENOMEM, "out of memory buffering column %s", c->dotted);
        c->idx = ix;
        c->idx_cap = c->vcap;
    }
    return 0;
}

static uint32_t hash_bytes(const uint8_t *p, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
    while (n >= 8) {
        uint64_t k;
        memcpy(&k, p, 8);
        h = (h ^ k) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
        p += 8;
        n -= 8;
    }
    uint64_t k = 0;
    memcpy(&k, p, n);
    h = (h ^ k) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    return (uint32_t)h;
}

static int dict_grow(struct wdict *dc, struct lr_error *err)
{
    size_t ns = dc->nslots ? dc->nslots * 2 : 1024;
    uint32_t *slots = calloc(ns, sizeof *slots);
    if (!slots)
        return lr_error_set(err, LR_ENOMEM, "out of memory growing a dictionary");
    for (uint32_t id = 0; id < dc->n; id++) {
        size_t s = dc->entry_hash[id] & (ns - 1);
        while (slots[s])
            s = (s + 1) & (ns - 1);
        slots[s] = id + 1;
    }
    free(dc->slots);
    dc->slots = slots;
    dc->nslots = ns;
    return 0;
}

/* Look `p[0..n)` up in the dictionary, adding it (first seen at `off`) when new. Kills the
 * dictionary when it would pass W_DICT_MAX_BYTES. Sets *id_out. */
static int dict_add(struct wcol *c, const uint8_t *p, size_t n, uint64_t off, uint32_t *id_out,
                    struct lr_error *err)
{
    struct wdict *dc = &c->dict;
    if ((size_t)dc->n * 2 >= dc->nslots) {
        int rc = dict_grow(dc, err);
        if (rc < 0)
            return rc;
    }
    uint32_t h = hash_bytes(p, n);
    size_t s = h & (dc->nslots - 1);
    while (dc->slots[s]) {
        uint32_t id = dc->slots[s] - 1;
        if (dc->entry_hash[id] == h) {
            const uint8_t *e = c->values.data + dc->entry_off[id];
            uint32_t elen;
            memcpy(&elen, e, 4);
            if (elen == n && memcmp(e + 4, p, n) == 0) {
                *id_out = id;
                return 0;
            }
        }
        s = (s + 1) & (dc->nslots - 1);
    }
    if (dc->bytes + n + 4 > W_DICT_MAX_BYTES) {
        dict_drop(c);
        return 0;
    }
    if (dc->n == dc->cap) {
        size_t cap = dc->cap ? dc->cap * 2 : 256;
        uint64_t *eo = realloc(dc->entry_off, cap * sizeof *eo);
        if (!eo)
            return lr_error_set(err, LR_ENOMEM, "out of memory growing a dictionary");
        dc->entry_off = eo;
        uint32_t *eh = realloc(dc->entry_hash, cap * sizeof *eh);
        if (!eh)
            return lr_error_set(err, LR_ENOMEM, "out of memory growing a dictionary");
        dc->entry_hash = eh;
        dc->cap = cap;
    }
    uint32_t id = dc->n++;
    dc->entry_off[id] = off;
    dc->entry_hash[id] = h;
    dc->slots[s] = id + 1;
    dc->bytes += n + 4;
    *id_out = id;
    return 0;
}

/* A present value at max_def: `p` is the string bytes for STRING, else the PLAIN bytes. */
static int push_value(struct lr_parquet_writer *w, struct wcol *c, uint8_t r, const void *p,
                      size_t n, struct lr_error *err)
{
    int rc = push_entry(w, c, r, c->max_def, err);
    if (rc < 0)
        return rc;
    rc = reserve_value(c, err);
    if (rc < 0)
        return rc;
    uint64_t off = c->values.len;
    if (c->type == LR_PQW_STRING) {
        if (n > UINT32_MAX)
            return lr_error_set(err, LR_ELIMIT, "column %s: a string of %zu bytes is too long",
                                c->dotted, n);
        uint32_t id = 0;
        if (!c->dict.is_dead) {
            rc = dict_add(c, p, n, off, &id, err);
            if (rc < 0)
                return rc;
        }
        uint8_t le[4] = {(uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16), (uint8_t)(n >> 24)};
        rc = lr_buf_append(&c->values, le, 4, err);
        if (rc < 0)
            return rc;
        if (!c->dict.is_dead)
            c->idx[c->nvals] = id;
        w->buffered += 4;
    }
    rc = lr_buf_append(&c->values, p, n, err);
    if (rc < 0)
        return rc;
    c->offs[c->nvals++] = off;
    w->buffered += n;
    return 0;
}

/* ---- values from JSON --------------------------------------------------------------------- */

static void node_path(const struct lr_parquet_writer *w, int id, char *buf, size_t size)
{
    int chain[W_MAX_DEPTH + 2];
    int k = 0;
    for (int n = id; n > 0 && k < W_MAX_DEPTH + 2; n = w->nodes[n].parent)
        chain[k++] = n;
    size_t pos = 0;
    buf[0] = '\0';
    while (k-- > 0 && pos + 1 < size) {
        int m = snprintf(buf + pos, size - pos, "%s%s", pos ? "." : "", w->nodes[chain[k]].name);
        if (m < 0)
            break;
        pos += (size_t)m;
    }
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int parse_date(const char *s, size_t len, int64_t *days)
{
    int y;
    int m;
    int d;
    if (len < 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) || digits(s + 5, 2, &m) ||
        digits(s + 8, 2, &d) || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    *days = days_from_civil(y, m, d);
    return 0;
}

static int parse_timestamp(const char *s, size_t len, int64_t *micros)
{
    int64_t days;
    int hh;
    int mm;
    int ss;
    if (parse_date(s, len, &days) < 0 || len < 19 || (s[10] != 'T' && s[10] != ' ') ||
        s[13] != ':' || s[16] != ':' || digits(s + 11, 2, &hh) || digits(s + 14, 2, &mm) ||
        digits(s + 17, 2, &ss) || hh > 23 || mm > 59 || ss > 60)
        return -1;
    size_t i = 19;
    int64_t frac = 0;
    if (i < len && s[i] == '.') {
        int nd = 0;
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nd++)
            if (nd < 6)
                frac = frac * 10 + (s[i] - '0');
        if (nd == 0)
            return -1;
        for (; nd < 6; nd++)
            frac *= 10;
    }
    int64_t offset = 0;
    if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
        i++;
    } else if (i < len && (s[i] == '+' || s[i] == '-')) {
        int oh;
        int om;
        if (len - i < 6 || s[i + 3] != ':' || digits(s + i + 1, 2, &oh) ||
            digits(s + i + 4, 2, &om))
            return -1;
        offset = (int64_t)(oh * 60 + om) * 60 * (s[i] == '-' ? -1 : 1);
        i += 6;
    }
    if (i != len)
        return -1;
    *micros = ((days * 86400 + hh * 3600 + mm * 60 + ss) - offset) * 1000000 + frac;
    return 0;
}

struct shred {
    struct lr_parquet_writer *w;
    bool is_dry;
    struct lr_error *err;
};

static int bad_value(struct shred *s, int id, const char *want, const json_t *v)
{
    char path[512];
    node_path(s->w, id, path, sizeof path);
    static const char *const names[] = {"object", "array", "string", "integer", "real",
                                        "true", "false", "null"};
    int t = (int)json_typeof(v);
    return lr_error_set(s->err, LR_EINVAL, "row %" PRId64 ", column %s: expected %s, got %s",
                        s->w->total_rows, path, want, t >= 0 && t < 8 ? names[t] : "?");
}

/* Convert a non-null JSON value for leaf `id` to PLAIN bytes (strings: borrowed pointer). */
static int leaf_bytes(struct shred *s, int id, const json_t *v, uint8_t *tmp, const void **p,
                      size_t *n)
{
    const struct wnode *nd = &s->w->nodes[id];
    int64_t i64;
    switch (nd->type) {
    case LR_PQW_BOOLEAN:
        if (!json_is_boolean(v))
            return bad_value(s, id, "true or false", v);
        tmp[0] = json_is_true(v) ? 1 : 0;
        *p = tmp;
        *n = 1;
        return 0;
    case LR_PQW_INT32:
    case LR_PQW_DATE:
        if (json_is_integer(v)) {
            i64 = json_integer_value(v);
        } else if (nd->type == LR_PQW_DATE && json_is_string(v)) {
            if (parse_date(json_string_value(v), json_string_length(v), &i64) < 0 ||
                json_string_length(v) != 10)
                return bad_value(s, id, "a date as YYYY-MM-DD or days since 1970-01-01", v);
        } else {
            return bad_value(s, id, nd->type == LR_PQW_DATE ? "a date" : "an integer", v);
        }
        if (i64 < INT32_MIN || i64 > INT32_MAX) {
            char path[512];
            node_path(s->w, id, path, sizeof path);
            return lr_error_set(s->err, LR_ERANGE,
                                "row %" PRId64 ", column %s: %" PRId64 " does not fit in 32 bits",
                                s->w->total_rows, path, i64);
        }
        for (int k = 0; k < 4; k++)
            tmp[k] = (uint8_t)((uint64_t)i64 >> (8 * k));
        *p = tmp;
        *n = 4;
        return 0;
    case LR_PQW_INT64:
    case LR_PQW_TIMESTAMP:
        if (json_is_integer(v)) {
            i64 = json_integer_value(v);
        } else if (nd->type == LR_PQW_TIMESTAMP && json_is_string(v)) {
            if (parse_timestamp(json_string_value(v), json_string_length(v), &i64) < 0)
                return bad_value(s, id,
                                 "microseconds since the epoch or YYYY-MM-DDTHH:MM:SS[.ffffff]Z",
                                 v);
        } else {
            return bad_value(s, id, nd->type == LR_PQW_TIMESTAMP ? "a timestamp" : "an integer",
                             v);
        }
        for (int k = 0; k < 8; k++)
            tmp[k] = (uint8_t)((uint64_t)i64 >> (8 * k));
        *p = tmp;
        *n = 8;
        return 0;
    case LR_PQW_DOUBLE: {
        if (!json_is_number(v))
            return bad_value(s, id, "a number", v);
        double d = json_number_value(v);
        uint64_t bits;
        memcpy(&bits, &d, 8);
        for (int k = 0; k < 8; k++)
            tmp[k] = (uint8_t)(bits >> (8 * k));
        *p = tmp;
        *n = 8;
        return 0;
    }
    case LR_PQW_STRING:
        if (!json_is_string(v))
            return bad_value(s, id, "a string", v);
        *p = json_string_value(v);
        *n = json_string_length(v);
        return 0;
    default:
        break;
    }
    return lr_error_set(s->err, LR_EINVAL, "internal: node %d is not a leaf", id);
}

/* Every leaf under `id` gets one entry (r, d) without a value. */
static int emit_absent(struct shred *s, int id, uint8_t r, uint8_t d)
{
    const struct wnode *nd = &s->w->nodes[id];
    if (nd->leaf >= 0)
        return s->is_dry ? 0 : push_entry(s->w, &s->w->cols[nd->leaf], r, d, s->err);
    for (size_t i = 0; i < nd->nchildren; i++) {
        int rc = emit_absent(s, nd->children[i], r, d);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int shred_node(struct shred *s, int id, const json_t *v, uint8_t r, uint8_t d);

static int check_unknown_keys(struct shred *s, int id, const json_t *obj)
{
    if (s->w->opts.is_unknown_field_ignored || !s->is_dry)
        return 0;
    const struct wnode *nd = &s->w->nodes[id];
    const char *key;
    const json_t *val;
    json_object_foreach((json_t *)obj, key, val) {
        bool is_known = false;
        for (size_t i = 0; i < nd->nchildren && !is_known; i++)
            is_known = strcmp(s->w->nodes[nd->children[i]].name, key) == 0;
        if (!is_known) {
            char path[512];
            node_path(s->w, id, path, sizeof path);
            return lr_error_set(s->err, LR_EINVAL,
                                "row %" PRId64 ": field \"%s%s%s\" is not in the Parquet schema",
                                s->w->total_rows, path, *path ? "." : "", key);
        }
    }
    return 0;
}

static int shred_leaf(struct shred *s, int id, const json_t *v, uint8_t r, uint8_t d)
{
    const struct wnode *nd = &s->w->nodes[id];
    uint8_t tmp[8];
    const void *p = NULL;
    size_t n = 0;
    int rc = leaf_bytes(s, id, v, tmp, &p, &n);
    if (rc < 0 || s->is_dry)
        return rc;
    (void)d;
    return push_value(s->w, &s->w->cols[nd->leaf], r, p, n, s->err);
}

/* A MAP or LIST with at least one entry: key_value/list is the repeated child. */
static int shred_repeated(struct shred *s, int id, const json_t *v, uint8_t r)
{
    const struct wnode *nd = &s->w->nodes[id];
    int rg = nd->children[0];
    const struct wnode *rn = &s->w->nodes[rg];
    bool is_first = true;
    if (nd->type == LR_PQW_MAP) {
        const char *key;
        const json_t *val;
        int kid = rn->children[0];
        int vid = rn->children[1];
        json_object_foreach((json_t *)v, key, val) {
            uint8_t rr = is_first ? r : rn->rep_level;
            is_first = false;
            if (!s->is_dry) {
                struct wcol *kc = &s->w->cols[s->w->nodes[kid].leaf];
                int rc = push_value(s->w, kc, rr, key, strlen(key), s->err);
                if (rc < 0)
                    return rc;
            }
            int rc = shred_node(s, vid, val, rr, rn->def_level);
            if (rc < 0)
                return rc;
        }
        return 0;
    }
    size_t i;
    const json_t *el;
    int eid = rn->children[0];
    json_array_foreach(v, i, el) {
        uint8_t rr = is_first ? r : rn->rep_level;
        is_first = false;
        int rc = shred_node(s, eid, el, rr, rn->def_level);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int shred_node(struct shred *s, int id, const json_t *v, uint8_t r, uint8_t d)
{
    const struct wnode *nd = &s->w->nodes[id];
    if (!v || json_is_null(v)) {
        if (nd->rep == W_REQUIRED) {
            char path[512];
            node_path(s->w, id, path, sizeof path);
            return lr_error_set(s->err, LR_EINVAL,
                                "row %" PRId64 ": required column %s is missing or null",
                                s->w->total_rows, path);
        }
        return emit_absent(s, id, r, d);
    }
    if (nd->leaf >= 0)
        return shred_leaf(s, id, v, r, nd->def_level);
    switch (nd->type) {
    case LR_PQW_STRUCT: {
        if (!json_is_object(v))
            return bad_value(s, id, "an object (struct)", v);
        int rc = check_unknown_keys(s, id, v);
        if (rc < 0)
            return rc;
        for (size_t i = 0; i < nd->nchildren; i++) {
            int c = nd->children[i];
            rc = shred_node(s, c, json_object_get(v, s->w->nodes[c].name), r, nd->def_level);
            if (rc < 0)
                return rc;
        }
        return 0;
    }
    case LR_PQW_MAP:
        if (!json_is_object(v))
            return bad_value(s, id, "an object (map)", v);
        if (json_object_size(v) == 0)
            return emit_absent(s, nd->children[0], r, nd->def_level);
        return shred_repeated(s, id, v, r);
    case LR_PQW_LIST:
        if (!json_is_array(v))
            return bad_value(s, id, "an array (list)", v);
        if (json_array_size(v) == 0)
            return emit_absent(s, nd->children[0], r, nd->def_level);
        return shred_repeated(s, id, v, r);
    default:
        break;
    }
    return lr_error_set(s->err, LR_EINVAL, "internal: bad node type %d", (int)nd->type);
}

/* ---- rows --------------------------------------------------------------------------------- */

static int writable(struct lr_parquet_writer *w, struct lr_error *err)
{
    if (w->is_finished)
        return lr_error_set(err, LR_ESTATE, "the Parquet writer is finished: no more rows");
    if (w->is_broken)
        return lr_error_set(err, LR_ESTATE,
                            "the Parquet writer failed earlier (out of memory): no more rows");
    if (!w->is_frozen) {
        int rc = w_freeze(w, err);
        if (rc < 0) {
            w->is_broken = true;
            return rc;
        }
    }
    return 0;
}

static int row_done(struct lr_parquet_writer *w, struct lr_error *err)
{
    w->group_rows++;
    w->total_rows++;
    if (w->group_rows >= w->opts.row_group_rows || w->buffered >= w->opts.row_group_bytes)
        return w_flush_row_group(w, err);
    return 0;
}

int lr_parquet_writer_append_json(struct lr_parquet_writer *w, const json_t *row,
                                  struct lr_error *err)
{
    int rc = writable(w, err);
    if (rc < 0)
        return rc;
    if (w->has_pending)
        return lr_error_set(err, LR_ESTATE,
                            "a typed row is open: end it before appending a JSON row");
    struct shred s = {w, true, err};
    if (!json_is_object(row))
        return lr_error_set(err, LR_EINVAL, "row %" PRId64 ": a row must be a JSON object",
                            w->total_rows);
    rc = check_unknown_keys(&s, 0, row);
    if (rc < 0)
        return rc;
    const struct wnode *root = &w->nodes[0];
    for (int pass = 0; pass < 2; pass++) {
        s.is_dry = pass == 0;
        for (size_t i = 0; i < root->nchildren; i++) {
            int c = root->children[i];
            rc = shred_node(&s, c, json_object_get(row, w->nodes[c].name), 0, 0);
            if (rc < 0) {
                if (!s.is_dry)
                    w->is_broken = true;
                return rc;
            }
        }
    }
    return row_done(w, err);
}

static int pending_slot(struct lr_parquet_writer *w, int col, enum lr_parquet_wtype a,
                        enum lr_parquet_wtype b, const char *what, struct wpending **out,
                        struct lr_error *err)
{
    int rc = writable(w, err);
    if (rc < 0)
        return rc;
    if (col <= 0 || (size_t)col >= w->nnodes || w->nodes[col].parent != 0 ||
        w->nodes[col].leaf < 0)
        return lr_error_set(err, LR_EINVAL,
                            "typed append: %d is not a top-level leaf column (use JSON rows "
                            "for nested columns)", col);
    const struct wnode *nd = &w->nodes[col];
    if (what && nd->type != a && nd->type != b)
        return lr_error_set(err, LR_EINVAL, "row %" PRId64 ", column %s: not a %s column",
                            w->total_rows, nd->name, what);
    struct wpending *p = &w->pending[nd->leaf];
    if (p->is_set)
        return lr_error_set(err, LR_EINVAL, "row %" PRId64 ", column %s: set twice",
                            w->total_rows, nd->name);
    *out = p;
    return 0;
}

int lr_parquet_writer_set_null(struct lr_parquet_writer *w, int col, struct lr_error *err)
{
    struct wpending *p = NULL;
    int rc = pending_slot(w, col, 0, 0, NULL, &p, err);
    if (rc < 0)
        return rc;
    if (w->nodes[col].rep == W_REQUIRED)
        return lr_error_set(err, LR_EINVAL, "row %" PRId64 ": required column %s cannot be null",
                            w->total_rows, w->nodes[col].name);
    p->is_set = true;
    p->is_null = true;
    w->has_pending = true;
    return 0;
}

int lr_parquet_writer_set_bool(struct lr_parquet_writer *w, int col, bool v, struct lr_error *err)
{
    struct wpending *p = NULL;
    int rc = pending_slot(w, col, LR_PQW_BOOLEAN, LR_PQW_BOOLEAN, "BOOLEAN", &p, err);
    if (rc < 0)
        return rc;
    *p = (struct wpending){.is_set = true, .i = v ? 1 : 0};
    w->has_pending = true;
    return 0;
}

int lr_parquet_writer_set_int32(struct lr_parquet_writer *w, int col, int32_t v,
                                struct lr_error *err)
{
    struct wpending *p = NULL;
    int rc = pending_slot(w, col, LR_PQW_INT32, LR_PQW_DATE, "INT32 or DATE", &p, err);
    if (rc < 0)
        return rc;
    *p = (struct wpending){.is_set = true, .i = v};
    w->has_pending = true;
    return 0;
}

int lr_parquet_writer_set_int64(struct lr_parquet_writer *w, int col, int64_t v,
                                struct lr_error *err)
{
    struct wpending *p = NULL;
    int rc = pending_slot(w, col, LR_PQW_INT64, LR_PQW_TIMESTAMP, "INT64 or TIMESTAMP", &p, err);
    if (rc < 0)
        return rc;
    *p = (struct wpending){.is_set = true, .i = v};
    w->has_pending = true;
    return 0;
}

int lr_parquet_writer_set_double(struct lr_parquet_writer *w, int col, double v,
                                 struct lr_error *err)
{
    struct wpending *p = NULL;
    int rc = pending_slot(w, col, LR_PQW_DOUBLE, LR_PQW_DOUBLE, "DOUBLE", &p, err);
    if (rc < 0)
        return rc;
    *p = (struct wpending){.is_set = true, .d = v};
    w->has_pending = true;
    return 0;
}

int lr_parquet_writer_set_string(struct lr_parquet_writer *w, int col, const char *v, size_t len,
                                 struct lr_error *err)
{
    struct wpending *p = NULL;
    int rc = pending_slot(w, col, LR_PQW_STRING, LR_PQW_STRING, "STRING", &p, err);
    if (rc < 0)
        return rc;
    char *copy = malloc(len + 1);
    if (!copy)
        return lr_error_set(err, LR_ENOMEM, "out of memory copying a string value");
    if (len)
        memcpy(copy, v, len);
    copy[len] = '\0';
    *p = (struct wpending){.is_set = true, .s = copy, .len = len};
    w->has_pending = true;
    return 0;
}

static void pending_clear(struct lr_parquet_writer *w)
{
    for (size_t i = 0; i < w->ncols; i++) {
        free(w->pending[i].s);
        memset(&w->pending[i], 0, sizeof w->pending[i]);
    }
    w->has_pending = false;
}

static int push_pending(struct lr_parquet_writer *w, const struct wnode *nd,
                        const struct wpending *p, struct lr_error *err)
{
    struct wcol *c = &w->cols[nd->leaf];
    if (!p->is_set || p->is_null)
        return push_entry(w, c, 0, 0, err);
    uint8_t tmp[8];
    uint64_t bits = (uint64_t)p->i;
    size_t n = 8;
    if (nd->type == LR_PQW_STRING)
        return push_value(w, c, 0, p->s, p->len, err);
    if (nd->type == LR_PQW_DOUBLE)
        memcpy(&bits, &p->d, 8);
    else if (nd->type == LR_PQW_BOOLEAN)
        n = 1;
    else if (nd->type == LR_PQW_INT32 || nd->type == LR_PQW_DATE)
        n = 4;
    for (size_t k = 0; k < n; k++)
        tmp[k] = (uint8_t)(bits >> (8 * k));
    return push_value(w, c, 0, tmp, n, err);
}

int lr_parquet_writer_end_row(struct lr_parquet_writer *w, struct lr_error *err)
{
    int rc = writable(w, err);
    if (rc < 0)
        return rc;
    const struct wnode *root = &w->nodes[0];
    for (size_t i = 0; i < root->nchildren; i++) {
        const struct wnode *nd = &w->nodes[root->children[i]];
        bool is_set = nd->leaf >= 0 && w->pending[nd->leaf].is_set;
        if (!is_set && nd->rep == W_REQUIRED) {
            rc = lr_error_set(err, LR_EINVAL, "row %" PRId64 ": required column %s was not set",
                              w->total_rows, nd->name);
            pending_clear(w);
            return rc;
        }
    }
    struct shred s = {w, false, err};
    for (size_t i = 0; i < root->nchildren; i++) {
        const struct wnode *nd = &w->nodes[root->children[i]];
        if (nd->leaf >= 0)
            rc = push_pending(w, nd, &w->pending[nd->leaf], err);
        else
            rc = emit_absent(&s, root->children[i], 0, 0);
        if (rc < 0) {
            w->is_broken = true;
            pending_clear(w);
            return rc;
        }
    }
    pending_clear(w);
    return row_done(w, err);
}

int64_t lr_parquet_writer_rows(const struct lr_parquet_writer *w)
{
    return w->total_rows;
}
