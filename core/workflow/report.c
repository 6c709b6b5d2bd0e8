/* report.c - the metadata rows of a run (RollbackStateSnapshots, DataValidation,
 * RollbackComparisonReports, SyncAuditLog), the PostRollback checkpoint, and the run summary
 * JSON. Writing a report row never fails the run: a failure becomes a warning. */
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/event.h"
#include "lakerewind/identity.h"
#include "lakerewind/metadata.h"
#include "workflow/wf_internal.h"

void wf_warn(struct lr_run_result *out, struct lr_emitter *em, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lr_strvec_push(&out->warnings, msg);
    lr_emit_log(em, LR_LOG_WARN, NULL, "%s", msg);
}

static void append(const struct lr_lakehouse_ctx *ctx, enum lr_md_table which, json_t *rows,
                   const char *run_id, struct lr_run_result *out, struct lr_emitter *em)
{
    struct lr_append_options ao = {.run_id = run_id, .operator_name = ctx->operator_name};
    struct lr_error err;
    if (json_array_size(rows) > 0 &&
        lr_md_append(ctx->store, ctx->metadata_location, which, rows, &ao, &err) < 0)
        wf_warn(out, em, "could not write %s rows: %s", lr_md_table_def(which)->name,
                err.message);
    json_decref(rows);
}

void wf_audit(const struct lr_lakehouse_ctx *ctx, const char *run_id, const char *checkpoint,
              const char *operation, const char *table, const char *status, int64_t records,
              int64_t start_ms, bool is_dry_run, const char *error, json_t *details,
              struct lr_run_result *out)
{
    struct lr_audit_entry a = {run_id, operation, table, status, records, start_ms,
                               lr_event_now_ms(), ctx->operator_name, checkpoint, is_dry_run,
                               error, details};
    json_t *rows = json_array();
    json_array_append_new(rows, lr_audit_row(&a));
    append(ctx, LR_MD_SYNC_AUDIT_LOG, rows, run_id, out, NULL);
}

static json_t *schema_hash(const char *schema)
{
    if (!schema)
        return json_null();
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!EVP_Digest(schema, strlen(schema), md, &len, EVP_sha256(), NULL))
        return json_null();
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    for (unsigned int i = 0; i < len; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return json_string(hex);
}

static json_t *new_id(void)
{
    char id[LR_RUN_ID_LEN + 1];
    return lr_run_id_new(id, NULL) == 0 ? json_string(id) : json_null();
}

static json_t *int_or_null(int64_t v)
{
    return v >= 0 ? json_integer(v) : json_null();
}

void wf_write_state_snapshots(struct wf_run *run, bool is_post, struct lr_run_result *out)
{
    json_t *rows = json_array();
    int64_t now = lr_event_now_ms();
    for (size_t i = 0; i < run->count; i++) {
        struct wf_table *w = &run->tables[i];
        if (!w->has_cur)
            continue;
        struct lr_delta_snapshot post;
        const struct lr_delta_snapshot *s = &w->cur;
        bool has_post = false;
        struct lr_error err;
        if (is_post) {
            if (w->res->version_written < 0)
                continue;
            if (w->has_post && w->post.version == w->res->version_written) {
                s = &w->post; /* read by the validation just now */
            } else {
                if (lr_delta_snapshot_open(&post, w->t, -1, &err) < 0)
                    continue;
                has_post = true;
                s = &post;
            }
        }
        json_t *row = json_object();
        json_object_set_new(row, "SnapshotId", new_id());
        json_object_set_new(row, "PipelineRunId", json_string(run->run_id));
        json_object_set_new(row, "SnapshotType", json_string(is_post ? "PostRollback"
                                                                     : "PreRollback"));
        json_object_set_new(row, "TableName", json_string(w->cpt->name));
        json_object_set_new(row, "DeltaVersion", json_integer(s->version));
        json_object_set_new(row, "RecordCount", int_or_null(s->num_records));
        json_object_set_new(row, "FileCount", json_integer((json_int_t)s->num_files));
        json_object_set_new(row, "SizeBytes", json_integer(s->size_bytes));
        json_object_set_new(row, "SchemaHash", schema_hash(s->schema_string));
        json_object_set_new(row, "CapturedAt", lr_md_time(now));
        json_array_append_new(rows, row);
        if (has_post)
            lr_delta_snapshot_free(&post);
    }
    append(run->ctx, LR_MD_STATE_SNAPSHOTS, rows, run->run_id, out, run->em);
}

