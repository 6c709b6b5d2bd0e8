/* filerec.c - the compact form of a live file or tombstone, and the memory it lives in.
 *
 * Owns: the refcounted arena (delta_mem) that holds file records and their text (path, stats,
 * partitionValues and the other fields as compact JSON text), the text intern pool, records
 * made from logged JSON actions, the lazy rebuild of an action from a record, the identity
 * order (path bytes, then deletion-vector id) and a radix sort in that order.
 * Invariants: (1) a record never changes once made, so snapshots of one table share records
 * (and the arena) built from the same checkpoint; (2) the action rebuilt from a record holds
 * the logged fields with their logged values (path exactly, size, partitionValues, stats,
 * tags, deletionVector, row-tracking fields, anything unknown), key order aside;
 * (3) no malloc per file: records and text come from arena chunks. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "delta/internal.h"
#include "lakerewind/parallel.h"
#include "lakerewind/str.h"

#define CHUNK_MIN ((size_t)4 << 20)
#define CHUNK_MAX ((size_t)64 << 20)

struct chunk {
    struct chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

struct smap_slot {
    uint64_t h;
    const char *key; /* in the arena; NULL = empty */
    uint32_t klen;
    const void *value;
};

struct mem_kept {
    void (*release)(void *);
    void *obj;
};

struct lr_delta_mem {
    atomic_int refs;
    struct chunk *head;
    size_t bytes;            /* capacity of all chunks */
    struct smap_slot *slots; /* intern pool: text -> arena text */
    struct lr_delta_mem **parents; /* arenas whose records this one's users also point to */
    size_t nparents;
    struct mem_kept *kept;   /* objects released with the arena (delta_mem_keep) */
    size_t nkept;
    size_t cap, count;
};

#define INTERN_MAX (1u << 16)

/* A chunk of at least `cap` bytes (*cap_out: what it holds). Plain 4 KiB pages on purpose:
 * on the benchmark VM (a balloon that hands freed memory back to the host) a huge page faulted
 * in cold cost 2-5 times what its 512 small pages did, and a one-shot process is cold. */
static struct chunk *chunk_new(size_t cap, size_t *cap_out)
{
    struct chunk *c = malloc(sizeof *c + cap);
    *cap_out = cap;
    return c;
}

struct lr_delta_mem *delta_mem_new(void)
{
    struct lr_delta_mem *m = calloc(1, sizeof *m);
    if (m)
        atomic_init(&m->refs, 1);
    return m;
}

struct lr_delta_mem *delta_mem_new_sized(size_t expect)
{
    struct lr_delta_mem *m = delta_mem_new();
    if (!m || expect < CHUNK_MIN)
        return m;
    size_t cap;
    struct chunk *c = chunk_new(expect, &cap);
    if (c) { /* else the first alloc tries again with a smaller chunk */
        c->cap = cap;
        c->used = 0;
        c->next = NULL;
        m->head = c;
        m->bytes = cap;
    }
    return m;
}

struct lr_delta_mem *delta_mem_ref(struct lr_delta_mem *m)
{
    if (m)
        atomic_fetch_add(&m->refs, 1);
    return m;
}

void delta_mem_unref(struct lr_delta_mem *m)
{
    if (!m || atomic_fetch_sub(&m->refs, 1) != 1)
        return;
    struct chunk *c = m->head;
    while (c) {
        struct chunk *n = c->next;
        free(c);
        c = n;
    }
    free(m->slots);
    for (size_t i = 0; i < m->nkept; i++)
        m->kept[i].release(m->kept[i].obj);
    free(m->kept);
    for (size_t i = 0; i < m->nparents; i++)
        delta_mem_unref(m->parents[i]);
    free(m->parents);
    free(m);
}

int delta_mem_adopt(struct lr_delta_mem *m, struct lr_delta_mem *other)
{
    struct lr_delta_mem **p = realloc(m->parents, (m->nparents + 1) * sizeof *p);
    if (!p)
        return LR_ENOMEM;
    m->parents = p;
    m->parents[m->nparents++] = delta_mem_ref(other);
    return 0;
}

