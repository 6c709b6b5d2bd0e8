/* row_counts.c - the table's row count at each version of a range (the history sparkline).
 *
 * Owns lr_delta_row_counts(): one snapshot at the first version (from the newest checkpoint at
 * or before it, like any snapshot), then each later commit streamed once, keeping a map of
 * live file identity -> rows. Invariants:
 *   (1) identity is (path, deletion-vector id) as in replay.c, so a DV update replaces a file;
 *   (2) a count is known only while every live file's rows are known (stats.numRecords);
 *   (3) commits are applied strictly in version order; a missing commit in the range is an
 *       error, never a guess;
 *   (4) versions that can no longer be rebuilt (log cleanup dropped their commits) are -1:
 *       counting starts at the first checkpoint inside the range instead. */
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "lakerewind/str.h"

/* live file identity -> rows, chained hash (keys owned) */
struct live_entry {
    char *key;
    int64_t rows;            /* -1 unknown */
    struct live_entry *next;
};

struct counter {
    struct live_entry **buckets;
    size_t nbuckets;         /* a power of two */
    size_t count;
    int64_t rows;            /* sum over live files with known rows */
    int64_t unknown;         /* live files whose rows are unknown */
};

static int counter_init(struct counter *c)
{
    memset(c, 0, sizeof *c);
    c->nbuckets = 1024;
    c->buckets = calloc(c->nbuckets, sizeof *c->buckets);
    return c->buckets ? 0 : -1;
}

static void counter_free(struct counter *c)
{
    for (size_t i = 0; c->buckets && i < c->nbuckets; i++)
        for (struct live_entry *e = c->buckets[i], *n; e; e = n) {
            n = e->next;
            free(e->key);
            free(e);
        }
    free(c->buckets);
    memset(c, 0, sizeof *c);
}

static struct live_entry **slot(struct counter *c, const char *key)
{
    uint64_t h = delta_hash(key, strlen(key), 0);
    struct live_entry **p = &c->buckets[h & (c->nbuckets - 1)];
    while (*p && strcmp((*p)->key, key) != 0)
        p = &(*p)->next;
    return p;
}

static int grow(struct counter *c)
{
    size_t n = c->nbuckets * 2;
    struct live_entry **b = calloc(n, sizeof *b);
    if (!b)
        return -1;
    for (size_t i = 0; i < c->nbuckets; i++)
        for (struct live_entry *e = c->buckets[i], *next; e; e = next) {
            next = e->next;
            uint64_t h = delta_hash(e->key, strlen(e->key), 0);
            e->next = b[h & (n - 1)];
            b[h & (n - 1)] = e;
        }
    free(c->buckets);
    c->buckets = b;
    c->nbuckets = n;
    return 0;
}

/* Identity (1): the path and the deletion vector's unique id. Caller frees. */
static char *identity(const char *path, const char *dv_id)
{
    return lr_asprintf("%s\n%s", path, dv_id ? dv_id : "");
}

static void drop(struct counter *c, const char *key)
{
    struct live_entry **p = slot(c, key);
    struct live_entry *e = *p;
    if (!e)
        return;
    if (e->rows < 0)
        c->unknown--;
    else
        c->rows -= e->rows;
    *p = e->next;
    c->count--;
    free(e->key);
    free(e);
}

/* Takes ownership of key. */
static int put(struct counter *c, char *key, int64_t rows)
{
    drop(c, key);
    if (c->count >= c->nbuckets && grow(c) < 0) {
        free(key);
        return -1;
    }
    struct live_entry *e = malloc(sizeof *e);
    if (!e) {
        free(key);
        return -1;
    }
    struct live_entry **p = slot(c, key);
    e->key = key;
    e->rows = rows;
    e->next = *p;
    *p = e;
    c->count++;
    if (rows < 0)
        c->unknown++;
    else
        c->rows += rows;
    return 0;
}

static int64_t action_rows(json_t *action)
{
    json_t *stats = json_object_get(action, "stats");
    int64_t n = json_is_string(stats) ? delta_scan_num_records(json_string_value(stats)) : -1;
    if (n < 0)
        return -1;
    json_t *dv = json_object_get(action, "deletionVector");
    if (json_is_object(dv)) {
        json_t *card = json_object_get(dv, "cardinality");
        if (!json_is_integer(card))
            return -1;
        n -= (int64_t)json_integer_value(card);
    }
    return n;
}

static int apply(struct counter *c, json_t *action, bool is_add, struct lr_error *err)
{
    const char *path = delta_json_str(action, "path");
    if (!path)
        return lr_error_set(err, LR_ECORRUPT, "%s action without a path",
                            is_add ? "add" : "remove");
    json_t *dv = json_object_get(action, "deletionVector");
    char *dv_id = json_is_object(dv) ? delta_dv_unique_id(dv) : NULL;
    char *key = identity(path, dv_id);
    free(dv_id);
    if (!key)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    if (!is_add) {
        drop(c, key);
        free(key);
        return 0;
    }
    return put(c, key, action_rows(action)) < 0 ? lr_error_set(err, LR_ENOMEM, "out of memory")
                                                : 0;
}

