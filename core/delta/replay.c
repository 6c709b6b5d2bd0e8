/* replay.c - action reconciliation (PROTOCOL.md "Action Reconciliation").
 *
 * Owns: the replay state (checkpoint files collected then sorted into a shared base, commit
 * files in an overlay hash keyed by identity, merged into sorted arrays at the end) and
 * applying actions in log order:
 *   (1) identity = (path, deletion-vector unique id); the same path with two DVs is two files;
 *   (2) add inserts/replaces its identity as live, remove replaces it with a tombstone;
 *   (3) the latest protocol and metaData win; txn by appId; domainMetadata by domain
 *       (removed:true deletes it);
 *   (4) unknown actions and fields are ignored. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "delta/internal.h"
#include "lakerewind/parallel.h"
#include "lakerewind/str.h"

int64_t delta_json_int(json_t *obj, const char *key, int64_t dflt)
{
    json_t *v = obj ? json_object_get(obj, key) : NULL;
    if (json_is_integer(v))
        return (int64_t)json_integer_value(v);
    if (json_is_string(v)) {
        int64_t x;
        if (lr_parse_int64(json_string_value(v), &x))
            return x;
    }
    return dflt;
}

const char *delta_json_str(json_t *obj, const char *key)
{
    json_t *v = obj ? json_object_get(obj, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int64_t delta_now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

char *delta_dv_unique_id(json_t *dv)
{
    if (!json_is_object(dv))
        return NULL;
    const char *st = delta_json_str(dv, "storageType");
    const char *p = delta_json_str(dv, "pathOrInlineDv");
    if (!st || !p)
        return NULL;
    json_t *off = json_object_get(dv, "offset");
    if (json_is_integer(off))
        return lr_asprintf("%s%s@%lld", st, p, (long long)json_integer_value(off));
    return lr_asprintf("%s%s", st, p);
}

int delta_state_init(struct delta_state *s)
{
    memset(s, 0, sizeof *s);
    s->txns = json_object();
    s->domains = json_object();
    s->mem = delta_mem_new();
    if (!s->txns || !s->domains || !s->mem) {
        delta_state_free(s);
        return LR_ENOMEM;
    }
    return 0;
}

void delta_base_unref(struct delta_base *b)
{
    if (!b || atomic_fetch_sub(&b->refs, 1) != 1)
        return;
    free(b->ident);
    free(b->adds);
    free(b->removes);
    delta_mem_unref(b->mem);
    json_decref(b->protocol);
    json_decref(b->metadata);
    json_decref(b->txns);
    json_decref(b->domains);
    free(b);
}

void delta_state_free(struct delta_state *s)
{
    if (!s)
        return;
    json_decref(s->protocol);
    json_decref(s->metadata);
    json_decref(s->txns);
    json_decref(s->domains);
    json_decref(s->commit_info);
    delta_mem_unref(s->mem);
    free(s->pending);
    free(s->pending_keys);
    free(s->keys_prefix);
    free(s->pending_rm);
    delta_base_unref(s->base);
    free(s->ovl);
    free(s->track);
    memset(s, 0, sizeof *s);
}

static void replace(json_t **slot, json_t *v)
{
    json_incref(v);
    json_decref(*slot);
    *slot = v;
}

static uint64_t rec_hash(const struct lr_delta_file *r)
{
    uint64_t h = delta_hash(r->path, strlen(r->path), 0);
    const char *dv = lr_delta_file_dv_id(r);
    if (dv)
        h = delta_hash(dv, strlen(dv) + 1, h ^ 0x1f);
    return h | 1; /* never 0 */
}

static int ovl_grow(struct delta_state *s)
{
    size_t nc = s->ovl_cap ? s->ovl_cap * 2 : 1024;
    struct ovl_slot *n = calloc(nc, sizeof *n);
    if (!n)
        return LR_ENOMEM;
    for (size_t i = 0; i < s->ovl_cap; i++) {
        if (!s->ovl[i].r)
            continue;
        size_t j = s->ovl[i].h & (nc - 1);
        while (n[j].r)
            j = (j + 1) & (nc - 1);
        n[j] = s->ovl[i];
    }
    free(s->ovl);
    s->ovl = n;
    s->ovl_cap = nc;
    return 0;
}