int delta_mem_keep(struct lr_delta_mem *m, void (*release)(void *), void *obj)
{
    struct mem_kept *k = realloc(m->kept, (m->nkept + 1) * sizeof *k);
    if (!k)
        return LR_ENOMEM;
    m->kept = k;
    m->kept[m->nkept++] = (struct mem_kept){release, obj};
    return 0;
}

void *delta_mem_alloc(struct lr_delta_mem *m, size_t n, size_t align)
{
    struct chunk *c = m->head;
    if (c) {
        size_t at = (c->used + align - 1) & ~(align - 1);
        if (at + n <= c->cap) {
            c->used = at + n;
            return c->data + at;
        }
    }
    /* chunks grow with the arena (4 MiB up to 64 MiB): a million-file checkpoint fills a
     * few hundred MB */
    size_t want = m->bytes / 4 > CHUNK_MIN ? m->bytes / 4 : CHUNK_MIN;
    if (want > CHUNK_MAX)
        want = CHUNK_MAX;
    size_t cap = n + align > want - sizeof *c ? n + align : want - sizeof *c;
    c = chunk_new(cap, &cap);
    if (!c)
        return NULL;
    m->bytes += cap;
    c->cap = cap;
    c->used = n;
    c->next = m->head;
    m->head = c;
    return c->data;
}

char *delta_mem_strndup(struct lr_delta_mem *m, const char *p, size_t n)
{
    char *s = delta_mem_alloc(m, n + 1, 1);
    if (!s)
        return NULL;
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

uint64_t delta_hash(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    if (!h)
        h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static int smap_grow(struct lr_delta_mem *m)
{
    size_t nc = m->cap ? m->cap * 2 : 256;
    struct smap_slot *ns = calloc(nc, sizeof *ns);
    if (!ns)
        return LR_ENOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].key)
            continue;
        size_t j = m->slots[i].h & (nc - 1);
        while (ns[j].key)
            j = (j + 1) & (nc - 1);
        ns[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = ns;
    m->cap = nc;
    return 0;
}

const void *delta_mem_lookup(const struct lr_delta_mem *m, const void *key, size_t klen)
{
    if (!m->cap)
        return NULL;
    uint64_t h = delta_hash(key, klen, 0);
    for (size_t j = h & (m->cap - 1); m->slots[j].key; j = (j + 1) & (m->cap - 1))
        if (m->slots[j].h == h && m->slots[j].klen == klen &&
            memcmp(m->slots[j].key, key, klen) == 0)
            return m->slots[j].value;
    return NULL;
}

int delta_mem_remember(struct lr_delta_mem *m, const void *key, size_t klen, const void *value)
{
    if (m->count >= INTERN_MAX || klen > UINT32_MAX)
        return 0; /* a pool of that size no longer pays: values are simply not shared */
    if ((m->count + 1) * 2 > m->cap && smap_grow(m) < 0)
        return LR_ENOMEM;
    char *k = delta_mem_strndup(m, key, klen);
    if (!k)
        return LR_ENOMEM;
    uint64_t h = delta_hash(key, klen, 0);
    size_t j = h & (m->cap - 1);
    while (m->slots[j].key)
        j = (j + 1) & (m->cap - 1);
    m->slots[j] = (struct smap_slot){h, k, (uint32_t)klen, value};
    m->count++;
    return 0;
}

const char *delta_mem_intern(struct lr_delta_mem *m, const char *p, size_t n)
{
    const char *s = delta_mem_lookup(m, p, n);
    if (s)
        return s;
    char *c = delta_mem_strndup(m, p, n);
    if (c && delta_mem_remember(m, p, n, c) < 0)
        return NULL;
    return c;
}

struct lr_delta_file *delta_rec_new(struct lr_delta_mem *m, bool is_add)
{
    struct lr_delta_file *f = delta_mem_alloc(m, sizeof *f, _Alignof(struct lr_delta_file));
    if (!f)
        return NULL;
    memset(f, 0, sizeof *f);
    f->size = -1;
    f->modification_time = -1;
    f->num_records = -1;
    f->data_change = -1;
    f->is_add = is_add;
    return f;
}

/* stats.numRecords without building a JSON tree: the common `{"numRecords":N,` start first,
 * else a scan for the key at depth 1 (a column named numRecords inside minValues is at
 * depth 2). -1 when absent or not an integer. The text ends at n bytes or a NUL byte, so a
 * value still inside a decoded Parquet page needs no copy. */
static bool json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int64_t digits_at(const char *q, const char *end)
{
    while (q < end && json_space(*q))
        q++;
    int64_t n = 0;
    int digits = 0;
    while (q < end && *q >= '0' && *q <= '9' && digits < 18) {
        n = n * 10 + (*q++ - '0');
        digits++;
    }
    while (q < end && json_space(*q))
        q++;
    return digits > 0 && q < end && (*q == ',' || *q == '}') ? n : -1;
}

int64_t delta_scan_num_records_n(const char *p, size_t n)
{
    static const char fast[] = "{\"numRecords\":";
    if (n >= sizeof fast - 1 && memcmp(p, fast, sizeof fast - 1) == 0) {
        /* the common start: digits then ',' or '}' hold no NUL, so a NUL later in the text
         * (where it would end) cannot change the count, and the text is not scanned for one */
        int64_t v = digits_at(p + sizeof fast - 1, p + n);
        if (v >= 0)
            return v;
    }
    const char *nul = memchr(p, '\0', n);
    const char *end = nul ? nul : p + n;
    if ((size_t)(end - p) >= sizeof fast - 1 && memcmp(p, fast, sizeof fast - 1) == 0)
        return digits_at(p + sizeof fast - 1, end);
    int depth = 0;
    for (; p < end; p++) {
        if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            depth--;
        } else if (*p == '"') {
            const char *start = ++p;
            while (p < end && *p != '"')
                p += (*p == '\\' && p + 1 < end) ? 2 : 1;
            if (p >= end)
                return -1;
            if (depth == 1 && p - start == 10 && memcmp(start, "numRecords", 10) == 0) {
                const char *q = p + 1;
                while (q < end && json_space(*q))
                    q++;
                if (q < end && *q == ':')
                    return digits_at(q + 1, end);
            }
        }
    }
    return -1;
}

