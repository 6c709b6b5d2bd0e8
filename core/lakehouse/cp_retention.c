/* cp_retention.c - gathering the retention facts of a checkpoint's tables (the latest
 * metadata's retention settings, whether the version is still reconstructable, when its files
 * were removed, which are gone) and checking every checkpoint of a list with them. The rules
 * themselves are in cp_warnings.c. */
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
static long find_path(const struct lr_delta_file *files, size_t n, const char *path)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(files[mid].path, path);
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
        const char *path = then->files[i].path;
        if (find_path(now->files, now->num_files, path) >= 0)
            continue;
        long k = find_path(now->tombstones, now->num_tombstones, path);
        int64_t when = k >= 0 ? now->tombstones[k].modification_time : -1;
        if (when < 0) {
            out->has_old_removal = true; /* tombstone expired out of the log, or undated */
        } else if (out->first_removal_ms < 0 || when < out->first_removal_ms) {
            out->first_removal_ms = when;
        }
    }
}

int lr_cp_table_retention_read(const struct lr_lakehouse_ctx *ctx, const char *table,
                               int64_t version, int64_t now_ms, struct lr_cp_table_retention *out,
                               char *errbuf, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    out->table = table;
    out->version = version;
    out->version_timestamp_ms = -1;
    out->first_removal_ms = -1;
    out->log_retention_ms = 30 * DAY_MS;
    out->file_retention_ms = 7 * DAY_MS;
    errbuf[0] = '\0';
    char *prefix = lr_lakehouse_table_prefix(ctx, table);
    if (!prefix)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    struct lr_delta_table *t = NULL;
    struct lr_delta_snapshot latest, then;
    bool has_latest = false, has_then = false;
    struct lr_delta_retention r;
    memset(&r, 0, sizeof r);
    struct lr_error terr;
    int rc = 0;
    if (lr_delta_table_open(&t, ctx->store, prefix, &terr) < 0 ||
        lr_delta_snapshot_open(&latest, t, -1, &terr) < 0) {
        snprintf(errbuf, LR_ERROR_MAX, "%s", terr.message);
        goto done;
    }
    has_latest = true;
    out->log_retention_ms = conf_interval(&latest, "delta.logRetentionDuration", 30 * DAY_MS);
    out->file_retention_ms =
        conf_interval(&latest, "delta.deletedFileRetentionDuration", 7 * DAY_MS);
    const char *cleanup = lr_delta_snapshot_config(&latest, "delta.enableExpiredLogCleanup");
    out->is_log_cleanup_off = cleanup && strcmp(cleanup, "false") == 0;
    if (version > latest.version) {
        snprintf(errbuf, LR_ERROR_MAX,
                 "the checkpoint's version %lld is newer than the table's latest %lld (was the "
                 "table recreated?)",
                 (long long)version, (long long)latest.version);
        goto done;
    }
    if (lr_delta_snapshot_open(&then, t, version, &terr) == 0) {
        has_then = true;
    } else if (lr_delta_retention_check(t, version, NULL, now_ms, &r, &terr) < 0) {
        snprintf(errbuf, LR_ERROR_MAX, "%s", terr.message);
        goto done;
    } else if (r.is_reconstructable) {
        /* rebuildable in principle, but unreadable: say why rather than guess */
        snprintf(errbuf, LR_ERROR_MAX, "%s", terr.message);
        goto done;
    } else {
        out->is_reconstructable = false;
        goto done;
    }
    if (lr_delta_retention_check(t, version, &then, now_ms, &r, &terr) < 0) {
        snprintf(errbuf, LR_ERROR_MAX, "%s", terr.message);
        goto done;
    }
    out->is_reconstructable = r.is_reconstructable;
    out->version_timestamp_ms = r.version_timestamp_ms;
    out->missing_files = r.missing_files;
    removals(&then, &latest, out);
done:
    if (errbuf[0])
        out->error = errbuf;
    lr_delta_retention_free(&r);
    if (has_then)
        lr_delta_snapshot_free(&then);
    if (has_latest)
        lr_delta_snapshot_free(&latest);
    lr_delta_table_close(t);
    free(prefix);
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
    struct lr_cp_table_retention *facts = NULL;
    size_t used = 0;
    int rc = 0;
    if (!*out || !cache) {
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
                c = &cache[used++];
                c->table = t->name;
                c->version = t->version;
                rc = lr_cp_table_retention_read(ctx, t->name, t->version, now_ms, &c->facts,
                                                c->errbuf, err);
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
    if (rc < 0 && *out) {
        for (size_t i = 0; i < list->count; i++)
            lr_cp_warnings_free(&(*out)[i]);
        free(*out);
        *out = NULL;
    }
    return rc;
}
