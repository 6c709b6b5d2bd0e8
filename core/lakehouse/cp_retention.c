/* cp_retention.c - gathering the retention facts of a checkpoint's tables (the latest
 * metadata's retention settings, whether the version is still reconstructable, when its files
 * were removed, which are gone) and checking every checkpoint of a list with them. Per table
 * the latest snapshot and one listing of its files are read once; per checkpoint version, the
 * version's snapshot. The rules themselves are in cp_warnings.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/checkpoint_health.h"
#include "lakerewind/delta.h"
#include "lakerewind/str.h"

#define DAY_MS (86400000LL)

static int64_t conf_interval(const struct lr_delta_snapshot *s, const char *key, int64_t dflt)
{
    const char *v = lr_delta_snapshot_config(s, key);
    int64_t ms;
    if (v && lr_delta_parse_interval(v, &ms, NULL) == 0)
        return ms;
    return dflt;
}

/* The index of an entry of `files` (sorted by path bytes) with this path, or -1. */
static long find_path(struct lr_delta_file *const *files, size_t n, const char *path)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(files[mid]->path, path);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* When the files of `then` that `now` no longer has were removed. */
static void removals(const struct lr_delta_snapshot *then, const struct lr_delta_snapshot *now,
                     struct lr_cp_table_retention *out)
{
    for (size_t i = 0; i < then->num_files; i++) {
        const char *path = then->files[i]->path;
        if (find_path(now->files, now->num_files, path) >= 0)
            continue;
        long k = find_path(now->tombstones, now->num_tombstones, path);
        int64_t when = k >= 0 ? now->tombstones[k]->modification_time : -1;
        if (when < 0) {
            out->has_old_removal = true; /* tombstone expired out of the log, or undated */
        } else if (out->first_removal_ms < 0 || when < out->first_removal_ms) {
            out->first_removal_ms = when;
        }
    }
}

/* What is read once per table: the latest snapshot (retention settings, live files,
 * tombstones) and one listing of the table's files. */
struct tcache {
    const char *name; /* borrowed */
    struct lr_delta_table *t;
    struct lr_delta_snapshot latest;
    bool has_latest;
    struct lr_strvec keys;
    char error[LR_ERROR_MAX];
};

static int table_load(const struct lr_lakehouse_ctx *ctx, const char *name, struct tcache *c,
                      struct lr_error *err)
{
    memset(c, 0, sizeof *c);
    c->name = name;
    char *prefix = lr_lakehouse_table_prefix(ctx, name);
    if (!prefix)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    struct lr_error terr;
    if (lr_delta_table_open(&c->t, ctx->store, prefix, &terr) < 0 ||
        lr_delta_snapshot_open(&c->latest, c->t, -1, &terr) < 0) {
        snprintf(c->error, sizeof c->error, "%s", terr.message);
    } else {
        c->has_latest = true;
        if (lr_delta_list_data_keys(c->t, &c->keys, &terr) < 0)
            snprintf(c->error, sizeof c->error, "%s", terr.message);
    }
    free(prefix);
    return 0;
}

static void table_free(struct tcache *c)
{
    if (c->has_latest)
        lr_delta_snapshot_free(&c->latest);
    lr_strvec_free(&c->keys);
    lr_delta_table_close(c->t);
    memset(c, 0, sizeof *c);
}

static bool present(const struct tcache *c, const char *key)
{
    return key && lr_delta_keys_have(&c->keys, key);
}

/* Data and deletion-vector files of `then` missing from the table's listing. */
static size_t missing_files(const struct tcache *c, const struct lr_delta_snapshot *then)
{
    size_t n = 0;
    for (size_t i = 0; i < then->num_files; i++) {
        const struct lr_delta_file *f = then->files[i];
        char *k = lr_delta_path_to_key(f->path);
        /* a path outside the table root (absolute URI) is not in its listing: unchecked */
        n += k && !present(c, k);
        free(k);
        json_t *dv = lr_delta_file_dv_id(f) ? lr_delta_file_field(f, "deletionVector") : NULL;
        char *dk = json_is_object(dv) ? lr_delta_dv_key(dv) : NULL;
        json_decref(dv);
        n += dk && !present(c, dk);
        free(dk);
    }
    return n;
}