int64_t delta_scan_num_records(const char *stats)
{
    return delta_scan_num_records_n(stats, strlen(stats));
}

/* Compact JSON text of `v`, interned. NULL on no memory. */
static const char *intern_json(struct lr_delta_mem *m, json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    if (!text)
        return NULL;
    const char *s = delta_mem_intern(m, text, strlen(text));
    free(text);
    return s;
}

struct lr_delta_file_ext *delta_rec_ext(struct lr_delta_mem *m, struct lr_delta_file *f)
{
    if (!f->ext) {
        struct lr_delta_file_ext *x =
            delta_mem_alloc(m, sizeof *x, _Alignof(struct lr_delta_file_ext));
        if (!x)
            return NULL;
        memset(x, 0, sizeof *x);
        f->ext = x;
    }
    return (struct lr_delta_file_ext *)f->ext; /* made here, for a record still being made */
}

int delta_rec_set_extra(struct lr_delta_mem *m, struct lr_delta_file *f, const char *extra)
{
    struct lr_delta_file_ext *x = extra ? delta_rec_ext(m, f) : NULL;
    if (!x)
        return LR_ENOMEM;
    x->extra = extra;
    return 0;
}

int delta_rec_set_dv(struct lr_delta_mem *m, struct lr_delta_file *f, json_t *dv)
{
    if (!json_is_object(dv))
        return 0;
    struct lr_delta_file_ext *x = delta_rec_ext(m, f);
    if (!x)
        return LR_ENOMEM;
    char *id = delta_dv_unique_id(dv);
    if (id) {
        x->dv_id = delta_mem_strndup(m, id, strlen(id));
        free(id);
        if (!x->dv_id)
            return LR_ENOMEM;
    } else if (delta_json_str(dv, "storageType") && delta_json_str(dv, "pathOrInlineDv")) {
        return LR_ENOMEM;
    }
    x->dv_cardinality = delta_json_int(dv, "cardinality", 0);
    return 0;
}

