/* results.c - the DrillResults table (<metadata location>/DrillResults): one append-only Delta
 * row per scored drill attempt, for the trainer to query with SQL next to the five metadata
 * tables (lakerewind-scenarios(7) documents the columns). */
#include <stdlib.h>
#include <string.h>

#include "lakerewind/drill.h"
#include "lakerewind/event.h"
#include "lakerewind/identity.h"
#include "lakerewind/str.h"

static const struct lr_column_def columns[] = {
    {"ResultId", LR_COL_STRING, false, "unique id of this result row"},
    {"DrillId", LR_COL_STRING, false, "the attempt (the DrillStarted audit row's run id)"},
    {"Scenario", LR_COL_STRING, false, "scenario id, e.g. bad-sync-three"},
    {"Trainee", LR_COL_STRING, true, "who did the drill (the operator identity)"},
    {"Score", LR_COL_INTEGER, false, "0 to 100"},
    {"Passed", LR_COL_BOOLEAN, false, "score >= 80 and the critical points earned"},
    {"ExpectedMove", LR_COL_STRING, false, "rollback, partial rollback, undo, resume, retain"},
    {"CheckpointUsed", LR_COL_STRING, true, "the checkpoint the trainee rolled back to"},
    {"TablesRestored", LR_COL_STRING, true, "comma-separated tables of the decisive run"},
    {"Runs", LR_COL_INTEGER, false, "executed runs during the drill"},
    {"DurationMs", LR_COL_LONG, true, "first to last audit row of the drill"},
    {"Points", LR_COL_STRING, false, "JSON array of {name, earned, possible, text}"},
    {"Debrief", LR_COL_STRING, false, "the debrief text"},
    {"ScoredAt", LR_COL_TIMESTAMP, false, "when the attempt was scored (UTC)"},
};

static const struct lr_table_def def = {"DrillResults", "scored drill attempt", columns,
                                        sizeof columns / sizeof columns[0]};

const struct lr_table_def *lr_drill_results_def(void)
{
    return &def;
}

static char *prefix_of(const struct lr_lakehouse_ctx *ctx)
{
    return lr_asprintf("%s/DrillResults",
                       ctx->metadata_location ? ctx->metadata_location
                                              : LR_METADATA_DEFAULT_LOCATION);
}

int lr_drill_results_append(const struct lr_lakehouse_ctx *ctx, const struct lr_drill_score *s,
                            const char *trainee, struct lr_error *err)
{
    char id[LR_RUN_ID_LEN + 1];
    int rc = lr_run_id_new(id, err);
    if (rc < 0)
        return rc;
    json_t *full = lr_drill_score_json(s);
    char *points = full ? json_dumps(json_object_get(full, "points"), JSON_COMPACT) : NULL;
    json_decref(full);
    size_t cap = 16;
    for (size_t i = 0; i < s->tables_restored.count; i++)
        cap += strlen(s->tables_restored.items[i]) + 1;
    char *tables = calloc(1, cap);
    for (size_t i = 0; tables && i < s->tables_restored.count; i++) {
        if (i)
            strcat(tables, ",");
        strcat(tables, s->tables_restored.items[i]);
    }
    json_t *row = points && tables
                      ? json_pack("{s:s, s:s, s:s, s:s?, s:i, s:b, s:s, s:s?, s:s, s:i, s:I, "
                                  "s:s, s:s, s:o}",
                                  "ResultId", id, "DrillId", s->drill_id, "Scenario",
                                  s->scenario->id, "Trainee", trainee, "Score", s->score,
                                  "Passed", s->passed, "ExpectedMove",
                                  lr_drill_move_name(s->scenario->move), "CheckpointUsed",
                                  s->checkpoint_used, "TablesRestored", tables, "Runs",
                                  (int)s->runs, "DurationMs", (json_int_t)s->duration_ms,
                                  "Points", points, "Debrief", s->debrief ? s->debrief : "",
                                  "ScoredAt", lr_md_time(lr_event_now_ms()))
                      : NULL;
    free(points);
    free(tables);
    json_t *rows = json_array();
    char *prefix = prefix_of(ctx);
    if (!row || !rows || !prefix || json_array_append_new(rows, row) < 0) {
        json_decref(rows);
        free(prefix);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    struct lr_append_options ao = {.is_append_only = true, .run_id = s->drill_id,
                                   .operator_name = trainee};
    rc = lr_table_append_rows(ctx->store, prefix, &def, rows, &ao, NULL, err);
    json_decref(rows);
    free(prefix);
    if (rc < 0)
        lr_error_context(err, "recording the drill result in DrillResults");
    return rc;
}

int lr_drill_results_read(const struct lr_lakehouse_ctx *ctx, json_t **rows_out,
                          struct lr_error *err)
{
    char *prefix = prefix_of(ctx);
    if (!prefix)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int rc = lr_table_read_rows(ctx->store, prefix, rows_out, err);
    free(prefix);
    return rc;
}
