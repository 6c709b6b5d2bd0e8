/* retention.c - is a version still reconstructable, until when, and are its files still there?
 *
 * Owns: log retention (one listing of _delta_log/), file retention (one listing of the whole
 * table, never one request per file) and the interval defaults of delta-protocol-notes 4.3/4.4.
 * The expiry figure is an estimate ("not before"): log cleanup runs only when a writer
 * checkpoints, and only drops commits older than logRetentionDuration (midnight-truncated). */
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "lakerewind/str.h"

#define DAY_MS 86400000LL

void lr_delta_retention_free(struct lr_delta_retention *r)
{
    if (!r)
        return;
    lr_strvec_free(&r->missing_paths);
    lr_strvec_free(&r->outside_paths);
    memset(r, 0, sizeof *r);
}

static int64_t conf_interval(const struct lr_delta_snapshot *s, const char *key, int64_t dflt)
{
    const char *v = s ? lr_delta_snapshot_config(s, key) : NULL;
    int64_t ms;
    if (v && lr_delta_parse_interval(v, &ms, NULL) == 0)
        return ms;
    return dflt;
}

/* Sorted key list of every object under the table root outside _delta_log/. */
int lr_delta_list_data_keys(struct lr_delta_table *t, struct lr_strvec *out,
                            struct lr_error *err)
{
    struct lr_store_page page = {0};
    int rc = lr_store_list(t->store, t->prefix, NULL, &page, err);
    if (rc < 0)
        return lr_error_context(err, "listing the table's files");
    size_t plen = strlen(t->prefix);
    for (size_t i = 0; i < page.count && rc >= 0; i++) {
        const char *k = page.entries[i].key + plen;
        if (lr_str_starts_with(k, "_delta_log/"))
            continue;
        if (lr_strvec_push(out, k) < 0)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    lr_store_page_free(&page);
    if (rc >= 0)
        lr_strvec_sort(out);
    return rc;
}

bool lr_delta_keys_have(const struct lr_strvec *keys, const char *k)
{
    size_t lo = 0, hi = keys->count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(keys->items[mid], k);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static int note_missing(struct lr_delta_retention *out, const char *what, int64_t size)
{
    out->missing_files++;
    if (size > 0)
        out->missing_bytes += (uint64_t)size;
    if (out->missing_paths.count < 10 && lr_strvec_push(&out->missing_paths, what) < 0)
        return LR_ENOMEM;
    return 0;
}

/* A file named by an absolute URI or a path outside the table root is not in the table's
 * listing: it cannot be called missing (VACUUM never deletes it) nor checked. */
static int note_outside(struct lr_delta_retention *out, const char *what)
{
    out->outside_files++;
    if (out->outside_paths.count < 10 && lr_strvec_push(&out->outside_paths, what) < 0)
        return LR_ENOMEM;
    return 0;
}

/* The key under the table root of a logged path: relative paths, and absolute URIs that
 * spell the table's own location; NULL for anything else. */
static char *table_key(const struct lr_delta_table *t, const char *path)
{
    char *k = lr_delta_path_to_key(path);
    size_t n = strlen(t->name);
    if (!k && path && n > 0 && strncmp(path, t->name, n) == 0 && path[n] == '/')
        k = lr_delta_path_to_key(path + n + 1);
    return k;
}

int lr_delta_retention_check(struct lr_delta_table *t, int64_t version,
                             const struct lr_delta_snapshot *snap, int64_t now_ms,
                             struct lr_delta_retention *out, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    out->version = version;
    out->earliest_reconstructable = -1;
    out->version_timestamp_ms = -1;
    out->log_expires_ms = -1;
    if (now_ms <= 0)
        now_ms = delta_now_ms();
    struct lr_delta_listing l;
    struct lr_strvec keys = {0};
    int rc = lr_delta_list(t, 0, &l, err);
    if (rc < 0)
        return rc;
    out->latest_version = l.latest_version;
    /* earliest reconstructable: the smallest version whose segment selects */
    for (size_t i = 0; i < l.count; i++) {
        struct lr_delta_segment seg;
        if (l.files[i].kind == LR_DELTA_LOG_CRC || l.files[i].kind == LR_DELTA_LOG_COMPACTION)
            continue;
        if (lr_delta_segment_select(&seg, &l, l.files[i].version, NULL) == 0) {
            out->earliest_reconstructable = l.files[i].version;
            lr_delta_segment_free(&seg);
            break;
        }
    }
    struct lr_delta_segment seg;
    if (version >= 0 && lr_delta_segment_select(&seg, &l, version, NULL) == 0) {
        out->is_reconstructable = true;
        out->version_timestamp_ms = seg.commit_mtime_ms;
        lr_delta_segment_free(&seg);
    }
    if (snap && snap->timestamp_ms >= 0)
        out->version_timestamp_ms = snap->timestamp_ms;
    out->log_retention_ms = conf_interval(snap, "delta.logRetentionDuration", 30 * DAY_MS);
    out->checkpoint_retention_ms =
        conf_interval(snap, "delta.checkpointRetentionDuration", 2 * DAY_MS);
    out->deleted_file_retention_ms =
        conf_interval(snap, "delta.deletedFileRetentionDuration", 7 * DAY_MS);
    if (out->is_reconstructable && out->version_timestamp_ms >= 0) {
        /* cleanup drops files whose mtime <= midnight(now - retention): the version stays
         * at least until its newest needed commit is older than retention + 1 day */
        out->log_expires_ms = out->version_timestamp_ms + out->log_retention_ms;
        out->log_expires_ms += DAY_MS - out->log_expires_ms % DAY_MS;
        const char *cleanup = snap ? lr_delta_snapshot_config(snap,
                                                              "delta.enableExpiredLogCleanup")
                                   : NULL;
        if (cleanup && strcmp(cleanup, "false") == 0)
            out->log_expires_ms = -1;
        out->beyond_deleted_file_retention =
            version != out->latest_version &&
            out->version_timestamp_ms < now_ms - out->deleted_file_retention_ms;
    }
    if (snap && snap->num_files > 0) {
        rc = lr_delta_list_data_keys(t, &keys, err);
        if (rc < 0)
            goto done;
        for (size_t i = 0; i < snap->num_files && rc >= 0; i++) {
            const struct lr_delta_file *f = snap->files[i];
            char *k = table_key(t, f->path);
            if (!k)
                rc = note_outside(out, f->path);
            else if (!lr_delta_keys_have(&keys, k))
                rc = note_missing(out, f->path, f->size);
            free(k);
            json_t *dv = lr_delta_file_dv_id(f) ? lr_delta_file_field(f, "deletionVector") : NULL;
            const char *st = delta_json_str(dv, "storageType");
            char *dk = json_is_object(dv) ? lr_delta_dv_key(dv) : NULL;
            if (rc >= 0 && st && strcmp(st, "p") == 0 && !dk) {
                char *ak = table_key(t, delta_json_str(dv, "pathOrInlineDv"));
                if (ak)
                    dk = ak;
                else
                    rc = note_outside(out, delta_json_str(dv, "pathOrInlineDv"));
            }
            json_decref(dv);
            if (rc >= 0 && dk && !lr_delta_keys_have(&keys, dk))
                rc = note_missing(out, dk, 0);
            free(dk);
        }
        if (rc < 0)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
    }
done:
    lr_strvec_free(&keys);
    lr_delta_listing_free(&l);
    if (rc < 0)
        lr_delta_retention_free(out);
    return rc;
}