int delta_rec_from_json(struct lr_delta_mem *m, json_t *a, bool is_add, struct lr_delta_file **out,
                        struct lr_error *err)
{
    *out = NULL;
    const char *path = delta_json_str(a, "path");
    struct lr_delta_file *f = delta_rec_new(m, is_add);
    json_t *rest = json_object();
    if (!f || !rest || !(f->path = delta_mem_strndup(m, path, strlen(path))))
        goto nomem;
    const char *tkey = is_add ? "modificationTime" : "deletionTimestamp";
    const char *k;
    json_t *v;
    json_object_foreach(a, k, v) {
        if (strcmp(k, "path") == 0 || strcmp(k, "stats_parsed") == 0)
            continue; /* typed stats: only their numRecords is used (below) */
        if (strcmp(k, "size") == 0 && json_is_integer(v)) {
            f->size = (int64_t)json_integer_value(v);
        } else if (strcmp(k, tkey) == 0 && json_is_integer(v)) {
            f->modification_time = (int64_t)json_integer_value(v);
        } else if (strcmp(k, "dataChange") == 0 && json_is_boolean(v)) {
            f->data_change = json_is_true(v);
        } else if (strcmp(k, "stats") == 0 && json_is_string(v)) {
            f->stats = delta_mem_strndup(m, json_string_value(v), json_string_length(v));
            if (!f->stats)
                goto nomem;
        } else if (strcmp(k, "partitionValues") == 0 && json_is_object(v)) {
            f->partition_values = intern_json(m, v);
            if (!f->partition_values)
                goto nomem;
        } else if (json_object_set(rest, k, v) < 0) {
            goto nomem;
        }
    }
    if (json_object_size(rest) > 0 && delta_rec_set_extra(m, f, intern_json(m, rest)) < 0)
        goto nomem;
    if (delta_rec_set_dv(m, f, json_object_get(a, "deletionVector")) < 0)
        goto nomem;
    if (f->stats)
        f->num_records = delta_scan_num_records(f->stats);
    if (f->num_records < 0)
        f->num_records = delta_json_int(json_object_get(a, "stats_parsed"), "numRecords", -1);
    json_decref(rest);
    *out = f;
    return 0;
nomem:
    json_decref(rest);
    return lr_error_set(err, LR_ENOMEM, "out of memory");
}

json_t *lr_delta_file_action(const struct lr_delta_file *f)
{
    return delta_file_action(f, true);
}

json_t *delta_file_action(const struct lr_delta_file *f, bool kept_stats)
{
    const char *stats = delta_rec_stats_text(f);
    struct lr_error err = {0};
    if (kept_stats && lr_delta_file_stats(f, &stats, &err) < 0)
        return NULL; /* only ENOMEM: the stats were decoded once already */
    json_t *a = json_object();
    if (!a || json_object_set_new(a, "path", json_string(f->path)) < 0)
        goto fail;
    if (f->partition_values) {
        json_t *pv = json_loads(f->partition_values, JSON_DECODE_ANY, NULL);
        if (!pv || json_object_set_new(a, "partitionValues", pv) < 0)
            goto fail;
    }
    if (f->size >= 0 && json_object_set_new(a, "size", json_integer(f->size)) < 0)
        goto fail;
    if (f->modification_time >= 0 &&
        json_object_set_new(a, f->is_add ? "modificationTime" : "deletionTimestamp",
                            json_integer(f->modification_time)) < 0)
        goto fail;
    if (f->data_change >= 0 &&
        json_object_set_new(a, "dataChange", json_boolean(f->data_change)) < 0)
        goto fail;
    if (stats && json_object_set_new(a, "stats", json_string(stats)) < 0)
        goto fail;
    if (lr_delta_file_extra(f)) {
        json_t *x = json_loads(lr_delta_file_extra(f), 0, NULL);
        if (!x || json_object_update(a, x) < 0) {
            json_decref(x);
            goto fail;
        }
        json_decref(x);
    }
    return a;
fail:
    json_decref(a);
    return NULL;
}

