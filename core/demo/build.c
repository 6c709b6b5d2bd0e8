/* build.c - the demo lakehouse's story: every catalog table is created, loaded and synced on a
 * fake clock over ten days (MERGE, WRITE, DELETE, OPTIMIZE commits; checkpoints every ten
 * commits), named checkpoints of every type are recorded along the way, and a bad sync lands
 * after the last good checkpoint: duplicates in account, null keys in contact, a purge gone
 * wrong in donation, a doubled load in activitypointer and wrong updates in opportunity.
 *
 * Timeline (S = anchor - 10 days): tables created at S, loaded at S+1h, synced evenly until
 * S+9d+1h; the latest good checkpoint is taken at S+9d+20h; the bad sync runs at S+9d+21h. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "demo/demo_internal.h"
#include "lakerewind/lakehouse.h"
#include "lakerewind/metadata.h"
#include "lakerewind/str.h"

#define HOUR_MS 3600000LL
#define DAY_MS (24 * HOUR_MS)
#define FILE_ROWS 2000
#define ROW_NULL_KEY 1u

struct row_ref {
    uint32_t row_id;
    uint16_t version;
    uint8_t flags;
    int64_t modified_us;
};

struct live_file {
    json_t *add; /* the add action as committed (owned) */
    struct row_ref *rows;
    size_t count;
};

struct point { /* the table's state after one commit */
    int64_t ms, version, rows, files, bytes;
};

struct table_state {
    const struct lr_demo_table *t;
    struct demo_writer w;
    uint64_t seed;
    struct lr_demo_rng rng;
    struct live_file *files;
    size_t nfiles, cap;
    uint32_t next_row;
    struct point *hist;
    size_t nhist;
    int64_t data_files_written;
};

static void free_state(struct table_state *ts)
{
    for (size_t i = 0; i < ts->nfiles; i++) {
        json_decref(ts->files[i].add);
        free(ts->files[i].rows);
    }
    free(ts->files);
    free(ts->hist);
    demo_writer_close(&ts->w);
}

static json_t *rows_json(const struct table_state *ts, const struct row_ref *refs, size_t n)
{
    json_t *rows = json_array();
    for (size_t i = 0; rows && i < n; i++) {
        json_t *r = lr_demo_row(ts->t, refs[i].row_id, refs[i].version, refs[i].modified_us,
                                ts->seed);
        if (r && (refs[i].flags & ROW_NULL_KEY))
            json_object_set_new(r, ts->t->columns[0].name, json_null());
        if (!r || json_array_append_new(rows, r) < 0) {
            json_decref(rows);
            return NULL;
        }
    }
    return rows;
}

/* The partition value of a row as text ("" when unpartitioned): stable across versions. */
static void partition_of(const struct table_state *ts, uint32_t row_id, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!ts->t->partition_by)
        return;
    for (size_t c = 0; c < ts->t->ncolumns; c++) {
        const struct lr_demo_column *col = &ts->t->columns[c];
        if (strcmp(col->name, ts->t->partition_by) != 0)
            continue;
        json_t *v = lr_demo_value(ts->t, col, row_id, 0, 0, ts->seed);
        if (json_is_string(v))
            snprintf(buf, size, "%s", json_string_value(v));
        else if (json_is_integer(v))
            snprintf(buf, size, "%lld", (long long)json_integer_value(v));
        json_decref(v);
    }
}