/* (2): the newest action of an identity replaces the older one (no per-entry malloc). */
static int ovl_put(struct delta_state *s, struct lr_delta_file *r)
{
    if ((s->ovl_count + 1) * 4 > s->ovl_cap * 3 && ovl_grow(s) < 0)
        return LR_ENOMEM;
    uint64_t h = rec_hash(r);
    size_t j = h & (s->ovl_cap - 1);
    for (; s->ovl[j].r; j = (j + 1) & (s->ovl_cap - 1)) {
        if (s->ovl[j].h == h && delta_rec_cmp(s->ovl[j].r, r) == 0) {
            s->ovl[j].r = r;
            return 0;
        }
    }
    s->ovl[j] = (struct ovl_slot){h, r};
    s->ovl_count++;
    return 0;
}

static int push(struct lr_delta_file ***v, size_t *n, size_t *cap, struct lr_delta_file *r)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 4096;
        struct lr_delta_file **p = realloc(*v, nc * sizeof *p);
        if (!p)
            return LR_ENOMEM;
        *v = p;
        *cap = nc;
    }
    (*v)[(*n)++] = r;
    return 0;
}

static int track(struct delta_state *s, struct lr_delta_file *r)
{
    return push(&s->track, &s->ntrack, &s->captrack, r);
}

static int collect(struct delta_state *s, struct lr_delta_file *r, bool is_add,
                   struct lr_error *err)
{
    int rc = is_add ? push(&s->pending, &s->npending, &s->cappending, r)
                    : push(&s->pending_rm, &s->npending_rm, &s->cappending_rm, r);
    return rc < 0 ? lr_error_set(err, LR_ENOMEM, "out of memory") : 0;
}

static void drop_keys(struct delta_state *s)
{
    s->keyed = -1;
    free(s->pending_keys);
    s->pending_keys = NULL;
    s->cap_keys = 0;
}

int delta_state_key_prefix(struct delta_state *s, const char *prefix, size_t depth)
{
    if (s->keyed < 0)
        return 0;
    if (!s->keys_prefix) { /* the first keyed row group (keys are kept only after one) */
        if (!(s->keys_prefix = malloc(depth + 1)))
            return LR_ENOMEM;
        memcpy(s->keys_prefix, prefix, depth);
        s->keys_prefix[depth] = '\0';
        s->keys_depth = depth;
        return 1;
    }
    if (depth != s->keys_depth || memcmp(s->keys_prefix, prefix, depth) != 0) {
        drop_keys(s);
        return 0;
    }
    return 1;
}

/* The sort key of the add about to be pending[npending] (keys are kept only while every add
 * so far came with one, past the one prefix). */
static int collect_key(struct delta_state *s, const uint64_t *key)
{
    if (s->keyed == 0) /* the first add decides: keys are kept only if it has one */
        s->keyed = key && s->keys_prefix ? 1 : -1;
    if (s->keyed != 1)
        return 0;
    if (!key) {
        drop_keys(s);
        return 0;
    }
    if (s->npending >= s->cap_keys) {
        size_t nc = s->cap_keys ? s->cap_keys * 2 : 4096;
        uint64_t *k = realloc(s->pending_keys, nc * sizeof *k);
        if (!k)
            return LR_ENOMEM;
        s->pending_keys = k;
        s->cap_keys = nc;
    }
    s->pending_keys[s->npending] = *key;
    return 0;
}

