/* commit_facts.c - what a history entry's commitInfo says, as plain fields: who wrote it, with
 * which engine, its parameters, and the rows the writer reports adding and removing in
 * operationMetrics (Delta writes metric values as strings, "201"). Pure: no store. */
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"

static int64_t metric(json_t *ci, const char *key)
{
    return delta_json_int(json_object_get(ci, "operationMetrics"), key, -1);
}

static bool is_op(const char *op, const char *name)
{
    return op && strcmp(op, name) == 0;
}

int lr_delta_commit_facts_of(const struct lr_delta_history_entry *e,
                             struct lr_delta_commit_facts *out)
{
    memset(out, 0, sizeof *out);
    json_t *ci = e->commit_info;
    const char *op = e->operation;
    out->operation = op;
    out->user = delta_json_str(ci, "userName");
    if (!out->user)
        out->user = delta_json_str(ci, "userId");
    out->engine = delta_json_str(ci, "engineInfo");
    /* MERGE reports target rows inserted / deleted; a WRITE, CREATE ... AS SELECT, REPLACE or
     * streaming update reports what it wrote; DELETE what it deleted. */
    out->rows_added = metric(ci, "numTargetRowsInserted");
    out->rows_removed = metric(ci, "numTargetRowsDeleted");
    if (out->rows_added < 0 && (is_op(op, "WRITE") || is_op(op, "STREAMING UPDATE") ||
                                (op && !strncmp(op, "CREATE", 6)) ||
                                (op && !strncmp(op, "REPLACE", 7))))
        out->rows_added = metric(ci, "numOutputRows");
    if (out->rows_removed < 0)
        out->rows_removed = metric(ci, "numDeletedRows");
    json_t *params = json_object_get(ci, "operationParameters");
    if (json_is_object(params) && json_object_size(params)) {
        out->parameters = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS);
        if (!out->parameters)
            return LR_ENOMEM;
    }
    return 0;
}

void lr_delta_commit_facts_free(struct lr_delta_commit_facts *f)
{
    if (!f)
        return;
    free(f->parameters);
    memset(f, 0, sizeof *f);
}