/* Write `refs` as one data file; the add goes to `actions` and the live set. Takes `refs`. */
static int add_file(struct table_state *ts, struct row_ref *refs, size_t n, int64_t now_ms,
                    bool data_change, json_t *actions, struct lr_error *err)
{
    if (n == 0) {
        free(refs);
        return 0;
    }
    json_t *rows = rows_json(ts, refs, n);
    json_t *add = NULL;
    int rc = rows ? demo_writer_file(&ts->w, rows, now_ms, &add, err)
                  : lr_error_set(err, LR_ENOMEM, "out of memory");
    json_decref(rows);
    if (rc == 0 && ts->nfiles == ts->cap) {
        size_t cap = ts->cap ? ts->cap * 2 : 32;
        struct live_file *p = realloc(ts->files, cap * sizeof *p);
        if (!p)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        else {
            ts->files = p;
            ts->cap = cap;
        }
    }
    if (rc < 0) {
        json_decref(add);
        free(refs);
        return rc;
    }
    if (!data_change)
        json_object_set_new(json_object_get(add, "add"), "dataChange", json_false());
    json_array_append(actions, add);
    ts->files[ts->nfiles++] = (struct live_file){add, refs, n};
    ts->data_files_written++;
    return 0;
}

/* Split `refs` by partition value and chunk into files of FILE_ROWS. Takes `refs`. */
static int add_rows(struct table_state *ts, struct row_ref *refs, size_t n, int64_t now_ms,
                    json_t *actions, struct lr_error *err)
{
    int rc = 0;
    bool *done = calloc(n ? n : 1, sizeof *done);
    if (!done) {
        free(refs);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (done[i])
            continue;
        char part[64], other[64];
        partition_of(ts, refs[i].row_id, part, sizeof part);
        struct row_ref *chunk = NULL;
        size_t count = 0;
        for (size_t j = i; j < n && rc == 0; j++) {
            if (done[j])
                continue;
            partition_of(ts, refs[j].row_id, other, sizeof other);
            if (strcmp(part, other) != 0)
                continue;
            if (count % FILE_ROWS == 0) {
                if (chunk)
                    rc = add_file(ts, chunk, count, now_ms, true, actions, err);
                chunk = malloc(FILE_ROWS * sizeof *chunk);
                count = 0;
                if (!chunk) {
                    rc = lr_error_set(err, LR_ENOMEM, "out of memory");
                    break;
                }
            }
            chunk[count++] = refs[j];
            done[j] = true;
        }
        if (rc == 0 && chunk)
            rc = add_file(ts, chunk, count, now_ms, true, actions, err);
        else
            free(chunk);
    }
    free(done);
    free(refs);
    return rc;
}

static int remove_file(struct table_state *ts, size_t idx, int64_t now_ms, bool data_change,
                       json_t *actions, struct lr_error *err)
{
    json_t *rm = demo_remove_for(ts->files[idx].add, now_ms);
    if (!rm)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    if (!data_change)
        json_object_set_new(json_object_get(rm, "remove"), "dataChange", json_false());
    json_array_append_new(actions, rm);
    json_decref(ts->files[idx].add);
    free(ts->files[idx].rows);
    memmove(ts->files + idx, ts->files + idx + 1, (ts->nfiles - idx - 1) * sizeof *ts->files);
    ts->nfiles--;
    return 0;
}

static struct row_ref *new_rows(struct table_state *ts, size_t n, unsigned version,
                                int64_t now_ms)
{
    struct row_ref *refs = malloc((n ? n : 1) * sizeof *refs);
    for (size_t i = 0; refs && i < n; i++)
        refs[i] = (struct row_ref){ts->next_row++, (uint16_t)version, 0, now_ms * 1000};
    return refs;
}

static int record(struct table_state *ts, int64_t now_ms, struct lr_error *err)
{
    struct point *p = realloc(ts->hist, (ts->nhist + 1) * sizeof *p);
    if (!p)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    ts->hist = p;
    struct point pt = {now_ms, ts->w.version, 0, (int64_t)ts->nfiles, 0};
    for (size_t i = 0; i < ts->nfiles; i++) {
        pt.rows += (int64_t)ts->files[i].count;
        pt.bytes += json_integer_value(json_object_get(json_object_get(ts->files[i].add, "add"),
                                                       "size"));
    }
    ts->hist[ts->nhist++] = pt;
    return 0;
}

static int commit(struct table_state *ts, json_t *actions, const char *op, json_t *params,
                  int64_t now_ms, struct lr_error *err)
{
    int rc = demo_writer_commit(&ts->w, actions, op, params, now_ms, err);
    return rc < 0 ? rc : record(ts, now_ms, err);
}

