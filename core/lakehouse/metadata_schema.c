/* metadata_schema.c - the five metadata tables' columns as data (names, Delta types,
 * nullability, one line of documentation each; lakerewind-metadata(7) is the long form) and
 * their Delta schemaString. Owns no state. */
#include "lakerewind/metadata.h"

#include <string.h>

#define COLS(a) a, sizeof a / sizeof a[0]

static const struct lr_column_def checkpoint_history[] = {
    {"CheckpointId", LR_COL_STRING, false, "unique id of the checkpoint (shared by its rows)"},
    {"CheckpointName", LR_COL_STRING, false, "the name the operator gave"},
    {"CheckpointType", LR_COL_STRING, false,
     "Daily, PrePurge, PreDeployment, Manual or PostRollback"},
    {"TableName", LR_COL_STRING, false, "table in the checkpoint (schema-qualified if any)"},
    {"DeltaVersion", LR_COL_LONG, false, "the table's Delta version recorded"},
    {"CreatedDate", LR_COL_TIMESTAMP, false, "when the checkpoint was taken"},
    {"CreatedBy", LR_COL_STRING, true, "operator identity"},
    {"IsActive", LR_COL_BOOLEAN, false, "false once deactivated"},
    {"ValidationStatus", LR_COL_STRING, false, "Pending, Validated or Failed"},
    {"RetentionDays", LR_COL_INTEGER, true, "how long the checkpoint should stay usable"},
    {"ExpiryDate", LR_COL_TIMESTAMP, true, "CreatedDate + RetentionDays"},
    {"RecordCount", LR_COL_LONG, true, "rows at DeltaVersion (null without statistics)"},
    {"FileCount", LR_COL_LONG, true, "live data files at DeltaVersion"},
    {"SizeBytes", LR_COL_LONG, true, "bytes of those files"},
    {"Notes", LR_COL_STRING, true, "free text; PostRollback names the checkpoint and run"},
    {"PipelineRunId", LR_COL_STRING, true, "the run that created it"},
};

static const struct lr_column_def sync_audit_log[] = {
    {"LogId", LR_COL_STRING, false, "unique id of the row"},
    {"PipelineRunId", LR_COL_STRING, true, "the run"},
    {"Operation", LR_COL_STRING, false, "CheckpointCreated, ImpactAnalysis, DryRun, ..."},
    {"TableName", LR_COL_STRING, true, "table concerned, or null for run-wide rows"},
    {"Status", LR_COL_STRING, false, "Started, Succeeded, Failed, Skipped, Refused"},
    {"RecordsAffected", LR_COL_LONG, true, "rows changed (when meaningful)"},
    {"StartTime", LR_COL_TIMESTAMP, true, "start of the operation"},
    {"EndTime", LR_COL_TIMESTAMP, true, "end of the operation"},
    {"DurationMs", LR_COL_LONG, true, "EndTime - StartTime"},
    {"ExecutedBy", LR_COL_STRING, true, "operator identity"},
    {"CheckpointName", LR_COL_STRING, true, "checkpoint concerned"},
    {"IsDryRun", LR_COL_BOOLEAN, false, "true for dry runs"},
    {"ErrorMessage", LR_COL_STRING, true, "the error, secrets removed"},
    {"Details", LR_COL_STRING, true, "JSON with operation-specific facts"},
};

static const struct lr_column_def data_validation[] = {
    {"ValidationId", LR_COL_STRING, false, "unique id of the row"},
    {"PipelineRunId", LR_COL_STRING, true, "the run"},
    {"TableName", LR_COL_STRING, false, "the table checked"},
    {"ValidationType", LR_COL_STRING, false,
     "RecordCount, FileSet, NullPrimaryKeys, TrackingColumns, Schema"},
    {"Expected", LR_COL_STRING, true, "the expected value"},
    {"Actual", LR_COL_STRING, true, "the value found"},
    {"Passed", LR_COL_BOOLEAN, false, "whether the check passed"},
    {"Severity", LR_COL_STRING, false, "Error, Warning or Info"},
    {"Details", LR_COL_STRING, true, "JSON with the facts behind the check"},
    {"ValidatedAt", LR_COL_TIMESTAMP, false, "when the check ran"},
};

