/* audit_read.c - SyncAuditLog rows read back as plain structs (the console's run browser and
 * anything else that shows a run's steps without walking JSON). Rows come from lr_md_read; this
 * file only converts, filters by run and orders them. */
#include <stdlib.h>
#include <string.h>

#include "lakerewind/metadata.h"
#include "lakerewind/str.h"

void lr_audit_steps_free(struct lr_audit_steps *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->count; i++) {
        struct lr_audit_step *a = &s->items[i];
        free(a->run_id);
        free(a->operation);
        free(a->table);
        free(a->status);
        free(a->executed_by);
        free(a->checkpoint);
        free(a->error);
    }
    free(s->items);
    memset(s, 0, sizeof *s);
}

static int dup_cell(char **out, json_t *row, const char *key)
{
    const char *v = json_string_value(json_object_get(row, key));
    *out = v ? lr_strdup(v) : NULL;
    return v && !*out ? LR_ENOMEM : 0;
}

static int64_t long_cell(json_t *row, const char *key)
{
    json_t *v = json_object_get(row, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
}

static int str_cmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* Steps in the order they started; of steps that started in the same millisecond, the one that
 * ended last first (an operation before the ones it contains: PostRollbackCheckpoint before the
 * CheckpointCreated it writes), then by operation name backwards (the same, when they also ended
 * in the same millisecond), then by table. The rows come back in no order of their own, so
 * without the last keys the same run showed its steps in a different order from one look to
 * the next. */
static int step_cmp(const void *a, const void *b)
{
    const struct lr_audit_step *x = a;
    const struct lr_audit_step *y = b;
    if (x->start_ms != y->start_ms)
        return x->start_ms < y->start_ms ? -1 : 1;
    if (x->end_ms != y->end_ms)
        return x->end_ms > y->end_ms ? -1 : 1;
    int c = str_cmp(y->operation, x->operation);
    return c ? c : str_cmp(x->table, y->table);
}

int lr_audit_read(struct lr_store *store, const char *location, const char *run_id,
                  struct lr_audit_steps *out, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    json_t *rows = NULL;
    int rc = lr_md_read(store, location, LR_MD_SYNC_AUDIT_LOG, &rows, err);
    if (rc < 0)
        return rc;
    size_t n = json_array_size(rows);
    out->items = n ? calloc(n, sizeof *out->items) : NULL;
    if (n && !out->items) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *id = json_string_value(json_object_get(row, "PipelineRunId"));
        if (run_id && (!id || strcmp(id, run_id) != 0))
            continue;
        struct lr_audit_step *a = &out->items[out->count++];
        a->records = long_cell(row, "RecordsAffected");
        a->start_ms = lr_md_time_ms(json_object_get(row, "StartTime"));
        a->end_ms = lr_md_time_ms(json_object_get(row, "EndTime"));
        a->duration_ms = long_cell(row, "DurationMs");
        a->is_dry_run = json_is_true(json_object_get(row, "IsDryRun"));
        if (dup_cell(&a->run_id, row, "PipelineRunId") < 0 ||
            dup_cell(&a->operation, row, "Operation") < 0 ||
            dup_cell(&a->table, row, "TableName") < 0 || dup_cell(&a->status, row, "Status") < 0 ||
            dup_cell(&a->executed_by, row, "ExecutedBy") < 0 ||
            dup_cell(&a->checkpoint, row, "CheckpointName") < 0 ||
            dup_cell(&a->error, row, "ErrorMessage") < 0) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            goto done;
        }
    }
    if (out->count)
        qsort(out->items, out->count, sizeof *out->items, step_cmp);
done:
    json_decref(rows);
    if (rc < 0)
        lr_audit_steps_free(out);
    return rc;
}