static json_t *validation_rows(struct wf_run *run)
{
    json_t *rows = json_array();
    int64_t now = lr_event_now_ms();
    for (size_t i = 0; i < run->count; i++) {
        const struct lr_table_result *r = run->tables[i].res;
        if (!r->has_validation)
            continue;
        for (size_t k = 0; k < r->validation.count; k++) {
            const struct lr_validation *v = &r->validation.items[k];
            json_t *details = json_pack("{s:s,s:s?,s:b}", "message", v->details, "column",
                                        v->column, "evaluated", v->is_evaluated);
            char *dtext = json_dumps(details, JSON_COMPACT | JSON_PRESERVE_ORDER);
            json_decref(details);
            json_t *row = json_object();
            json_object_set_new(row, "ValidationId", new_id());
            json_object_set_new(row, "PipelineRunId", json_string(run->run_id));
            json_object_set_new(row, "TableName", json_string(r->name));
            json_object_set_new(row, "ValidationType",
                                json_string(lr_validation_type_name(v->type)));
            json_object_set_new(row, "Expected", json_string(v->expected));
            json_object_set_new(row, "Actual", json_string(v->actual));
            json_object_set_new(row, "Passed", json_boolean(v->passed));
            json_object_set_new(row, "Severity", json_string(lr_severity_name(v->severity)));
            json_object_set_new(row, "Details", dtext ? json_string(dtext) : json_null());
            json_object_set_new(row, "ValidatedAt", lr_md_time(now));
            free(dtext);
            json_array_append_new(rows, row);
        }
    }
    return rows;
}

static const char *result_status(const struct lr_table_result *r)
{
    switch (r->state) {
    case LR_TABLE_DONE:
        return r->has_validation && !r->validation.passed ? "Failed" : "Succeeded";
    case LR_TABLE_SKIPPED:
        return "Skipped";
    default:
        return "Failed";
    }
}

static json_t *comparison_rows(struct wf_run *run)
{
    json_t *rows = json_array();
    int64_t now = lr_event_now_ms();
    for (size_t i = 0; i < run->count; i++) {
        const struct lr_table_result *r = run->tables[i].res;
        json_t *row = json_object();
        json_object_set_new(row, "ReportId", new_id());
        json_object_set_new(row, "PipelineRunId", json_string(run->run_id));
        json_object_set_new(row, "CheckpointName", json_string(run->checkpoint));
        json_object_set_new(row, "TableName", json_string(r->name));
        json_object_set_new(row, "PreRollbackCount", int_or_null(r->rows_before));
        json_object_set_new(row, "PostRollbackCount", int_or_null(r->rows_after));
        json_object_set_new(row, "CheckpointCount", int_or_null(r->checkpoint_rows));
        json_object_set_new(row, "Difference", r->rows_after >= 0 && r->checkpoint_rows >= 0
                                                   ? json_integer(r->rows_after -
                                                                  r->checkpoint_rows)
                                                   : json_null());
        json_object_set_new(row, "QualityScore", r->has_validation
                                                     ? json_real(r->validation.quality_score)
                                                     : json_null());
        json_object_set_new(row, "Status", json_string(result_status(r)));
        json_object_set_new(row, "GeneratedAt", lr_md_time(now));
        json_array_append_new(rows, row);
    }
    return rows;
}

/* true when checkpoint `name` exists and was written by run `run_id`. */
static bool is_own_checkpoint(const struct lr_lakehouse_ctx *ctx, const char *name,
                              const char *run_id)
{
    struct lr_checkpoint_list cps = {0};
    struct lr_error err;
    if (lr_checkpoint_list(ctx, &cps, &err) < 0)
        return false;
    const struct lr_checkpoint *cp = lr_checkpoint_find(&cps, name);
    bool own = cp && cp->run_id && strcmp(cp->run_id, run_id) == 0;
    lr_checkpoint_list_free(&cps);
    return own;
}