/* Rewrite file `idx` with `bump` of its rows updated at `version` (MERGE) or with every
 * tenth row dropped (DELETE). */
static int rewrite_file(struct table_state *ts, size_t idx, size_t bump, bool drop,
                        unsigned version, int64_t now_ms, json_t *actions, struct lr_error *err)
{
    struct live_file *f = &ts->files[idx];
    struct row_ref *rows = malloc(f->count * sizeof *rows);
    if (!rows)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    size_t n = 0, start = (size_t)lr_demo_rng_below(&ts->rng, f->count);
    for (size_t i = 0; i < f->count; i++) {
        struct row_ref r = f->rows[i];
        if (drop && (r.row_id * 2654435761u) % 10 == 0)
            continue;
        if (!drop && (i + f->count - start) % f->count < bump) {
            r.version = (uint16_t)version;
            r.modified_us = now_ms * 1000;
        }
        rows[n++] = r;
    }
    int rc = remove_file(ts, idx, now_ms, true, actions, err);
    if (rc < 0) {
        free(rows);
        return rc;
    }
    return add_file(ts, rows, n, now_ms, true, actions, err);
}

static json_t *params_merge(const struct lr_demo_table *t)
{
    char pred[160];
    snprintf(pred, sizeof pred, "[\"(source.%s = target.%s)\"]", t->columns[0].name,
             t->columns[0].name);
    return json_pack("{s:s, s:s, s:s}", "predicate", pred, "matchedPredicates",
                     "[{\"actionType\":\"update\"}]", "notMatchedPredicates",
                     "[{\"actionType\":\"insert\"}]");
}

static int run_sync(struct table_state *ts, unsigned s, int64_t now_ms, unsigned scale,
                    struct lr_error *err)
{
    const struct lr_demo_table *t = ts->t;
    size_t k = t->rows_per_sync * scale / 100 + 1;
    json_t *actions = json_array();
    if (!actions)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int rc;
    if (s % 11 == 0 && ts->nfiles > 0) {
        size_t idx = (size_t)lr_demo_rng_below(&ts->rng, ts->nfiles);
        rc = rewrite_file(ts, idx, 0, true, s, now_ms, actions, err);
        return rc < 0 ? (json_decref(actions), rc)
                      : commit(ts, actions, "DELETE",
                               json_pack("{s:s}", "predicate", "[\"(statecode = 2)\"]"), now_ms,
                               err);
    }
    if (s % 7 == 0) {
        rc = add_rows(ts, new_rows(ts, k, s, now_ms), k, now_ms, actions, err);
        return rc < 0 ? (json_decref(actions), rc)
                      : commit(ts, actions, "WRITE",
                               json_pack("{s:s, s:s}", "mode", "Append", "partitionBy", "[]"),
                               now_ms, err);
    }
    if (s == 15 && ts->nfiles >= 4 && !t->partition_by) {
        /* OPTIMIZE: compact the four smallest files into one (no data change). */
        size_t total = 0;
        struct row_ref *all = NULL;
        for (int round = 0; round < 4; round++) {
            size_t best = 0;
            for (size_t i = 1; i < ts->nfiles; i++)
                if (ts->files[i].count < ts->files[best].count)
                    best = i;
            struct row_ref *p = realloc(all, (total + ts->files[best].count) * sizeof *p);
            if (!p) {
                free(all);
                json_decref(actions);
                return lr_error_set(err, LR_ENOMEM, "out of memory");
            }
            all = p;
            memcpy(all + total, ts->files[best].rows, ts->files[best].count * sizeof *all);
            total += ts->files[best].count;
            rc = remove_file(ts, best, now_ms, false, actions, err);
            if (rc < 0) {
                free(all);
                json_decref(actions);
                return rc;
            }
        }
        rc = add_file(ts, all, total, now_ms, false, actions, err);
        return rc < 0 ? (json_decref(actions), rc)
                      : commit(ts, actions, "OPTIMIZE",
                               json_pack("{s:s, s:s}", "predicate", "[]", "zOrderBy", "[]"),
                               now_ms, err);
    }
    /* MERGE: update some rows of one file and insert new ones. */
    size_t fresh = k * 3 / 10 + 1, bump = k - fresh / 2;
    rc = 0;
    if (ts->nfiles > 0) {
        size_t idx = (size_t)lr_demo_rng_below(&ts->rng, ts->nfiles);
        rc = rewrite_file(ts, idx, bump, false, s, now_ms, actions, err);
    }
    if (rc == 0)
        rc = add_rows(ts, new_rows(ts, fresh, s, now_ms), fresh, now_ms, actions, err);
    if (rc < 0) {
        json_decref(actions);
        return rc;
    }
    return commit(ts, actions, "MERGE", params_merge(t), now_ms, err);
}