static int apply_commit(struct lr_delta_table *t, const struct lr_delta_log_file *f,
                        struct counter *c, struct lr_error *err)
{
    struct delta_lines r;
    int rc = delta_lines_open_commit(&r, t, f, err);
    if (rc < 0)
        return rc;
    for (;;) {
        json_t *line = NULL;
        rc = delta_lines_next(&r, &line, err);
        if (rc <= 0)
            break;
        json_t *add = json_object_get(line, "add");
        json_t *remove = json_object_get(line, "remove");
        if (json_is_object(add))
            rc = apply(c, add, true, err);
        else if (json_is_object(remove))
            rc = apply(c, remove, false, err);
        else
            rc = 0;
        json_decref(line);
        if (rc < 0) {
            lr_error_context(err, "%s line %lld", r.name, (long long)r.line_no);
            break;
        }
    }
    delta_lines_close(&r);
    return rc < 0 ? rc : 0;
}

/* The first checkpoint version in (first, last], or -1. */
static int64_t checkpoint_after(struct lr_delta_table *t, int64_t first, int64_t last)
{
    struct lr_delta_listing l;
    struct lr_error ignored;
    if (lr_delta_list(t, first + 1, &l, &ignored) < 0)
        return -1;
    int64_t found = -1;
    for (size_t i = 0; i < l.count && found < 0; i++) {
        const struct lr_delta_log_file *f = &l.files[i];
        bool is_checkpoint = f->kind == LR_DELTA_LOG_CHECKPOINT ||
                             f->kind == LR_DELTA_LOG_CHECKPOINT_PART ||
                             f->kind == LR_DELTA_LOG_CHECKPOINT_V2;
        if (is_checkpoint && f->version > first && f->version <= last)
            found = f->version;
    }
    lr_delta_listing_free(&l);
    return found;
}

static int count_range(struct lr_delta_table *t, int64_t first, int64_t last, int64_t *out,
                       struct lr_error *err);

int lr_delta_row_counts(struct lr_delta_table *t, int64_t first, int64_t last, int64_t *out,
                        struct lr_error *err)
{
    if (first < 0 || last < first)
        return lr_error_set(err, LR_EINVAL, "row counts: bad version range %lld..%lld",
                            (long long)first, (long long)last);
    int rc = count_range(t, first, last, out, err);
    if (rc != LR_ENOTFOUND && rc != LR_ECORRUPT)
        return rc;
    /* The start may be older than the log keeps: begin at a checkpoint inside the range. */
    int64_t cp = checkpoint_after(t, first, last);
    if (cp < 0)
        return rc;
    struct lr_error later;
    if (count_range(t, cp, last, out + (cp - first), &later) < 0)
        return rc;
    for (int64_t v = first; v < cp; v++)
        out[v - first] = -1;
    return 0;
}

static int count_range(struct lr_delta_table *t, int64_t first, int64_t last, int64_t *out,
                       struct lr_error *err)
{
    struct counter c;
    memset(&c, 0, sizeof c);
    struct lr_delta_snapshot snap;
    memset(&snap, 0, sizeof snap);
    struct lr_delta_listing l;
    memset(&l, 0, sizeof l);
    int rc = counter_init(&c);
    if (rc < 0) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    rc = lr_delta_snapshot_open(&snap, t, first, err);
    if (rc < 0)
        goto done;
    for (size_t i = 0; i < snap.num_files; i++) {
        const struct lr_delta_file *f = snap.files[i];
        char *key = identity(f->path, lr_delta_file_dv_id(f));
        if (!key || put(&c, key, lr_delta_file_rows(f)) < 0) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            goto done;
        }
    }
    out[0] = c.unknown ? -1 : c.rows;
    if (last > first) {
        rc = lr_delta_list(t, first + 1, &l, err);
        if (rc < 0)
            goto done;
    }
    int64_t next = first + 1;
    for (size_t i = 0; i < l.count && next <= last; i++) {
        const struct lr_delta_log_file *f = &l.files[i];
        if (f->kind != LR_DELTA_LOG_COMMIT || f->version < next)
            continue;
        if (f->version != next) {
            rc = lr_error_set(err, LR_ECORRUPT, "%s: commit %lld is missing from the log",
                              t->name, (long long)next);
            goto done;
        }
        rc = apply_commit(t, f, &c, err);
        if (rc < 0) {
            lr_error_context(err, "row count of version %lld", (long long)next);
            goto done;
        }
        out[next - first] = c.unknown ? -1 : c.rows;
        next++;
    }
    if (next <= last)
        rc = lr_error_set(err, LR_ENOTFOUND, "%s: no commit %lld (the latest is %lld)", t->name,
                          (long long)next, (long long)(next - 1));
done:
    lr_delta_listing_free(&l);
    lr_delta_snapshot_free(&snap);
    counter_free(&c);
    return rc;
}