void wf_write_report(struct wf_run *run, struct lr_run_result *out, int64_t started_ms)
{
    const struct lr_lakehouse_ctx *ctx = run->ctx;
    /* One TableRestore / TableRestoreFailed row per table, all in one append (one commit to
     * SyncAuditLog rather than one per table). */
    json_t *restores = json_array();
    int64_t now = lr_event_now_ms();
    for (size_t i = 0; i < run->count; i++) {
        const struct lr_table_result *r = run->tables[i].res;
        bool ok = r->state == LR_TABLE_DONE;
        struct lr_audit_entry a = {
            run->run_id, ok ? "TableRestore" : "TableRestoreFailed", r->name,
            ok ? "Succeeded" : r->state == LR_TABLE_SKIPPED ? "Skipped" : "Failed",
            r->rows_before >= 0 && r->rows_after >= 0 ? llabs(r->rows_before - r->rows_after) : -1,
            started_ms, now, ctx->operator_name, run->checkpoint, false, r->error, NULL};
        json_array_append_new(restores, lr_audit_row(&a));
    }
    append(ctx, LR_MD_SYNC_AUDIT_LOG, restores, run->run_id, out, run->em);
    append(ctx, LR_MD_DATA_VALIDATION, validation_rows(run), run->run_id, out, run->em);
    wf_audit(ctx, run->run_id, run->checkpoint, "PostValidation", NULL, "Succeeded", -1,
             started_ms, false, NULL, NULL, out);
    wf_write_state_snapshots(run, true, out);

    /* A PostRollback checkpoint of the restored tables. */
    struct lr_strvec names = {0};
    struct lr_checkpoint_table *facts = calloc(run->count + 1, sizeof *facts);
    bool has_facts = facts != NULL;
    bool facts_valid = true;
    for (size_t i = 0; i < run->count; i++) {
        const struct wf_table *w = &run->tables[i];
        if (w->res->state != LR_TABLE_DONE)
            continue;
        /* The validation has just read this table's latest snapshot and checked its file set
         * against the checkpoint version's (whose files the analysis found present). */
        if (facts && w->has_post && w->res->has_validation) {
            struct lr_checkpoint_table *f = &facts[names.count];
            f->name = w->res->name;
            f->version = w->post.version;
            f->timestamp_ms = w->post.timestamp_ms;
            f->record_count = w->post.num_records;
            f->file_count = (int64_t)w->post.num_files;
            f->size_bytes = w->post.size_bytes;
            facts_valid = facts_valid && w->res->validation.passed;
        } else {
            has_facts = false;
        }
        lr_strvec_push(&names, w->res->name);
    }
    if (names.count > 0) {
        char name[160];
        snprintf(name, sizeof name, "%.100s-post-%.8s", run->checkpoint, run->run_id);
        char *notes = lr_asprintf("Post-rollback checkpoint of %s, run %s", run->checkpoint,
                                  run->run_id);
        struct lr_checkpoint_create_options co = {0};
        co.name = name;
        co.type = "PostRollback";
        co.tables = (const char *const *)names.items;
        co.table_count = names.count;
        co.retention_days = run->cfg->post_rollback_retention_days > 0
                                ? run->cfg->post_rollback_retention_days
                                : 30;
        co.notes = notes;
        co.run_id = run->run_id;
        co.facts = has_facts ? facts : NULL;
        co.facts_valid = facts_valid;
        struct lr_error err;
        int64_t t0 = lr_event_now_ms();
        int crc = lr_checkpoint_create(ctx, &co, NULL, &err);
        if (crc == 0) {
            out->post_rollback_checkpoint = lr_strdup(name);
            wf_audit(ctx, run->run_id, run->checkpoint, "PostRollbackCheckpoint", NULL,
                     "Succeeded", -1, t0, false, NULL, NULL, out);
        } else if (crc == LR_EEXISTS && is_own_checkpoint(ctx, name, run->run_id)) {
            /* A resumed run whose first attempt wrote it before being interrupted. */
            out->post_rollback_checkpoint = lr_strdup(name);
        } else {
            wf_warn(out, run->em, "post-rollback checkpoint not written: %s", err.message);
        }
        free(notes);
    }
    lr_strvec_free(&names);
    free(facts);
    append(ctx, LR_MD_COMPARISON_REPORTS, comparison_rows(run), run->run_id, out, run->em);
    wf_audit(ctx, run->run_id, run->checkpoint, "ComparisonReport", NULL, "Succeeded", -1,
             started_ms, false, NULL, NULL, out);
}

