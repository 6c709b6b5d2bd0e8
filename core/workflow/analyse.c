/* analyse.c - step 2 for one table: the current snapshot, the checkpoint version's snapshot,
 * retention and missing files, the restore plan, and the commits that would be undone. */
#include <stdlib.h>
#include <string.h>

#include "lakerewind/event.h"
#include "workflow/wf_internal.h"

static int block(struct wf_table *w, const char *fmt, const char *detail)
{
    char *s = lr_asprintf(fmt, detail);
    return s ? lr_strvec_push_owned(&w->blockers, s) : LR_ENOMEM;
}

int wf_analyse_table(struct wf_table *w, const struct lr_lakehouse_ctx *ctx,
                     struct lr_error *err)
{
    struct lr_error terr;
    struct lr_delta_retention ret;
    struct lr_strvec keys = {0};
    memset(&ret, 0, sizeof ret);
    int64_t target = w->cpt->version;
    int rc = 0;
    w->prefix = lr_lakehouse_table_prefix(ctx, w->cpt->name);
    if (!w->prefix)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    if (lr_delta_table_open(&w->t, ctx->store, w->prefix, &terr) < 0 ||
        lr_delta_snapshot_open(&w->cur, w->t, -1, &terr) < 0) {
        rc = block(w, "the table cannot be read: %s", terr.message);
        goto done;
    }
    w->has_cur = true;
    if (target > w->cur.version) {
        char msg[160];
        snprintf(msg, sizeof msg, "the table is at version %lld, older than the checkpoint's "
                                  "%lld (dropped and recreated?)",
                 (long long)w->cur.version, (long long)target);
        rc = block(w, "%s", msg);
        goto done;
    }
    if (lr_delta_snapshot_open(&w->tgt, w->t, target, &terr) < 0) {
        rc = block(w, "the checkpoint's version is no longer reconstructable: %s",
                   terr.message);
        goto done;
    }
    w->has_tgt = true;
    if (target == w->cur.version) {
        w->is_noop = true;
        goto done;
    }
    int64_t now = lr_event_now_ms();
    if (lr_delta_retention_check(w->t, target, NULL, now, &ret, &terr) < 0 ||
        lr_delta_list_data_keys(w->t, &keys, &terr) < 0) {
        rc = block(w, "retention of the checkpoint's version cannot be checked: %s",
                   terr.message);
        goto done;
    }
    ret.version_timestamp_ms = w->tgt.timestamp_ms;
    struct lr_delta_restore_options ro = {0};
    ro.now_ms = now;
    if (lr_delta_restore_plan_build(&w->plan, &w->cur, &w->tgt, &ret, &keys, &ro, &terr) < 0) {
        rc = lr_error_set(err, terr.code, "table %s: %s", w->cpt->name, terr.message);
        goto done;
    }
    w->has_plan = true;
    for (size_t i = 0; rc == 0 && i < w->plan.refusal_count; i++)
        rc = block(w, "%s", w->plan.refusals[i].message);
    int64_t span = w->cur.version - target;
    if (lr_delta_history_read(w->t, w->cur.version + 1, (size_t)span, &w->hist, &terr) == 0) {
        w->has_hist = true;
        w->commits = calloc(w->hist.count ? w->hist.count : 1, sizeof *w->commits);
        if (!w->commits) {
            rc = LR_ENOMEM;
            goto done;
        }
        for (size_t i = 0; i < w->hist.count; i++) {
            const struct lr_delta_history_entry *h = &w->hist.entries[i];
            struct lr_commit_summary *c = &w->commits[w->commit_count++];
            c->version = h->version;
            c->timestamp_ms = h->timestamp_ms;
            c->operation = h->operation;
            c->engine = json_string_value(json_object_get(h->commit_info, "engineInfo"));
            c->user = json_string_value(json_object_get(h->commit_info, "userName"));
        }
    }
done:
    lr_strvec_free(&keys);
    lr_delta_retention_free(&ret);
    if (rc == LR_ENOMEM)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    return rc < 0 ? rc : 0;
}

void wf_table_free(struct wf_table *w)
{
    if (w->has_plan)
        lr_delta_restore_plan_free(&w->plan);
    if (w->has_hist)
        lr_delta_history_free(&w->hist);
    if (w->has_cur)
        lr_delta_snapshot_free(&w->cur);
    if (w->has_tgt)
        lr_delta_snapshot_free(&w->tgt);
    if (w->has_after)
        lr_delta_snapshot_free(&w->after);
    if (w->has_post)
        lr_delta_snapshot_free(&w->post);
    lr_delta_table_close(w->t);
    free(w->commits);
    free(w->prefix);
    lr_strvec_free(&w->blockers);
    memset(w, 0, sizeof *w);
}

static void summary(struct lr_snapshot_summary *s, const struct lr_delta_snapshot *snap)
{
    s->version = snap->version;
    s->timestamp_ms = snap->timestamp_ms;
    s->num_files = (int64_t)snap->num_files;
    s->size_bytes = snap->size_bytes;
    s->num_records = snap->num_records;
    s->schema_string = snap->schema_string;
    s->is_append_only = false; /* the restore plan refuses with the exact reason */
    const char *cdf = lr_delta_snapshot_config(snap, "delta.enableChangeDataFeed");
    s->has_cdf = cdf && strcmp(cdf, "true") == 0;
}

void wf_impact_input(const struct wf_table *w, struct lr_impact_input *in)
{
    memset(in, 0, sizeof *in);
    in->name = w->cpt->name;
    if (w->has_cur) {
        summary(&in->now, &w->cur);
    } else {
        in->now.version = w->cpt->version;
        in->now.num_records = -1;
        in->now.num_files = -1;
        in->now.size_bytes = -1;
        in->now.timestamp_ms = -1;
    }
    if (w->has_tgt) {
        summary(&in->then, &w->tgt);
    } else {
        in->then.version = w->cpt->version;
        in->then.num_records = w->cpt->record_count;
        in->then.num_files = w->cpt->file_count;
        in->then.size_bytes = w->cpt->size_bytes;
        in->then.timestamp_ms = -1;
    }
    if (w->has_plan) {
        in->plan.files_to_add = w->plan.num_restored_files;
        in->plan.files_to_remove = w->plan.num_removed_files;
        in->plan.bytes_to_add = w->plan.restored_bytes;
        in->plan.bytes_to_remove = w->plan.removed_bytes;
        in->plan.rows_to_add = w->plan.rows_added;
        in->plan.rows_to_remove = w->plan.rows_removed;
    } else {
        in->plan.files_to_add = 0;
        in->plan.files_to_remove = 0;
        in->plan.bytes_to_add = 0;
        in->plan.bytes_to_remove = 0;
        in->plan.rows_to_add = w->is_noop ? 0 : -1;
        in->plan.rows_to_remove = w->is_noop ? 0 : -1;
    }
    in->commits = w->commits;
    in->commit_count = w->commit_count;
    in->blockers = (const char *const *)w->blockers.items;
    in->blocker_count = w->blockers.count;
}