/* The incident: what the bad sync did to each table it touched (nothing to the others). */
static int run_bad_sync(struct table_state *ts, unsigned s, int64_t now_ms, unsigned scale,
                        struct lr_error *err)
{
    const char *name = ts->t->name;
    json_t *actions = json_array();
    if (!actions)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int rc = 0;
    const char *op = "MERGE";
    json_t *params = NULL;
    if (!strcmp(name, "account") || !strcmp(name, "contact")) {
        /* a MERGE that inserted instead of matching: duplicate keys (and null keys for contact) */
        size_t dups = (!strcmp(name, "account") ? 300 : 120) * scale / 100 + 1;
        size_t nulls = !strcmp(name, "contact") ? 250 * scale / 100 + 1 : 0;
        struct row_ref *refs = malloc((dups + nulls) * sizeof *refs);
        size_t n = 0;
        for (size_t i = 0; refs && i < ts->nfiles && n < dups; i++)
            for (size_t j = 0; j < ts->files[i].count && n < dups; j += 3)
                refs[n++] = (struct row_ref){ts->files[i].rows[j].row_id, (uint16_t)s, 0,
                                             now_ms * 1000};
        for (size_t i = 0; refs && i < nulls; i++)
            refs[n++] = (struct row_ref){ts->next_row++, (uint16_t)s, ROW_NULL_KEY, now_ms * 1000};
        rc = refs ? add_rows(ts, refs, n, now_ms, actions, err)
                  : lr_error_set(err, LR_ENOMEM, "out of memory");
        params = params_merge(ts->t);
    } else if (!strcmp(name, "donation")) {
        /* a purge with the wrong predicate: three whole files deleted */
        for (int i = 0; i < 3 && ts->nfiles > 0 && rc == 0; i++)
            rc = remove_file(ts, 0, now_ms, true, actions, err);
        op = "DELETE";
        params = json_pack("{s:s}", "predicate", "[\"(fiscalyear < 2024)\"]");
    } else if (!strcmp(name, "activitypointer")) {
        size_t n = 6000 * scale / 100 + 1;
        rc = add_rows(ts, new_rows(ts, n, s, now_ms), n, now_ms, actions, err);
        op = "WRITE";
        params = json_pack("{s:s, s:s}", "mode", "Append", "partitionBy", "[]");
    } else if (!strcmp(name, "opportunity")) {
        for (int i = 0; i < 2 && ts->nfiles > 0 && rc == 0; i++)
            rc = rewrite_file(ts, 0, ts->files[0].count, false, s, now_ms, actions, err);
        params = params_merge(ts->t);
    } else {
        json_decref(actions);
        return 0;
    }
    if (rc < 0) {
        json_decref(actions);
        json_decref(params);
        return rc;
    }
    return commit(ts, actions, op, params, now_ms, err);
}

static void demo_cols_from(const struct lr_demo_table *t, struct demo_col *cols)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        cols[i] = (struct demo_col){t->columns[i].name, t->columns[i].type,
                                    i == 0 ? true : t->columns[i].nullable};
}