/* ---- the run summary ---- */

void lr_run_result_free(struct lr_run_result *r)
{
    if (!r)
        return;
    free(r->checkpoint);
    if (r->has_impact)
        lr_impact_free(&r->impact);
    free(r->refusal);
    for (size_t i = 0; i < r->table_count; i++) {
        free(r->tables[i].name);
        free(r->tables[i].error);
        if (r->tables[i].has_validation)
            lr_table_validation_free(&r->tables[i].validation);
    }
    free(r->tables);
    free(r->post_rollback_checkpoint);
    lr_strvec_free(&r->warnings);
    memset(r, 0, sizeof *r);
}

char *lr_run_result_to_json(const struct lr_run_result *r)
{
    json_t *doc = json_object();
    json_object_set_new(doc, "run_id", json_string(r->run_id));
    json_object_set_new(doc, "status", json_string(lr_run_status_name(r->status)));
    json_t *tables = json_array();
    for (size_t i = 0; i < r->table_count; i++) {
        const struct lr_table_result *t = &r->tables[i];
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(t->name));
        json_object_set_new(o, "status", json_string(lr_table_state_name(t->state)));
        json_object_set_new(o, "version_written", int_or_null(t->version_written));
        json_object_set_new(o, "quality_score", t->has_validation
                                                    ? json_real(t->validation.quality_score)
                                                    : json_null());
        json_t *vals = json_array();
        for (size_t k = 0; t->has_validation && k < t->validation.count; k++) {
            const struct lr_validation *v = &t->validation.items[k];
            json_t *vo = json_object();
            json_object_set_new(vo, "type", json_string(lr_validation_type_name(v->type)));
            json_object_set_new(vo, "passed", json_boolean(v->passed));
            json_object_set_new(vo, "expected", json_string(v->expected));
            json_object_set_new(vo, "actual", json_string(v->actual));
            if (v->column)
                json_object_set_new(vo, "column", json_string(v->column));
            json_object_set_new(vo, "details", json_string(v->details));
            json_array_append_new(vals, vo);
        }
        json_object_set_new(o, "validations", vals);
        json_object_set_new(o, "pre_version", json_integer(t->pre_version));
        json_object_set_new(o, "target_version", json_integer(t->target_version));
        json_object_set_new(o, "error", t->error ? json_string(t->error) : json_null());
        if (r->is_rehearsal) {
            json_object_set_new(o, "would_write_version", int_or_null(t->version_rehearsed));
            json_object_set_new(o, "rows_before", int_or_null(t->rows_before));
            json_object_set_new(o, "rows_after", int_or_null(t->rows_after));
        }
        json_array_append_new(tables, o);
    }
    json_object_set_new(doc, "tables", tables);
    json_object_set_new(doc, "post_rollback_checkpoint",
                        r->post_rollback_checkpoint ? json_string(r->post_rollback_checkpoint)
                                                    : json_null());
    json_object_set_new(doc, "checkpoint", r->checkpoint ? json_string(r->checkpoint)
                                                         : json_null());
    json_object_set_new(doc, "quality_score", json_real(r->quality_score));
    if (r->is_rehearsal) {
        json_object_set_new(doc, "rehearsal", json_true());
        json_object_set_new(doc, "would_end",
                            json_string(lr_run_status_name(r->rehearsal_outcome)));
    }
    json_object_set_new(doc, "refusal", r->refusal ? json_string(r->refusal) : json_null());
    json_t *warnings = json_array();
    for (size_t i = 0; i < r->warnings.count; i++)
        json_array_append_new(warnings, json_string(r->warnings.items[i]));
    json_object_set_new(doc, "warnings", warnings);
    char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    return s;
}
