/* history.c - commitInfo per version, newest first, in pages (DESCRIBE HISTORY).
 *
 * One listing of _delta_log/ gives the commit files and their mtimes; each page then reads only
 * its own commits, stopping at the commitInfo line (normally the first). */
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"

void lr_delta_history_free(struct lr_delta_history *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->count; i++)
        json_decref(h->entries[i].commit_info);
    free(h->entries);
    memset(h, 0, sizeof *h);
}

static int read_commit_info(struct lr_delta_table *t, const struct lr_delta_log_file *f,
                            json_t **out, struct lr_error *err)
{
    *out = NULL;
    if (delta_commit_info_recall(t, f, out))
        return 0; /* replay of this table handle already read this commit */
    struct delta_lines r;
    int rc = delta_lines_open_commit(&r, t, f, err);
    if (rc < 0)
        return rc;
    for (;;) {
        json_t *line = NULL;
        rc = delta_lines_next(&r, &line, err);
        if (rc <= 0)
            break;
        json_t *ci = json_object_get(line, "commitInfo");
        if (json_is_object(ci)) {
            *out = json_incref(ci);
            json_decref(line);
            break;
        }
        json_decref(line);
    }
    delta_lines_close(&r);
    return rc < 0 ? rc : 0;
}

int lr_delta_history_read(struct lr_delta_table *t, int64_t before, size_t limit,
                          struct lr_delta_history *out, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    out->next_before = -1;
    struct lr_delta_listing l;
    int rc = lr_delta_list(t, 0, &l, err);
    if (rc < 0)
        return rc;
    if (limit == 0)
        limit = 100;
    out->entries = calloc(limit, sizeof *out->entries);
    if (!out->entries) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = l.count; i-- > 0;) {
        const struct lr_delta_log_file *f = &l.files[i];
        if (f->kind != LR_DELTA_LOG_COMMIT || (before >= 0 && f->version >= before))
            continue;
        if (out->count == limit) {
            out->next_before = out->entries[out->count - 1].version;
            break;
        }
        struct lr_delta_history_entry *e = &out->entries[out->count];
        e->version = f->version;
        e->mtime_ms = f->mtime_ms;
        rc = read_commit_info(t, f, &e->commit_info, err);
        if (rc < 0) {
            lr_error_context(err, "history of version %lld", (long long)f->version);
            goto done;
        }
        out->count++;
        e->operation = delta_json_str(e->commit_info, "operation");
        e->timestamp_ms = delta_json_int(e->commit_info, "inCommitTimestamp", -1);
        if (e->timestamp_ms < 0)
            e->timestamp_ms = delta_json_int(e->commit_info, "timestamp", -1);
        if (e->timestamp_ms < 0)
            e->timestamp_ms = f->mtime_ms;
    }
done:
    lr_delta_listing_free(&l);
    if (rc < 0)
        lr_delta_history_free(out);
    return rc;
}