static bool listed(const char *const *names, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

static int build_table(struct table_state *ts, struct lr_store *store, size_t index,
                       int64_t start_ms, int64_t incident_ms, unsigned scale, uint64_t seed,
                       const struct lr_demo_options *opts, struct lr_error *err)
{
    const struct lr_demo_table *t = ts->t;
    struct demo_col cols[LR_DEMO_MAX_COLUMNS];
    demo_cols_from(t, cols);
    char *prefix = lr_asprintf("Tables/%s", t->name);
    if (!prefix)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    ts->seed = seed;
    lr_demo_rng_seed(&ts->rng, seed ^ (index + 1) * 0x9e3779b97f4a7c15ULL);
    int rc = demo_writer_open(&ts->w, store, prefix, t->name, cols, t->ncolumns, t->partition_by,
                              seed, err);
    free(prefix);
    if (rc < 0)
        return rc;
    int64_t offset = (int64_t)index * 60000; /* tables sync a minute apart */
    json_t *config = json_pack("{s:s, s:s}", "delta.logRetentionDuration", "interval 30 days",
                               "delta.deletedFileRetentionDuration", "interval 7 days");
    rc = config ? demo_writer_create(&ts->w, start_ms + offset, config, err)
                : lr_error_set(err, LR_ENOMEM, "out of memory");
    json_decref(config);
    if (rc == 0)
        rc = record(ts, start_ms + offset, err);
    /* the first load */
    int64_t load_ms = start_ms + HOUR_MS + offset;
    size_t n = (size_t)t->initial_rows * scale / 100 + 1;
    json_t *actions = json_array();
    if (rc == 0 && actions) {
        rc = add_rows(ts, new_rows(ts, n, 0, load_ms), n, load_ms, actions, err);
        if (rc == 0) {
            rc = commit(ts, actions, "WRITE",
                        json_pack("{s:s, s:s}", "mode", "Append", "partitionBy", "[]"), load_ms,
                        err);
            actions = NULL;
        }
    }
    json_decref(actions);
    /* the syncs, evenly spread over nine days */
    for (unsigned s = 1; rc == 0 && s <= t->syncs; s++) {
        int64_t at = start_ms + HOUR_MS + (int64_t)s * (9 * DAY_MS) / t->syncs + offset;
        rc = run_sync(ts, s, at, scale, err);
    }
    bool incident = !opts || !opts->incident_tables ||
                    listed(opts->incident_tables, opts->incident_table_count, t->name);
    if (rc == 0 && incident)
        rc = run_bad_sync(ts, t->syncs + 1, incident_ms + offset, scale, err);
    if (rc == 0 && opts && opts->schema_change_table &&
        strcmp(opts->schema_change_table, t->name) == 0) {
        /* the deployment right after the bad sync: a new column */
        config = json_pack("{s:s, s:s}", "delta.logRetentionDuration", "interval 30 days",
                           "delta.deletedFileRetentionDuration", "interval 7 days");
        rc = config ? demo_writer_add_column(&ts->w, "deploymentscore", LR_DEMO_DOUBLE, config,
                                             incident_ms + offset + 600000, err)
                    : lr_error_set(err, LR_ENOMEM, "out of memory");
        json_decref(config);
        if (rc == 0)
            rc = record(ts, incident_ms + offset + 600000, err);
    }
    if (rc < 0)
        lr_error_context(err, "building demo table %s", t->name);
    return rc;
}

/* ---- the named checkpoints ---------------------------------------------------------------- */

struct named {
    const char *type;
    char name[64];
    int64_t at_ms;
    int retention_days;
    bool is_active;
    const char *status;
    char notes[160];
};

static void date_text(char *buf, size_t size, int64_t ms)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    strftime(buf, size, "%Y-%m-%d", &tm);
}