int delta_state_put(struct delta_state *s, struct lr_delta_file *r, struct lr_error *err)
{
    if (s->tracking && track(s, r) < 0)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    if (!s->collecting) {
        if (ovl_put(s, r) < 0)
            return lr_error_set(err, LR_ENOMEM, "out of memory");
        return 0;
    }
    if (r->is_add) {
        delta_totals_add(&s->pending_live, r, 1);
        if (collect_key(s, NULL) < 0)
            return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    return collect(s, r, r->is_add, err);
}

int delta_state_collect(struct delta_state *s, struct lr_delta_file *r, bool is_add,
                        struct lr_error *err)
{
    if (s->tracking && track(s, r) < 0)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    if (is_add && collect_key(s, NULL) < 0)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    return collect(s, r, is_add, err);
}

/* Room for `extra` more pointers in *v (exactly: a caller that knows the count saves the
 * doubling's copies and its twice-touched pages). */
static int reserve(void **v, size_t n, size_t *cap, size_t extra, size_t size)
{
    if (*cap - n >= extra)
        return 0;
    void *p = realloc(*v, (n + extra) * size);
    if (!p)
        return LR_ENOMEM;
    *v = p;
    *cap = n + extra;
    return 0;
}

int delta_state_slots_open(struct delta_state *s, size_t rows, bool with_keys,
                           struct delta_slots *out)
{
    with_keys = with_keys && s->keyed >= 0;
    if (reserve((void **)&s->pending, s->npending, &s->cappending, rows, sizeof *s->pending) <
            0 ||
        reserve((void **)&s->pending_rm, s->npending_rm, &s->cappending_rm, rows,
                sizeof *s->pending_rm) < 0 ||
        (with_keys && reserve((void **)&s->pending_keys, s->npending, &s->cap_keys, rows,
                              sizeof *s->pending_keys) < 0))
        return LR_ENOMEM;
    out->adds = s->pending + s->npending;
    out->keys = with_keys ? s->pending_keys + s->npending : NULL;
    out->removes = s->pending_rm + s->npending_rm;
    out->rows = rows;
    return 0;
}

/* Move n slots of v from `from` down to `to` (to <= from). */
static void close_gap(void *v, size_t size, size_t to, size_t from, size_t n)
{
    if (n && to != from)
        memmove((char *)v + to * size, (char *)v + from * size, n * size);
}

int delta_state_slots_close(struct delta_state *s, const struct delta_slots *slots,
                            const struct delta_slot_batch *b, size_t n, bool keys_ok,
                            struct lr_error *err)
{
    size_t a0 = s->npending, r0 = s->npending_rm;
    size_t a = a0, r = r0;
    bool keys = slots->keys && keys_ok;
    for (size_t i = 0; i < n; i++) {
        close_gap(s->pending, sizeof *s->pending, a, a0 + b[i].off, b[i].nadds);
        if (keys)
            close_gap(s->pending_keys, sizeof *s->pending_keys, a, a0 + b[i].off, b[i].nadds);
        close_gap(s->pending_rm, sizeof *s->pending_rm, r, r0 + b[i].off, b[i].nremoves);
        a += b[i].nadds;
        r += b[i].nremoves;
        delta_state_count(s, &b[i].live);
    }
    s->npending = a;
    s->npending_rm = r;
    if (a > a0 && s->keyed == 0) /* the first adds decide, as in collect_key() */
        s->keyed = keys && s->keys_prefix ? 1 : -1;
    if (a > a0 && s->keyed == 1 && !keys)
        drop_keys(s);
    for (size_t i = a0; s->tracking && i < a; i++)
        if (track(s, s->pending[i]) < 0)
            return lr_error_set(err, LR_ENOMEM, "out of memory");
    for (size_t i = r0; s->tracking && i < r; i++)
        if (track(s, s->pending_rm[i]) < 0)
            return lr_error_set(err, LR_ENOMEM, "out of memory");
    return 0;
}

void delta_state_count(struct delta_state *s, const struct delta_totals *t)
{
    s->pending_live.bytes += t->bytes;
    s->pending_live.rows += t->rows;
    s->pending_live.unknown += t->unknown;
}

static int apply_file(struct delta_state *s, json_t *a, bool is_add, bool in_checkpoint,
                      struct lr_error *err)
{
    if (!json_is_object(a))
        return lr_error_set(err, LR_ECORRUPT, "%s action is not an object",
                            is_add ? "add" : "remove");
    if (!delta_json_str(a, "path"))
        return lr_error_set(err, LR_ECORRUPT, "%s action without a string \"path\"",
                            is_add ? "add" : "remove");
    if (in_checkpoint) {
        /* a checkpoint row has every column; absent fields come as null: keep them absent */
        const char *k;
        void *tmp;
        json_t *v;
        json_object_foreach_safe(a, tmp, k, v) if (json_is_null(v)) json_object_del(a, k);
    }
    struct lr_delta_file *r;
    int rc = delta_rec_from_json(s->mem, a, is_add, &r, err);
    return rc < 0 ? rc : delta_state_put(s, r, err);
}

/* Sorted, and one record per identity (a checkpoint should hold none twice; if it does, the
 * later row wins, as in replay). */
static size_t sort_unique(struct lr_delta_file **v, size_t n)
{
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        if (out > 0 && delta_rec_cmp(v[out - 1], v[i]) == 0)
            v[out - 1] = v[i];
        else
            v[out++] = v[i];
    }
    return out;
}