json_t *lr_delta_file_partition_values(const struct lr_delta_file *f)
{
    json_t *pv = f->partition_values ? json_loads(f->partition_values, 0, NULL) : NULL;
    return json_is_object(pv) ? pv : (json_decref(pv), json_object());
}

json_t *lr_delta_file_field(const struct lr_delta_file *f, const char *name)
{
    if (!lr_delta_file_extra(f) || !strstr(lr_delta_file_extra(f), name))
        return NULL;
    json_t *x = json_loads(lr_delta_file_extra(f), 0, NULL);
    json_t *v = json_incref(json_object_get(x, name));
    json_decref(x);
    return v;
}

int64_t lr_delta_file_rows(const struct lr_delta_file *f)
{
    if (f->num_records < 0)
        return -1;
    return f->num_records - lr_delta_file_dv_cardinality(f);
}

/* dv ids in identity order (none first). */
static int dv_cmp(const struct lr_delta_file *x, const struct lr_delta_file *y)
{
    const char *a = lr_delta_file_dv_id(x), *b = lr_delta_file_dv_id(y);
    return strcmp(a ? a : "", b ? b : "");
}

int delta_rec_cmp(const struct lr_delta_file *x, const struct lr_delta_file *y)
{
    if (x == y)
        return 0;
    int c = strcmp(x->path, y->path);
    if (c)
        return c;
    return dv_cmp(x, y);
}

/* ---- sorting: MSD on 8-byte big-endian slices of the path, each level an LSD radix pass
 * over the bytes that differ; equal paths are ordered by dv id. */

struct skey {
    uint64_t k;
    struct lr_delta_file *r;
};

static uint64_t slice_at(const char *s, size_t depth, bool *ended)
{
    /* the caller knows the path is at least `depth` bytes long */
    uint64_t k = 0;
    const unsigned char *p = (const unsigned char *)s + depth;
    size_t i = 0;
    for (; i < 8 && p[i]; i++)
        k = (k << 8) | p[i];
    *ended = i < 8;
    return i ? k << (8 * (8 - i)) : 0; /* a path ending at depth: no bytes (a shift by 64 is UB) */
}

uint64_t delta_path_key(const char *path, size_t depth, bool *ended)
{
    return slice_at(path, depth, ended);
}

/* Whether a key made by slice_at saw its path end (no path byte is 0). */
static bool key_ended(uint64_t k)
{
    return (k & 0xff) == 0;
}

/* Identity order from `depth` on; *same_path is set when both paths are equal (a path seen
 * twice, which only this comparison can meet: equal paths end in the same run). */
static int cmp_from(const struct lr_delta_file *x, const struct lr_delta_file *y, size_t depth,
                    bool *same_path)
{
    int c = strcmp(x->path + depth, y->path + depth);
    if (c)
        return c;
    *same_path = true;
    return dv_cmp(x, y);
}

/* Two records with equal paths are compared while the later one is inserted (it stops next
 * to one of them, or moves past it), so *same_path sees every repeat. */