static size_t plan_checkpoints(struct named *out, int64_t start_ms)
{
    size_t n = 0;
    char d[16];
    for (int day = 2; day <= 9; day++) {
        date_text(d, sizeof d, start_ms + day * DAY_MS);
        out[n] = (struct named){"Daily", "", start_ms + day * DAY_MS, 7, true, "Validated", ""};
        snprintf(out[n].name, sizeof out[n].name, "daily-%s", d);
        snprintf(out[n].notes, sizeof out[n].notes, "nightly checkpoint before the %s sync", d);
        n++;
    }
    out[n] = (struct named){"Manual", "test-please-ignore", start_ms + 3 * DAY_MS + 6 * HOUR_MS,
                            30, false, "Pending", "taken by mistake; deactivated"};
    n++;
    date_text(d, sizeof d, start_ms + 4 * DAY_MS);
    out[n] = (struct named){"PrePurge", "", start_ms + 4 * DAY_MS + 12 * HOUR_MS, 30, true,
                            "Validated", "before purging closed donations older than 2019"};
    snprintf(out[n].name, sizeof out[n].name, "pre-purge-%s", d);
    n++;
    date_text(d, sizeof d, start_ms + 5 * DAY_MS);
    out[n] = (struct named){"PostRollback", "", start_ms + 5 * DAY_MS + 3 * HOUR_MS, 30, true,
                            "Validated", ""};
    snprintf(out[n].name, sizeof out[n].name, "post-rollback-%s", d);
    snprintf(out[n].notes, sizeof out[n].notes,
             "after rolling back to daily-%s (run 6f1c2a0e-demo): a sync wrote test data", d);
    n++;
    out[n] = (struct named){"PreDeployment", "pre-deploy-release-42",
                            start_ms + 6 * DAY_MS + 18 * HOUR_MS, 30, true, "Validated",
                            "before deploying sync mapping release 42"};
    n++;
    out[n] = (struct named){"Manual", "before-nightly-sync",
                            start_ms + 9 * DAY_MS + 20 * HOUR_MS, 14, true, "Validated",
                            "last known good state, taken by the on-call engineer"};
    n++;
    return n;
}

static const struct point *point_at(const struct table_state *ts, int64_t at_ms)
{
    const struct point *best = NULL;
    for (size_t i = 0; i < ts->nhist; i++)
        if (ts->hist[i].ms <= at_ms)
            best = &ts->hist[i];
    return best;
}

static void md_cols(enum lr_md_table which, struct demo_col *cols, size_t *n)
{
    const struct lr_table_def *def = lr_md_table_def(which);
    *n = def->column_count;
    for (size_t i = 0; i < def->column_count; i++) {
        enum lr_demo_type t = LR_DEMO_STRING;
        switch (def->columns[i].type) {
        case LR_COL_STRING: t = LR_DEMO_STRING; break;
        case LR_COL_LONG: t = LR_DEMO_LONG; break;
        case LR_COL_INTEGER: t = LR_DEMO_INT; break;
        case LR_COL_BOOLEAN: t = LR_DEMO_BOOL; break;
        case LR_COL_DOUBLE: t = LR_DEMO_DOUBLE; break;
        case LR_COL_TIMESTAMP: t = LR_DEMO_TIMESTAMP; break;
        }
        cols[i] = (struct demo_col){def->columns[i].name, t, def->columns[i].is_nullable};
    }
}

static void det_id(char out[37], uint64_t seed, uint64_t a, uint64_t b)
{
    struct lr_demo_rng r;
    lr_demo_rng_seed(&r, seed ^ (a * 0x100000001b3ULL) ^ (b << 17));
    uint64_t hi = lr_demo_rng_next(&r), lo = lr_demo_rng_next(&r);
    snprintf(out, 37, "%08llx-%04llx-4%03llx-8%03llx-%012llx", (unsigned long long)(hi >> 32),
             (unsigned long long)((hi >> 16) & 0xffff), (unsigned long long)(hi & 0xfff),
             (unsigned long long)(lo >> 52), (unsigned long long)(lo & 0xffffffffffffULL));
}