int delta_state_seal_base(struct delta_state *s, int64_t version, const char *ident,
                          struct lr_error *err)
{
    struct delta_base *b = calloc(1, sizeof *b);
    if (!b)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    atomic_init(&b->refs, 1);
    b->version = version;
    b->ident = lr_strdup(ident);
    /* the collected arrays become the base's (totals counted as they came; a repeated path
     * below makes them be counted again over the unique adds) */
    b->adds = s->pending ? s->pending : malloc(sizeof *b->adds);
    b->nadds = s->npending;
    b->removes = s->pending_rm ? s->pending_rm : malloc(sizeof *b->removes);
    b->nremoves = s->npending_rm;
    b->live = s->pending_live;
    uint64_t *keys = s->keyed == 1 ? s->pending_keys : NULL; /* one per add */
    size_t keys_depth = keys ? s->keys_depth : 0;
    if (!keys)
        free(s->pending_keys);
    s->pending = s->pending_rm = NULL;
    s->pending_keys = NULL;
    free(s->keys_prefix);
    s->keys_prefix = NULL;
    s->keyed = 0;
    s->npending = s->cappending = s->npending_rm = s->cappending_rm = s->cap_keys = 0;
    s->pending_live = (struct delta_totals){0, 0, 0};
    s->collecting = false;
    if (!b->ident || !b->adds || !b->removes) {
        free(keys);
        delta_base_unref(b);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    bool add_repeats, remove_repeats;
    int rc = delta_recs_sort_keyed(b->adds, keys, b->nadds, keys_depth, &add_repeats);
    free(keys);
    if (rc < 0 || delta_recs_sort(b->removes, b->nremoves, &remove_repeats) < 0) {
        delta_base_unref(b);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    /* the neighbour pass only when a path occurs twice (a million strcmp otherwise) */
    if (add_repeats) {
        b->nadds = sort_unique(b->adds, b->nadds);
        b->live = (struct delta_totals){0, 0, 0};
        for (size_t i = 0; i < b->nadds; i++)
            delta_totals_add(&b->live, b->adds[i], 1);
    }
    if (remove_repeats)
        b->nremoves = sort_unique(b->removes, b->nremoves);
    b->mem = delta_mem_ref(s->mem);
    b->protocol = json_incref(s->protocol);
    b->metadata = json_incref(s->metadata);
    b->txns = json_incref(s->txns);
    b->domains = json_incref(s->domains);
    delta_base_unref(s->base);
    s->base = b;
    /* commits after the checkpoint change txns/domains: the base keeps its own */
    json_t *txns = json_copy(b->txns);
    json_t *domains = json_copy(b->domains);
    json_decref(s->txns);
    json_decref(s->domains);
    s->txns = txns;
    s->domains = domains;
    if (!txns || !domains)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    return 0;
}

int delta_state_use_base(struct delta_state *s, struct delta_base *b, struct lr_error *err)
{
    json_t *txns = json_copy(b->txns);
    json_t *domains = json_copy(b->domains);
    if (!txns || !domains) {
        json_decref(txns);
        json_decref(domains);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    json_decref(s->txns);
    json_decref(s->domains);
    s->txns = txns;
    s->domains = domains;
    replace(&s->protocol, b->protocol);
    replace(&s->metadata, b->metadata);
    atomic_fetch_add(&b->refs, 1);
    delta_base_unref(s->base);
    s->base = b;
    return 0;
}

static int ptr_rec_cmp(const void *a, const void *b)
{
    return delta_rec_cmp(*(struct lr_delta_file *const *)a, *(struct lr_delta_file *const *)b);
}

/* First index in v[lo..n) whose identity is >= r. */
static size_t lower_bound(struct lr_delta_file **v, size_t lo, size_t n,
                          const struct lr_delta_file *r)
{
    size_t hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (delta_rec_cmp(v[mid], r) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void delta_totals_add(struct delta_totals *t, const struct lr_delta_file *f, int sign)
{
    if (f->size > 0)
        t->bytes += sign * f->size;
    int64_t rows = lr_delta_file_rows(f);
    if (rows < 0)
        t->unknown += sign > 0 ? 1 : (size_t)-1;
    else
        t->rows += sign * rows;
}

/* Where each overlay record falls in a large base, found on several threads: each search is
 * some twenty comparisons, most of them a cache miss on a record and its path. pos[k] is the
 * first base record not before ov[k]; same[k] whether it has ov[k]'s identity. */
struct places {
    struct lr_delta_file **base, **ov;
    size_t nb, no, chunks;
    size_t *pos;
    bool *same;
};

static void place_chunk(size_t c, void *payload)
{
    struct places *x = payload;
    size_t lo = x->no / x->chunks * c, hi = c + 1 == x->chunks ? x->no : lo + x->no / x->chunks;
    size_t from = 0;
    for (size_t k = lo; k < hi; k++) {
        size_t p = lower_bound(x->base, from, x->nb, x->ov[k]);
        x->pos[k] = from = p;
        x->same[k] = p < x->nb && delta_rec_cmp(x->base[p], x->ov[k]) == 0;
    }
}

/* The base's records [src, src + n) at out[dst] (the copies of a merge, shared by threads). */
struct seg {
    size_t src, dst, n;
};

struct seg_copy {
    struct lr_delta_file **out, **base;
    const struct seg *segs;
    size_t nsegs, chunks;
};

static void copy_chunk(size_t c, void *payload)
{
    struct seg_copy *x = payload;
    for (size_t j = c; j < x->nsegs; j += x->chunks)
        memcpy(x->out + x->segs[j].dst, x->base + x->segs[j].src,
               x->segs[j].n * sizeof *x->out);
}

/* base (sorted) with every overlay identity taken out, plus the overlay records of the wanted
 * kind, in order; `t` (may be NULL) goes from the base's totals to the result's. A million-file
 * base is placed and copied on several threads, in pieces of at most 1 MB. */
static struct lr_delta_file **merge(struct lr_delta_file **base, size_t nb,
                                    struct lr_delta_file **ov, size_t no, bool want_add,
                                    struct delta_totals *t, size_t *n_out)
{
    struct lr_delta_file **out = malloc((nb + no + 1) * sizeof *out);
    size_t threads = nb >= 65536 ? delta_threads() : 1;
    size_t *pos = threads > 1 ? malloc((no + 1) * sizeof *pos) : NULL;
    bool *same = threads > 1 ? malloc((no + 1) * sizeof *same) : NULL;
    const size_t piece = (size_t)1 << 17; /* records per copy: 1 MB */
    struct seg *segs = threads > 1 ? malloc((no + 1 + nb / piece + 1) * sizeof *segs) : NULL;
    if (!out || (threads > 1 && (!pos || !same || !segs))) {
        free(out);
        free(pos);
        free(same);
        free(segs);
        return NULL;
    }
    if (threads > 1) {
        struct places x = {base, ov, nb, no, no < threads ? 1 : threads, pos, same};
        lr_parallel_for(x.chunks, x.chunks, place_chunk, &x);
    }
    size_t n = 0, i = 0, nsegs = 0;
    for (size_t k = 0; k <= no; k++) {
        size_t p = k == no ? nb : pos ? pos[k] : lower_bound(base, i, nb, ov[k]);
        if (segs) { /* copied below, in pieces */
            for (size_t at = i; at < p; at += piece)
                segs[nsegs++] = (struct seg){at, n + (at - i), p - at < piece ? p - at : piece};
        } else {
            memcpy(out + n, base + i, (p - i) * sizeof *out);
        }
        n += p - i;
        i = p;
        if (k == no)
            break;
        if (same ? same[k] : p < nb && delta_rec_cmp(base[p], ov[k]) == 0) {
            if (t)
                delta_totals_add(t, base[p], -1);
            i = p + 1;
        }
        if (ov[k]->is_add == want_add) {
            out[n++] = ov[k];
            if (t)
                delta_totals_add(t, ov[k], 1);
        }
    }
    if (segs) {
        struct seg_copy c = {out, base, segs, nsegs, threads};
        lr_parallel_for(threads, threads, copy_chunk, &c);
    }
    free(pos);
    free(same);
    free(segs);
    *n_out = n;
    return out;
}

int delta_state_files(struct delta_state *s, struct lr_delta_file ***files, size_t *nfiles,
                      struct lr_delta_file ***tombs, size_t *ntombs, struct delta_totals *live)
{
    *files = *tombs = NULL;
    struct lr_delta_file **ov = malloc((s->ovl_count + 1) * sizeof *ov);
    if (!ov)
        return LR_ENOMEM;
    size_t no = 0;
    for (size_t i = 0; i < s->ovl_cap; i++)
        if (s->ovl[i].r)
            ov[no++] = s->ovl[i].r;
    if (no > 4096) {
        if (delta_recs_sort(ov, no, NULL) < 0) {
            free(ov);
            return LR_ENOMEM;
        }
    } else {
        qsort(ov, no, sizeof *ov, ptr_rec_cmp);
    }
    struct lr_delta_file *none = NULL;
    struct lr_delta_file **ba = s->base ? s->base->adds : &none;
    struct lr_delta_file **br = s->base ? s->base->removes : &none;
    if (live)
        *live = s->base ? s->base->live : (struct delta_totals){0, 0, 0};
    *files = merge(ba, s->base ? s->base->nadds : 0, ov, no, true, live, nfiles);
    *tombs = merge(br, s->base ? s->base->nremoves : 0, ov, no, false, NULL, ntombs);
    free(ov);
    if (!*files || !*tombs) {
        free(*files);
        free(*tombs);
        *files = *tombs = NULL;
        return LR_ENOMEM;
    }
    return 0;
}

int delta_state_apply(struct delta_state *s, json_t *line, bool in_checkpoint,
                      struct lr_error *err)
{
    const char *name;
    json_t *a;
    json_object_foreach(line, name, a) {
        if (json_is_null(a))
            continue; /* checkpoint rows: every other action column is null */
        int rc = 0;
        if (strcmp(name, "add") == 0) {
            rc = apply_file(s, a, true, in_checkpoint, err);
        } else if (strcmp(name, "remove") == 0) {
            rc = apply_file(s, a, false, in_checkpoint, err);
        } else if (strcmp(name, "metaData") == 0) {
            if (!json_is_object(a) || !delta_json_str(a, "id"))
                return lr_error_set(err, LR_ECORRUPT, "metaData action without a string \"id\"");
            replace(&s->metadata, a);
        } else if (strcmp(name, "protocol") == 0) {
            if (!json_is_object(a) || !json_is_integer(json_object_get(a, "minReaderVersion")) ||
                !json_is_integer(json_object_get(a, "minWriterVersion")))
                return lr_error_set(err, LR_ECORRUPT, "protocol action without integer "
                                    "minReaderVersion/minWriterVersion");
            replace(&s->protocol, a);
        } else if (strcmp(name, "txn") == 0) {
            const char *app = delta_json_str(a, "appId");
            if (!app)
                return lr_error_set(err, LR_ECORRUPT, "txn action without a string \"appId\"");
            if (json_object_set(s->txns, app, a) < 0)
                return lr_error_set(err, LR_ENOMEM, "out of memory");
        } else if (strcmp(name, "domainMetadata") == 0) {
            const char *d = delta_json_str(a, "domain");
            if (!d)
                return lr_error_set(err, LR_ECORRUPT, "domainMetadata without a string "
                                    "\"domain\"");
            if (json_is_true(json_object_get(a, "removed")))
                json_object_del(s->domains, d);
            else if (json_object_set(s->domains, d, a) < 0)
                return lr_error_set(err, LR_ENOMEM, "out of memory");
        } else if (strcmp(name, "commitInfo") == 0 && !in_checkpoint) {
            replace(&s->commit_info, a);
        }
        /* cdc, checkpointMetadata, sidecar and unknown actions do not change the state */
        if (rc < 0)
            return rc;
    }
    return 0;
}