static void version_facts(const struct tcache *c, int64_t version, int64_t now_ms,
                          struct lr_cp_table_retention *out, char *errbuf)
{
    memset(out, 0, sizeof *out);
    out->table = c->name;
    out->version = version;
    out->version_timestamp_ms = -1;
    out->first_removal_ms = -1;
    out->log_retention_ms = 30 * DAY_MS;
    out->file_retention_ms = 7 * DAY_MS;
    errbuf[0] = '\0';
    if (c->error[0]) {
        snprintf(errbuf, LR_ERROR_MAX, "%s", c->error);
        out->error = errbuf;
        return;
    }
    const struct lr_delta_snapshot *latest = &c->latest;
    out->log_retention_ms = conf_interval(latest, "delta.logRetentionDuration", 30 * DAY_MS);
    out->file_retention_ms =
        conf_interval(latest, "delta.deletedFileRetentionDuration", 7 * DAY_MS);
    const char *cleanup = lr_delta_snapshot_config(latest, "delta.enableExpiredLogCleanup");
    out->is_log_cleanup_off = cleanup && strcmp(cleanup, "false") == 0;
    if (version > latest->version) {
        snprintf(errbuf, LR_ERROR_MAX,
                 "the checkpoint's version %lld is newer than the table's latest %lld (was the "
                 "table recreated?)",
                 (long long)version, (long long)latest->version);
        out->error = errbuf;
        return;
    }
    struct lr_delta_snapshot then;
    struct lr_error terr;
    if (lr_delta_snapshot_open(&then, c->t, version, &terr) < 0) {
        /* gone from the log, or unreadable for another reason: the listing tells which */
        struct lr_delta_retention r;
        struct lr_error rerr;
        if (lr_delta_retention_check(c->t, version, NULL, now_ms, &r, &rerr) < 0) {
            snprintf(errbuf, LR_ERROR_MAX, "%s", rerr.message);
            out->error = errbuf;
            return;
        }
        if (r.is_reconstructable) {
            snprintf(errbuf, LR_ERROR_MAX, "%s", terr.message);
            out->error = errbuf;
        }
        lr_delta_retention_free(&r);
        return;
    }
    out->is_reconstructable = true;
    out->version_timestamp_ms = then.timestamp_ms;
    out->missing_files = missing_files(c, &then);
    removals(&then, latest, out);
    lr_delta_snapshot_free(&then);
}

int lr_cp_table_retention_read(const struct lr_lakehouse_ctx *ctx, const char *table,
                               int64_t version, int64_t now_ms, struct lr_cp_table_retention *out,
                               char *errbuf, struct lr_error *err)
{
    struct tcache c;
    int rc = table_load(ctx, table, &c, err);
    if (rc == 0)
        version_facts(&c, version, now_ms, out, errbuf);
    table_free(&c);
    return rc;
}

struct cached {
    const char *table; /* borrowed from the list */
    int64_t version;
    struct lr_cp_table_retention facts;
    char errbuf[LR_ERROR_MAX];
};

int lr_checkpoint_check_all(const struct lr_lakehouse_ctx *ctx,
                            const struct lr_checkpoint_list *list, int64_t now_ms,
                            int64_t warn_ms, struct lr_cp_warnings **out, struct lr_error *err)
{
    *out = calloc(list->count + 1, sizeof **out);
    size_t cap = 0;
    for (size_t i = 0; i < list->count; i++)
        cap += list->items[i].is_active ? list->items[i].table_count : 0;
    struct cached *cache = calloc(cap + 1, sizeof *cache);
    struct tcache *tables = calloc(cap + 1, sizeof *tables);
    struct lr_cp_table_retention *facts = NULL;
    size_t used = 0;
    size_t ntables = 0;
    int rc = 0;
    if (!*out || !cache || !tables) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; rc == 0 && i < list->count; i++) {
        const struct lr_checkpoint *cp = &list->items[i];
        if (!cp->is_active)
            continue;
        free(facts);
        facts = calloc(cp->table_count + 1, sizeof *facts);
        if (!facts) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            break;
        }
        for (size_t k = 0; rc == 0 && k < cp->table_count; k++) {
            const struct lr_checkpoint_table *t = &cp->tables[k];
            struct cached *c = NULL;
            for (size_t j = 0; !c && j < used; j++)
                if (cache[j].version == t->version && strcmp(cache[j].table, t->name) == 0)
                    c = &cache[j];
            if (!c) {
                struct tcache *tc = NULL;
                for (size_t j = 0; !tc && j < ntables; j++)
                    if (strcmp(tables[j].name, t->name) == 0)
                        tc = &tables[j];
                if (!tc) {
                    tc = &tables[ntables++];
                    rc = table_load(ctx, t->name, tc, err);
                    if (rc < 0)
                        break;
                }
                c = &cache[used++];
                c->table = t->name;
                c->version = t->version;
                version_facts(tc, t->version, now_ms, &c->facts, c->errbuf);
            }
            facts[k] = c->facts;
        }
        if (rc == 0)
            rc = lr_cp_warnings_build(&(*out)[i], cp, facts, cp->table_count, now_ms, warn_ms,
                                      err);
    }
done:
    free(facts);
    free(cache);
    for (size_t j = 0; tables && j < ntables; j++)
        table_free(&tables[j]);
    free(tables);
    if (rc < 0 && *out) {
        for (size_t i = 0; i < list->count; i++)
            lr_cp_warnings_free(&(*out)[i]);
        free(*out);
        *out = NULL;
    }
    return rc;
}