static int write_checkpoints(struct lr_store *store, struct table_state *states, size_t ntables,
                             int64_t start_ms, uint64_t seed, struct lr_demo_summary *summary,
                             struct lr_error *err)
{
    struct named plan[16];
    size_t nplan = plan_checkpoints(plan, start_ms);
    /* in time order, as they were taken */
    for (size_t i = 1; i < nplan; i++)
        for (size_t j = i; j > 0 && plan[j].at_ms < plan[j - 1].at_ms; j--) {
            struct named tmp = plan[j];
            plan[j] = plan[j - 1];
            plan[j - 1] = tmp;
        }
    struct demo_writer hist, audit;
    struct demo_col cols[24];
    size_t ncols;
    char *hist_prefix = lr_asprintf("%s/CheckpointHistory", LR_METADATA_DEFAULT_LOCATION);
    char *audit_prefix = lr_asprintf("%s/SyncAuditLog", LR_METADATA_DEFAULT_LOCATION);
    if (!hist_prefix || !audit_prefix) {
        free(hist_prefix);
        free(audit_prefix);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    md_cols(LR_MD_CHECKPOINT_HISTORY, cols, &ncols);
    int rc = demo_writer_open(&hist, store, hist_prefix, "CheckpointHistory", cols, ncols, NULL,
                              seed, err);
    md_cols(LR_MD_SYNC_AUDIT_LOG, cols, &ncols);
    if (rc == 0)
        rc = demo_writer_open(&audit, store, audit_prefix, "SyncAuditLog", cols, ncols, NULL,
                              seed, err);
    free(hist_prefix);
    free(audit_prefix);
    if (rc < 0)
        return rc;
    json_t *config = json_pack("{s:s}", "delta.appendOnly", "true");
    rc = demo_writer_create(&hist, start_ms, config, err);
    if (rc == 0)
        rc = demo_writer_create(&audit, start_ms, config, err);
    json_decref(config);
    for (size_t c = 0; c < nplan && rc == 0; c++) {
        const struct named *cp = &plan[c];
        char cp_id[37], run_id[37], log_id[37];
        det_id(cp_id, seed, c, 1);
        det_id(run_id, seed, c, 2);
        det_id(log_id, seed, c, 3);
        json_t *rows = json_array();
        int64_t records = 0;
        for (size_t t = 0; t < ntables && rows; t++) {
            const struct point *p = point_at(&states[t], cp->at_ms);
            if (!p)
                continue;
            records += p->rows;
            json_t *row = json_pack(
                "{s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:b, s:s, s:i, s:I, s:I, s:I, s:I, s:s, s:s}",
                "CheckpointId", cp_id, "CheckpointName", cp->name, "CheckpointType", cp->type,
                "TableName", states[t].t->name, "DeltaVersion", (json_int_t)p->version,
                "CreatedDate", (json_int_t)(cp->at_ms * 1000), "CreatedBy", "oncall@example.org",
                "IsActive", cp->is_active, "ValidationStatus", cp->status, "RetentionDays",
                cp->retention_days, "ExpiryDate",
                (json_int_t)((cp->at_ms + cp->retention_days * DAY_MS) * 1000), "RecordCount",
                (json_int_t)p->rows, "FileCount", (json_int_t)p->files, "SizeBytes",
                (json_int_t)p->bytes, "Notes", cp->notes, "PipelineRunId", run_id);
            if (!row || json_array_append_new(rows, row) < 0) {
                json_decref(rows);
                rows = NULL;
            }
        }
        json_t *add = NULL, *actions = json_array();
        rc = rows && actions ? demo_writer_file(&hist, rows, cp->at_ms, &add, err)
                             : lr_error_set(err, LR_ENOMEM, "out of memory");
        json_decref(rows);
        if (rc == 0) {
            json_array_append_new(actions, add);
            rc = demo_writer_commit(&hist, actions, "WRITE",
                                    json_pack("{s:s}", "mode", "Append"), cp->at_ms, err);
            actions = NULL;
        }
        json_decref(actions);
        if (rc < 0)
            break;
        char details[200];
        snprintf(details, sizeof details, "{\"tables\":%zu,\"type\":\"%s\"}", ntables, cp->type);
        json_t *arow = json_pack(
            "{s:s, s:s, s:s, s:n, s:s, s:I, s:I, s:I, s:I, s:s, s:s, s:b, s:n, s:s}", "LogId",
            log_id, "PipelineRunId", run_id, "Operation", "CheckpointCreated", "TableName",
            "Status", "Succeeded", "RecordsAffected", (json_int_t)records, "StartTime",
            (json_int_t)(cp->at_ms * 1000), "EndTime", (json_int_t)((cp->at_ms + 1800) * 1000),
            "DurationMs", (json_int_t)1800, "ExecutedBy", "oncall@example.org", "CheckpointName",
            cp->name, "IsDryRun", false, "ErrorMessage", "Details", details);
        json_t *arows = json_array();
        actions = json_array();
        if (!arow || !arows || !actions || json_array_append_new(arows, arow) < 0) {
            json_decref(arows);
            json_decref(actions);
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            break;
        }
        rc = demo_writer_file(&audit, arows, cp->at_ms, &add, err);
        json_decref(arows);
        if (rc == 0) {
            json_array_append_new(actions, add);
            rc = demo_writer_commit(&audit, actions, "WRITE",
                                    json_pack("{s:s}", "mode", "Append"), cp->at_ms, err);
        } else {
            json_decref(actions);
        }
        summary->checkpoints++;
        snprintf(summary->good_checkpoint, sizeof summary->good_checkpoint, "%s", cp->name);
    }
    demo_writer_close(&hist);
    demo_writer_close(&audit);
    if (rc < 0)
        lr_error_context(err, "recording the demo's named checkpoints");
    return rc;
}

int lr_demo_build(struct lr_store *store, const struct lr_demo_options *opts,
                  struct lr_demo_summary *summary, struct lr_error *err)
{
    memset(summary, 0, sizeof *summary);
    uint64_t seed = opts && opts->seed ? opts->seed : 42;
    unsigned scale = opts && opts->scale_pct ? opts->scale_pct : 100;
    int64_t anchor = opts && opts->anchor_ms ? opts->anchor_ms : 0;
    if (!anchor) {
        int64_t now = (int64_t)time(NULL) * 1000;
        anchor = now - now % DAY_MS;
    }
    int64_t start_ms = anchor - 10 * DAY_MS;
    int64_t incident_ms = start_ms + 9 * DAY_MS + 21 * HOUR_MS;