static void insertion(struct skey *v, size_t n, size_t depth, bool *same_path)
{
    for (size_t i = 1; i < n; i++) {
        struct skey x = v[i];
        size_t j = i;
        while (j > 0 && cmp_from(v[j - 1].r, x.r, depth, same_path) > 0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

/* One LSD radix sort of v by its 8-byte keys, skipping bytes every key shares (its 16 KiB of
 * histograms are off the stack before radix_level recurses). */
static void sort_slices(struct skey *v, struct skey *tmp, size_t n)
{
    size_t hist[8][256];
    memset(hist, 0, sizeof hist);
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 8; b++)
            hist[b][(v[i].k >> (8 * b)) & 0xff]++;
    struct skey *src = v, *dst = tmp;
    for (int b = 0; b < 8; b++) {
        size_t *h = hist[b];
        size_t nonzero = 0;
        for (int d = 0; d < 256 && nonzero < 2; d++)
            nonzero += h[d] != 0;
        if (nonzero < 2)
            continue; /* every key has the same byte here */
        size_t sum = 0;
        for (int d = 0; d < 256; d++) {
            size_t c = h[d];
            h[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[h[(src[i].k >> (8 * b)) & 0xff]++] = src[i];
        struct skey *t = src;
        src = dst;
        dst = t;
    }
    if (src != v)
        memcpy(v, src, n * sizeof *v);
}

/* A run of equal slices left to order: deeper (radix) or, where the paths ended, by dv id. */
struct run {
    size_t lo, n, depth;
    bool ended;
    bool same_path; /* parallel sort: this run's repeats */
};

static bool sort_keys_parallel(struct skey *w, struct skey *tmp, size_t n, size_t depth,
                               size_t threads, bool keyed, bool *any_ended);

/* One level: keys at `depth` (already in v when `keyed`), sorted (on `threads` threads when
 * there are many); each run of two or more equal keys goes to emit(). */
static void split_level(struct skey *v, struct skey *tmp, size_t lo, size_t n, size_t depth,
                        size_t threads, bool keyed,
                        void (*emit)(struct run r, struct skey *v, struct skey *tmp, void *ctx),
                        void *ctx)
{
    bool any_ended = false;
    struct skey *w = v + lo;
    if (threads < 2 || n < 65536 || !sort_keys_parallel(w, tmp + lo, n, depth, threads, keyed,
                                                          &any_ended)) {
        for (size_t i = 0; i < n; i++) {
            bool e;
            if (keyed)
                e = key_ended(w[i].k);
            else
                w[i].k = slice_at(w[i].r->path, depth, &e);
            any_ended |= e;
        }
        sort_slices(w, tmp + lo, n);
    }
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && w[j].k == w[i].k)
            j++;
        if (j - i > 1) {
            bool e = false;
            if (any_ended)
                slice_at(w[i].r->path, depth, &e);
            emit((struct run){lo + i, j - i, e ? depth : depth + 8, e, false}, v, tmp, ctx);
        }
        i = j;
    }
}

/* ---- the first levels of a large sort on several threads: each thread takes a chunk of the
 * keys, and each LSD pass is a histogram per chunk then a scatter per chunk at offsets that
 * keep chunk order (so the pass stays stable). */

#define PAR_MAX 8

struct par_split {
    struct skey *w, *src, *dst;
    size_t n, depth, chunks;
    bool keyed; /* the keys are in w already */
    int byte;
    bool ended[PAR_MAX];
    uint64_t and_k[PAR_MAX], or_k[PAR_MAX];
    size_t hist[PAR_MAX][256];
};

static size_t chunk_lo(const struct par_split *x, size_t c)
{
    return x->n / x->chunks * c + (c < x->n % x->chunks ? c : x->n % x->chunks);
}

static void keys_chunk(size_t c, void *p)
{
    struct par_split *x = p;
    uint64_t a = ~(uint64_t)0, o = 0;
    bool ended = false;
    for (size_t i = chunk_lo(x, c); i < chunk_lo(x, c + 1); i++) {
        bool e;
        if (x->keyed)
            e = key_ended(x->w[i].k);
        else
            x->w[i].k = slice_at(x->w[i].r->path, x->depth, &e);
        ended |= e;
        a &= x->w[i].k;
        o |= x->w[i].k;
    }
    x->ended[c] = ended;
    x->and_k[c] = a;
    x->or_k[c] = o;
}

static void hist_chunk(size_t c, void *p)
{
    struct par_split *x = p;
    size_t *h = x->hist[c];
    memset(h, 0, sizeof x->hist[c]);
    for (size_t i = chunk_lo(x, c); i < chunk_lo(x, c + 1); i++)
        h[(x->src[i].k >> (8 * x->byte)) & 0xff]++;
}

static void scatter_chunk(size_t c, void *p)
{
    struct par_split *x = p;
    size_t *o = x->hist[c]; /* offsets by now */
    for (size_t i = chunk_lo(x, c); i < chunk_lo(x, c + 1); i++)
        x->dst[o[(x->src[i].k >> (8 * x->byte)) & 0xff]++] = x->src[i];
}

/* split_level's keys and LSD sort of w[0, n) on `threads` threads; *any_ended as there.
 * false (nothing done) without memory for the histograms: the serial level needs none. */
static bool sort_keys_parallel(struct skey *w, struct skey *tmp, size_t n, size_t depth,
                               size_t threads, bool keyed, bool *any_ended)
{
    struct par_split *x = calloc(1, sizeof *x); /* 16 KiB of histograms: not on the stack */
    if (!x)
        return false;
    x->w = w;
    x->n = n;
    x->depth = depth;
    x->keyed = keyed;
    x->chunks = threads < PAR_MAX ? threads : PAR_MAX;
    lr_parallel_for(x->chunks, x->chunks, keys_chunk, x);
    uint64_t a = ~(uint64_t)0, o = 0;
    *any_ended = false;
    for (size_t c = 0; c < x->chunks; c++) {
        a &= x->and_k[c];
        o |= x->or_k[c];
        *any_ended |= x->ended[c];
    }
    x->src = w;
    x->dst = tmp;
    for (int b = 0; b < 8; b++) {
        if ((((a ^ o) >> (8 * b)) & 0xff) == 0)
            continue; /* every key has the same byte here */
        x->byte = b;
        lr_parallel_for(x->chunks, x->chunks, hist_chunk, x);
        size_t sum = 0;
        for (int d = 0; d < 256; d++) {
            for (size_t c = 0; c < x->chunks; c++) {
                size_t k = x->hist[c][d];
                x->hist[c][d] = sum;
                sum += k;
            }
        }
        lr_parallel_for(x->chunks, x->chunks, scatter_chunk, x);
        struct skey *t = x->src;
        x->src = x->dst;
        x->dst = t;
    }
    if (x->src != w)
        memcpy(w, x->src, n * sizeof *w);
    free(x);
    return true;
}

static void radix_level(struct skey *v, struct skey *tmp, size_t n, size_t depth, bool keyed,
                        bool *same_path);

static void recurse(struct run r, struct skey *v, struct skey *tmp, void *ctx)
{
    bool *same_path = ctx;
    if (r.ended)
        insertion(v + r.lo, r.n, r.depth, same_path);
    else
        radix_level(v + r.lo, tmp + r.lo, r.n, r.depth, false, same_path);
}

static void radix_level(struct skey *v, struct skey *tmp, size_t n, size_t depth, bool keyed,
                        bool *same_path)
{
    if (n < 32) {
        insertion(v, n, depth, same_path);
        return;
    }
    split_level(v, tmp, 0, n, depth, 1, keyed, recurse, same_path);
}

/* ---- the same on several threads: the first levels split the records into runs, which are
 * then sorted independently (each its own slice of v and tmp). */

struct runs {
    struct run *v;
    size_t n, cap;
    bool failed;
};

static void collect(struct run r, struct skey *v, struct skey *tmp, void *ctx)
{
    (void)v;
    (void)tmp;
    struct runs *rs = ctx;
    if (rs->n == rs->cap) {
        size_t nc = rs->cap ? rs->cap * 2 : 256;
        struct run *p = realloc(rs->v, nc * sizeof *p);
        if (!p) {
            rs->failed = true;
            return;
        }
        rs->v = p;
        rs->cap = nc;
    }
    rs->v[rs->n++] = r;
}

struct par_sort {
    struct skey *v, *tmp;
    struct run *runs;
};

static void sort_one_run(size_t i, void *payload)
{
    struct par_sort *p = payload;
    struct run *r = &p->runs[i];
    recurse(*r, p->v, p->tmp, &r->same_path);
}

static atomic_size_t threads_wanted; /* delta_threads_set(); 0 = the machine's cores */

void delta_threads_set(size_t n)
{
    atomic_store(&threads_wanted, n);
}

size_t delta_threads(void)
{
    size_t n = atomic_load(&threads_wanted);
    if (!n) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        n = cpus > 1 ? (size_t)cpus : 1;
    }
    return n > 8 ? 8 : n;
}

/* Sort v[0..n) on `threads` threads; false (nothing changed that matters: v stays a valid
 * permutation) when memory for the run list is short, then the caller sorts serially. */
static bool sort_parallel(struct skey *v, struct skey *tmp, size_t n, size_t threads,
                          size_t depth, bool keyed, bool *same_path)
{
    struct runs rs = {0};
    collect((struct run){0, n, depth, false, false}, v, tmp, &rs);
    /* split the largest run until there are enough to share (a few levels at most: the runs
     * of a common prefix such as "part-000" split one level down) */
    for (int level = 0; level < 6 && !rs.failed && rs.n > 0; level++) {
        /* (no run left: every key was unique, the records are in order) */
        size_t big = 0;
        for (size_t i = 1; i < rs.n; i++)
            if (rs.v[i].n > rs.v[big].n)
                big = i;
        if (rs.n >= threads * 8 && rs.v[big].n <= n / threads)
            break;
        struct run r = rs.v[big];
        if (r.ended || r.n < 32)
            break;
        rs.v[big] = rs.v[--rs.n];
        split_level(v, tmp, r.lo, r.n, r.depth, threads, keyed && level == 0, collect, &rs);
    }
    if (rs.failed) {
        free(rs.v);
        return false;
    }
    struct par_sort p = {v, tmp, rs.v};
    lr_parallel_for(rs.n, threads, sort_one_run, &p);
    for (size_t i = 0; i < rs.n; i++)
        *same_path |= rs.v[i].same_path;
    free(rs.v);
    return true;
}

int delta_recs_sort(struct lr_delta_file **recs, size_t n, bool *paths_repeat)
{
    return delta_recs_sort_keyed(recs, NULL, n, 0, paths_repeat);
}

/* The sort's (key, record) pairs made and, once sorted, read back, in chunks on several
 * threads: a million of them are 16 MB of memory touched for the first time. */
struct pairs {
    struct skey *v;
    struct lr_delta_file **recs;
    const uint64_t *keys;
    size_t n, chunks;
    bool back;
};

static void pairs_chunk(size_t c, void *payload)
{
    struct pairs *p = payload;
    size_t lo = p->n / p->chunks * c, hi = c + 1 == p->chunks ? p->n : lo + p->n / p->chunks;
    for (size_t i = lo; i < hi; i++) {
        if (p->back)
            p->recs[i] = p->v[i].r;
        else
            p->v[i] = (struct skey){p->keys ? p->keys[i] : 0, p->recs[i]};
    }
}

int delta_recs_sort_keyed(struct lr_delta_file **recs, const uint64_t *keys, size_t n,
                          size_t depth, bool *paths_repeat)
{
    bool same = false;
    if (paths_repeat)
        *paths_repeat = false;
    if (n < 2)
        return 0;
    if (!keys)
        depth = 0;
    struct skey *v = malloc(2 * n * sizeof *v);
    if (!v)
        return LR_ENOMEM;
    /* a million records take ~0.1 s on one core: worth sharing above a few thousand. A
     * parallel sort that gave up (no memory for its run list) may have left deeper keys in
     * some runs: the serial one then makes its own. */
    size_t threads = n >= 50000 ? delta_threads() : 1;
    struct pairs p = {v, recs, keys, n, threads, false};
    lr_parallel_for(threads, threads, pairs_chunk, &p);
    if (threads < 2)
        radix_level(v, v + n, n, depth, keys != NULL, &same);
    else if (!sort_parallel(v, v + n, n, threads, depth, keys != NULL, &same))
        radix_level(v, v + n, n, depth, false, &same);
    if (paths_repeat)
        *paths_repeat = same;
    p.back = true;
    lr_parallel_for(threads, threads, pairs_chunk, &p);
    free(v);
    return 0;
}
