/* audit.c - building SyncAuditLog rows and the timestamp cells of metadata rows. */
#include "lakerewind/metadata.h"

#include <stdlib.h>

#include "lakerewind/delta.h"
#include "lakerewind/event.h"
#include "lakerewind/identity.h"
#include "lakerewind/log.h"

json_t *lr_md_time(int64_t ms)
{
    char buf[40];
    return ms >= 0 ? json_string(lr_event_format_time(ms, buf, sizeof buf)) : json_null();
}

int64_t lr_md_time_ms(json_t *cell)
{
    if (json_is_integer(cell))
        return (int64_t)json_integer_value(cell) / 1000;
    const char *s = json_string_value(cell);
    int64_t ms;
    if (!s || lr_delta_parse_timestamp(s, &ms, NULL) < 0)
        return -1;
    return ms;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *lr_audit_row(const struct lr_audit_entry *e)
{
    char id[LR_RUN_ID_LEN + 1];
    if (lr_run_id_new(id, NULL) < 0)
        return NULL;
    json_t *row = json_object();
    if (!row)
        return NULL;
    json_object_set_new(row, "LogId", json_string(id));
    json_object_set_new(row, "PipelineRunId", str_or_null(e->run_id));
    json_object_set_new(row, "Operation", json_string(e->operation));
    json_object_set_new(row, "TableName", str_or_null(e->table));
    json_object_set_new(row, "Status", json_string(e->status ? e->status : "Succeeded"));
    json_object_set_new(row, "RecordsAffected", e->records >= 0 ? json_integer(e->records)
                                                                : json_null());
    json_object_set_new(row, "StartTime", lr_md_time(e->start_ms));
    json_object_set_new(row, "EndTime", lr_md_time(e->end_ms));
    json_object_set_new(row, "DurationMs", e->start_ms >= 0 && e->end_ms >= e->start_ms
                                               ? json_integer(e->end_ms - e->start_ms)
                                               : json_null());
    json_object_set_new(row, "ExecutedBy", str_or_null(e->executed_by));
    json_object_set_new(row, "CheckpointName", str_or_null(e->checkpoint));
    json_object_set_new(row, "IsDryRun", json_boolean(e->is_dry_run));
    if (e->error) {
        char msg[2048];
        snprintf(msg, sizeof msg, "%s", e->error);
        lr_redact(msg, sizeof msg);
        json_object_set_new(row, "ErrorMessage", json_string(msg));
    } else {
        json_object_set_new(row, "ErrorMessage", json_null());
    }
    char *details = e->details ? json_dumps(e->details, JSON_COMPACT | JSON_PRESERVE_ORDER)
                               : NULL;
    json_object_set_new(row, "Details", details ? json_string(details) : json_null());
    free(details);
    return row;
}