    struct lr_table_list existing;
    int rc = lr_lakehouse_discover(store, "Tables", &existing, err);
    if (rc < 0)
        return rc;
    size_t found = existing.count;
    lr_table_list_free(&existing);
    if (found > 0)
        return lr_error_set(err, LR_EEXISTS,
                            "%s already holds %zu table(s): build the demo into an empty folder",
                            lr_store_uri(store), found);

    size_t ntables;
    const struct lr_demo_table *catalog = lr_demo_catalog(&ntables);
    struct table_state *states = calloc(ntables, sizeof *states);
    if (!states)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    size_t built = 0;
    for (size_t c = 0; c < ntables && rc == 0; c++) {
        if (opts && opts->only_tables &&
            !listed(opts->only_tables, opts->only_table_count, catalog[c].name))
            continue;
        size_t i = built++;
        states[i].t = &catalog[c];
        rc = build_table(&states[i], store, c, start_ms, incident_ms, scale, seed, opts, err);
        summary->tables++;
        summary->commits += states[i].w.version + 1;
        summary->data_files += states[i].data_files_written;
        if (states[i].nhist)
            summary->rows += states[i].hist[states[i].nhist - 1].rows;
    }
    if (rc == 0 && built == 0)
        rc = lr_error_set(err, LR_EINVAL, "none of the tables asked for is in the demo catalog");
    if (rc == 0)
        rc = write_checkpoints(store, states, built, start_ms, seed, summary, err);
    for (size_t i = 0; i < ntables; i++)
        if (states[i].t)
            free_state(&states[i]);
    free(states);
    return rc;
}