static const struct lr_column_def state_snapshots[] = {
    {"SnapshotId", LR_COL_STRING, false, "unique id of the row"},
    {"PipelineRunId", LR_COL_STRING, false, "the run"},
    {"SnapshotType", LR_COL_STRING, false, "PreRollback or PostRollback"},
    {"TableName", LR_COL_STRING, false, "the table"},
    {"DeltaVersion", LR_COL_LONG, false, "its version at that moment"},
    {"RecordCount", LR_COL_LONG, true, "rows (null without statistics)"},
    {"FileCount", LR_COL_LONG, true, "live data files"},
    {"SizeBytes", LR_COL_LONG, true, "bytes of those files"},
    {"SchemaHash", LR_COL_STRING, true, "SHA-256 of the table's schema string"},
    {"CapturedAt", LR_COL_TIMESTAMP, false, "when it was captured"},
};

static const struct lr_column_def comparison_reports[] = {
    {"ReportId", LR_COL_STRING, false, "unique id of the row"},
    {"PipelineRunId", LR_COL_STRING, false, "the run"},
    {"CheckpointName", LR_COL_STRING, true, "the checkpoint rolled back to"},
    {"TableName", LR_COL_STRING, false, "the table"},
    {"PreRollbackCount", LR_COL_LONG, true, "rows before the rollback"},
    {"PostRollbackCount", LR_COL_LONG, true, "rows after it"},
    {"CheckpointCount", LR_COL_LONG, true, "rows recorded in the checkpoint"},
    {"Difference", LR_COL_LONG, true, "PostRollbackCount - CheckpointCount"},
    {"QualityScore", LR_COL_DOUBLE, true, "0 to 100"},
    {"Status", LR_COL_STRING, false, "Succeeded, Failed, Skipped"},
    {"GeneratedAt", LR_COL_TIMESTAMP, false, "when the report was written"},
};

static const struct lr_table_def tables[LR_MD_TABLE_COUNT] = {
    {"CheckpointHistory", "named checkpoint and table", COLS(checkpoint_history)},
    {"SyncAuditLog", "operation", COLS(sync_audit_log)},
    {"DataValidation", "check on a table", COLS(data_validation)},
    {"RollbackStateSnapshots", "table, before and after a run", COLS(state_snapshots)},
    {"RollbackComparisonReports", "table in a run", COLS(comparison_reports)},
};

const struct lr_table_def *lr_md_table_def(enum lr_md_table which)
{
    return (size_t)which < LR_MD_TABLE_COUNT ? &tables[which] : NULL;
}

const struct lr_table_def *lr_md_table_find(const char *name)
{
    for (size_t i = 0; name && i < LR_MD_TABLE_COUNT; i++)
        if (strcmp(tables[i].name, name) == 0)
            return &tables[i];
    return NULL;
}

const char *lr_col_type_name(enum lr_col_type t)
{
    static const char *n[] = {"string", "long", "integer", "boolean", "double", "timestamp"};
    return (size_t)t < 6 ? n[t] : "string";
}

char *lr_table_def_schema_string(const struct lr_table_def *def)
{
    json_t *fields = json_array();
    json_t *schema = json_object();
    char *s = NULL;
    if (!fields || !schema)
        goto done;
    for (size_t i = 0; i < def->column_count; i++) {
        const struct lr_column_def *c = &def->columns[i];
        json_t *f = json_object();
        json_object_set_new(f, "name", json_string(c->name));
        json_object_set_new(f, "type", json_string(lr_col_type_name(c->type)));
        json_object_set_new(f, "nullable", json_boolean(c->is_nullable));
        json_t *meta = json_object();
        if (c->doc)
            json_object_set_new(meta, "comment", json_string(c->doc));
        json_object_set_new(f, "metadata", meta);
        json_array_append_new(fields, f);
    }
    json_object_set_new(schema, "type", json_string("struct"));
    json_object_set(schema, "fields", fields);
    s = json_dumps(schema, JSON_COMPACT | JSON_PRESERVE_ORDER);
done:
    json_decref(fields);
    json_decref(schema);
    return s;
}
