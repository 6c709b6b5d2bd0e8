/* rollback.c - the orchestrator of a rollback run: drives the state machine of run.c through
 * the nine steps, with one run id in every event, journal entry and metadata row. The
 * per-table work is in analyse.c and execute.c, the rows in report.c. */
#include "lakerewind/rollback.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/identity.h"
#include "lakerewind/journal.h"
#include "lakerewind/metadata.h"
#include "lakerewind/parallel.h"
#include "lakerewind/run.h"
#include "workflow/wf_internal.h"


void wf_advance(struct wf_orch *o, enum lr_run_trigger t)
{
    struct lr_error err;
    if (lr_run_advance(&o->phase, t, &o->out->status, &err) < 0)
        lr_emit_log(o->em, LR_LOG_ERROR, NULL, "state machine: %s", err.message);
}

void wf_step_start(struct wf_orch *o, enum lr_step s, const char *detail)
{
    o->step_mono = lr_event_mono_ms();
    lr_emit_step_started(o->em, s, detail);
}

void wf_step_end(struct wf_orch *o, enum lr_step s, enum lr_step_outcome oc, const char *detail)
{
    lr_emit_step_finished(o->em, s, oc, lr_event_mono_ms() - o->step_mono, detail);
}

void wf_refuse(struct wf_orch *o, enum lr_run_trigger t, const char *operation,
                   const char *why)
{
    o->out->refusal = lr_strdup(why);
    wf_advance(o, t);
    o->out->status = LR_RUN_REFUSED;
    wf_audit(o->ctx, o->out->run_id, o->target, operation, NULL, "Refused", -1,
             o->started_ms, !o->is_execute, why, NULL, o->out);
}

void wf_notify(struct wf_orch *o, enum lr_notify_kind kind)
{
    if (!o->cfg->notify.url || !*o->cfg->notify.url)
        return;
    struct lr_notify_table *nt = calloc(o->out->table_count + 1, sizeof *nt);
    if (!nt)
        return;
    for (size_t i = 0; i < o->out->table_count; i++) {
        const struct lr_table_result *r = &o->out->tables[i];
        nt[i].name = r->name;
        nt[i].status = kind == LR_NOTIFY_DRY_RUN && o->out->has_impact
                           ? lr_risk_level_name(o->out->impact.tables[i].risk.level)
                           : lr_table_state_name(r->state);
        nt[i].version_written = r->version_written;
        nt[i].quality_score = r->has_validation ? r->validation.quality_score : -1.0;
        nt[i].detail = r->error;
    }
    struct lr_notify_message m = {kind, o->out->run_id, o->target,
                                  o->ctx->operator_name, lr_store_uri(o->ctx->store), NULL, nt,
                                  o->out->table_count};
    struct lr_error err;
    if (lr_notify_send(&o->cfg->notify, &m, &err) < 0)
        wf_warn(o->out, o->em, "notification not delivered: %s", err.message);
    free(nt);
}

static bool in_list(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

/* Step 1: the checkpoint exists, is active and validated; the scope is within it. Returns the
 * checkpoint (borrowed from `list`) or NULL after refusing. */
static const struct lr_checkpoint *validate_checkpoint(struct wf_orch *o,
                                                       const struct lr_rollback_request *req,
                                                       const struct lr_checkpoint_list *list)
{
    char why[LR_ERROR_MAX + 64];
    struct lr_error err;
    const struct lr_checkpoint *cp = NULL;
    if (lr_checkpoint_name_check(req->checkpoint, &err) < 0) {
        snprintf(why, sizeof why, "%.*s", (int)(sizeof why - 1), err.message);
        goto refused;
    }
    cp = lr_checkpoint_find(list, req->checkpoint);
    if (!cp) {
        snprintf(why, sizeof why, "no checkpoint named %s (see `lakerewind checkpoints list`)",
                 req->checkpoint);
        goto refused;
    }
    if (!cp->is_active) {
        snprintf(why, sizeof why, "checkpoint %s is not active", o->target);
        goto refused;
    }
    if (!cp->validation_status || strcmp(cp->validation_status, "Validated") != 0) {
        snprintf(why, sizeof why, "checkpoint %s is not validated (status %s): run "
                                  "`lakerewind checkpoints validate %s`",
                 o->target, cp->validation_status ? cp->validation_status : "unknown", o->target);
        goto refused;
    }
    for (size_t i = 0; i < req->table_count; i++) {
        bool found = false;
        for (size_t k = 0; k < cp->table_count && !found; k++)
            found = strcmp(cp->tables[k].name, req->tables[i]) == 0;
        if (!found) {
            snprintf(why, sizeof why, "table %s is not in checkpoint %s", req->tables[i],
                     o->target);
            goto refused;
        }
    }
    wf_audit(o->ctx, o->out->run_id, o->target, "CheckpointValidation", NULL, "Succeeded", -1,
             o->started_ms, !o->is_execute, NULL, NULL, o->out);
    return cp;
refused:
    wf_refuse(o, LR_TRIG_CHECKPOINT_INVALID, "CheckpointValidation", why);
    return NULL;
}

static bool is_streaming(const struct lr_rollback_config *cfg, const char *table)
{
    for (size_t i = 0; i < cfg->streaming_table_count; i++)
        if (strcmp(cfg->streaming_tables[i], table) == 0)
            return true;
    return false;
}

struct analyse_job {
    struct wf_table *tables;
    const struct lr_lakehouse_ctx *ctx;
    int *rcs;
    struct lr_error *errs;
};

static void analyse_one(size_t i, void *payload)
{
    struct analyse_job *j = payload;
    j->rcs[i] = wf_analyse_table(&j->tables[i], j->ctx, &j->errs[i]);
}

int wf_analyse(struct wf_orch *o, struct wf_table *tables, size_t count,
               const char *const *known, size_t known_count, struct lr_error *err)
{
    struct lr_impact_input *inputs = calloc(count + 1, sizeof *inputs);
    int *rcs = calloc(count + 1, sizeof *rcs);
    struct lr_error *errs = calloc(count + 1, sizeof *errs);
    int rc = inputs && rcs && errs ? 0 : lr_error_set(err, LR_ENOMEM, "out of memory");
    for (size_t i = 0; rc == 0 && i < count; i++)
        lr_emit_table(o->em, tables[i].cpt->name, LR_TABLE_QUEUED, 0, -1, NULL);
    /* Tables are independent: read them `parallel` at a time (a cloud store answers each
     * request in milliseconds; one table after another would add those up). */
    if (rc == 0) {
        struct analyse_job job = {tables, o->ctx, rcs, errs};
        lr_parallel_for(count, o->cfg->parallel > 0 ? (size_t)o->cfg->parallel : 4, analyse_one,
                        &job);
    }
    for (size_t i = 0; rc == 0 && i < count; i++) {
        rc = rcs[i];
        if (rc < 0) {
            *err = errs[i];
            break;
        }
        wf_impact_input(&tables[i], &inputs[i]);
        inputs[i].has_streaming_readers = is_streaming(o->cfg, tables[i].cpt->name);
    }
    free(rcs);
    free(errs);
    if (rc == 0) {
        struct lr_impact_options io = {0};
        io.run_id = o->out->run_id;
        io.checkpoint = o->target;
        io.kind = o->kind == LR_RUN_UNDO ? LR_PLAN_UNDO
                  : o->kind == LR_RUN_RESUME ? LR_PLAN_RESUME
                                             : LR_PLAN_ROLLBACK;
        io.is_dry_run = !o->is_execute;
        io.thresholds = o->cfg->thresholds;
        io.relationships = o->cfg->relationships;
        io.relationship_count = o->cfg->relationship_count;
        io.known_tables = known;
        io.known_table_count = known_count;
        rc = lr_impact_build(&o->out->impact, inputs, count, &io, err);
        o->out->has_impact = rc == 0;
    }
    free(inputs);
    return rc;
}

static int scope(struct wf_orch *o, const struct lr_rollback_request *req,
                 const struct lr_checkpoint *cp, struct wf_table **tables_out, size_t *count_out,
                 struct lr_error *err)
{
    size_t n = 0;
    struct wf_table *tables = calloc(cp->table_count + 1, sizeof *tables);
    o->out->tables = calloc(cp->table_count + 1, sizeof *o->out->tables);
    if (!tables || !o->out->tables) {
        free(tables);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < cp->table_count; i++) {
        const struct lr_checkpoint_table *t = &cp->tables[i];
        if (req->table_count && !in_list(req->tables, req->table_count, t->name))
            continue;
        tables[n].cpt = t;
        struct lr_table_result *r = &o->out->tables[n];
        r->name = lr_strdup(t->name);
        r->state = LR_TABLE_QUEUED;
        r->target_version = t->version;
        r->pre_version = -1;
        r->version_written = -1;
        r->version_rehearsed = -1;
        r->rows_before = -1;
        r->rows_after = -1;
        r->checkpoint_rows = t->record_count;
        tables[n].res = r;
        n++;
    }
    o->out->table_count = n;
    *tables_out = tables;
    *count_out = n;
    return 0;
}

/* Invariant (10): stopped on request after the restores in flight committed. The journal is
 * closed without run_finished, so the run is interrupted for every later reader. */
static void stop_interrupted(struct wf_orch *o, struct wf_run *run)
{
    struct lr_run_result *out = o->out;
    size_t restored = 0, left = 0;
    for (size_t i = 0; i < run->count; i++) {
        restored += out->tables[i].state == LR_TABLE_VALIDATING;
        left += out->tables[i].state == LR_TABLE_QUEUED;
    }
    out->refusal = lr_asprintf("stopped on request: %zu table%s restored, %zu not started; the "
                               "run is interrupted (`lakerewind rollback --resume %s` finishes "
                               "it, `lakerewind undo %s` reverses it)", restored,
                               restored == 1 ? "" : "s", left, out->run_id, out->run_id);
    lr_emit_log(o->em, LR_LOG_WARN, NULL, "%s", out->refusal ? out->refusal : "stopped");
    wf_advance(o, LR_TRIG_CANCELLED);
    out->status = LR_RUN_INTERRUPTED;
    json_t *details = json_pack("{s:I,s:I}", "restored", (json_int_t)restored, "not_started",
                                (json_int_t)left);
    wf_audit(o->ctx, out->run_id, o->target, "RollbackInterrupted", NULL, "Interrupted", -1,
             o->started_ms, false, out->refusal, details, out);
    json_decref(details);
    wf_step_end(o, LR_STEP_RESTORE, LR_STEP_WARNING, out->refusal);
    lr_journal_close(run->journal);
}

int wf_execute(struct wf_orch *o, struct wf_table *tables, size_t count, struct lr_error *err)
{
    struct lr_run_result *out = o->out;
    /* Step 4: the phrase against the digest of the plan analysed just now (invariant 6). */
    wf_step_start(o, LR_STEP_CONFIRMATION, NULL);
    char why[1024];
    if (lr_impact_confirm_check(&out->impact, o->confirm, why, sizeof why) != LR_CONFIRM_OK) {
        wf_refuse(o, LR_TRIG_CONFIRM_REFUSED, "ApprovalRejected", why);
        wf_step_end(o, LR_STEP_CONFIRMATION, LR_STEP_FAILED, why);
        return 0;
    }
    if (out->impact.totals.blocked == count) {
        wf_refuse(o, LR_TRIG_CONFIRM_REFUSED, "ApprovalRejected",
               "every table in scope has a blocker: nothing can be restored");
        wf_step_end(o, LR_STEP_CONFIRMATION, LR_STEP_FAILED, out->refusal);
        return 0;
    }
    wf_advance(o, LR_TRIG_CONFIRMED);
    wf_audit(o->ctx, out->run_id, o->target, "ApprovalGranted", NULL, "Succeeded", -1,
             o->started_ms, false, NULL, NULL, out);
    wf_step_end(o, LR_STEP_CONFIRMATION, LR_STEP_OK, NULL);

    /* Step 5: the journal holds every table's pre-rollback version before any write (2). */
    wf_step_start(o, LR_STEP_PRE_ROLLBACK_SNAPSHOT, NULL);
    /* A resumed run reports against its original checkpoint (audit rows, the post-rollback
     * checkpoint's name), not against the run id it was started with. */
    const char *checkpoint = o->kind == LR_RUN_RESUME && out->checkpoint ? out->checkpoint
                                                                          : o->target;
    struct wf_run run = {o->ctx, o->cfg, o->em, NULL, out->run_id, checkpoint, tables, count,
                         false, o->cancel};
    int rc = o->kind == LR_RUN_RESUME
                 ? lr_journal_reopen(&run.journal, o->ctx->store, o->cfg->runs_prefix,
                                     out->run_id, err)
                 : lr_journal_create(&run.journal, o->ctx->store, o->cfg->runs_prefix,
                                     out->run_id, err);
    struct lr_journal_table *jt = calloc(count + 1, sizeof *jt);
    if (rc == 0 && !jt)
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
    for (size_t i = 0; rc == 0 && i < count; i++) {
        jt[i].name = (char *)tables[i].cpt->name;
        jt[i].pre_version = tables[i].has_cur ? tables[i].cur.version : -1;
        jt[i].target_version = tables[i].cpt->version;
        if (tables[i].res->pre_version < 0)
            tables[i].res->pre_version = jt[i].pre_version;
        if (tables[i].res->rows_before < 0)
            tables[i].res->rows_before = tables[i].has_cur ? tables[i].cur.num_records : -1;
    }
    if (rc == 0 && o->kind == LR_RUN_RESUME) {
        /* The same run continues: its journal already holds the pre-rollback versions. */
        struct lr_journal_entry e = {.kind = LR_J_RUN_RESUMED};
        e.operator_name = (char *)o->ctx->operator_name;
        int64_t seq = lr_journal_append(run.journal, &e, err);
        rc = seq < 0 ? (int)seq : 0;
        /* Commits that landed before the interruption but were never journaled (RECORD). */
        for (size_t i = 0; rc == 0 && i < count; i++) {
            struct lr_table_result *r = tables[i].res;
            if (r->state != LR_TABLE_VALIDATING || !tables[i].is_recorded)
                continue;
            struct lr_journal_entry re = {.kind = LR_J_TABLE_RESTORED, .table = r->name,
                                          .version_written = r->version_written};
            seq = lr_journal_append(run.journal, &re, err);
            rc = seq < 0 ? (int)seq : 0;
        }
    } else if (rc == 0) {
        struct lr_journal_entry e = {.kind = LR_J_RUN_STARTED, .run_kind = o->kind};
        if (o->kind == LR_RUN_ROLLBACK)
            e.checkpoint = (char *)o->target;
        else
            e.of_run = (char *)o->target;
        e.operator_name = (char *)o->ctx->operator_name;
        e.plan_digest = out->impact.plan_digest;
        e.tables = jt;
        e.table_count = count;
        int64_t seq = lr_journal_append(run.journal, &e, err);
        rc = seq < 0 ? (int)seq : 0;
    }
    free(jt);
    if (rc < 0) {
        lr_error_context(err, "writing the run journal (nothing was restored)");
        wf_advance(o, LR_TRIG_FATAL);
        wf_step_end(o, LR_STEP_PRE_ROLLBACK_SNAPSHOT, LR_STEP_FAILED, err->message);
        lr_journal_close(run.journal);
        return rc;
    }
    if (o->kind != LR_RUN_RESUME) {
        wf_write_state_snapshots(&run, false, out);
        wf_audit(o->ctx, out->run_id, o->target, "PreRollbackSnapshot", NULL, "Succeeded", -1,
                 o->started_ms, false, NULL, NULL, out);
    } else {
        wf_audit(o->ctx, out->run_id, o->target, "RunResumed", NULL, "Succeeded", -1,
                 o->started_ms, false, NULL, NULL, out);
    }
    wf_advance(o, LR_TRIG_JOURNAL_WRITTEN);
    wf_step_end(o, LR_STEP_PRE_ROLLBACK_SNAPSHOT, LR_STEP_OK, NULL);

    /* Step 6. */
    wf_step_start(o, LR_STEP_RESTORE, NULL);
    wf_advance(o, LR_TRIG_RESTORE_STARTED);
    wf_restore_all(&run);
    if (o->cancel && atomic_load(o->cancel)) {
        stop_interrupted(o, &run);
        return 0;
    }
    wf_advance(o, LR_TRIG_RESTORES_DONE);
    wf_step_end(o, LR_STEP_RESTORE, LR_STEP_OK, NULL);

    /* Step 7. */
    wf_step_start(o, LR_STEP_POST_VALIDATION, NULL);
    wf_validate_all(&run);
    struct wf_tally tally;
    wf_tally(out, &tally);
    wf_advance(o, LR_TRIG_VALIDATION_DONE);
    wf_step_end(o, LR_STEP_POST_VALIDATION, tally.invalid ? LR_STEP_WARNING : LR_STEP_OK, NULL);

    /* Step 8. */
    wf_step_start(o, LR_STEP_REPORT, NULL);
    wf_write_report(&run, out, o->started_ms);
    wf_advance(o, LR_TRIG_REPORT_DONE);
    out->status = lr_run_outcome(tally.done, tally.failed, tally.skipped, tally.invalid);
    const char *op = o->kind == LR_RUN_UNDO ? "RollbackUndone"
                     : out->status == LR_RUN_SUCCEEDED ? "RollbackCompleted"
                     : out->status == LR_RUN_PARTIAL ? "RollbackPartial"
                                                     : "RollbackFailed";
    json_t *details = json_pack("{s:I,s:I,s:I,s:f}", "restored", (json_int_t)tally.done,
                                "failed", (json_int_t)tally.failed, "skipped",
                                (json_int_t)tally.skipped, "quality_score", out->quality_score);
    wf_audit(o->ctx, out->run_id, o->target, op, NULL,
             out->status == LR_RUN_SUCCEEDED ? "Succeeded" : "Failed", -1, o->started_ms, false,
             NULL, details, out);
    json_decref(details);
    struct lr_journal_entry fin = {.kind = LR_J_RUN_FINISHED, .status = out->status};
    struct lr_error jerr;
    if (lr_journal_append(run.journal, &fin, &jerr) < 0)
        wf_warn(out, o->em, "journal: %s", jerr.message);
    lr_journal_close(run.journal);
    wf_notify(o, out->status == LR_RUN_SUCCEEDED ? (tally.invalid ? LR_NOTIFY_VALIDATION_ALERT
                                                         : LR_NOTIFY_SUCCEEDED)
              : out->status == LR_RUN_PARTIAL ? LR_NOTIFY_PARTIAL
                                              : LR_NOTIFY_FAILED);
    wf_step_end(o, LR_STEP_REPORT, out->warnings.count ? LR_STEP_WARNING : LR_STEP_OK, NULL);
    return 0;
}

void wf_finish(struct wf_orch *o)
{
    struct lr_event fin = {.kind = LR_EV_RUN_FINISHED};
    fin.u.run_finished.status = o->out->status;
    fin.u.run_finished.elapsed_ms = lr_event_mono_ms() - o->started_mono;
    fin.u.run_finished.summary = o->out->refusal;
    lr_emit(o->em, &fin);
}

static int analyse_checkpoint(struct wf_orch *o, const struct lr_checkpoint *cp,
                              struct wf_table *tables, size_t count, struct lr_error *err)
{
    const char **known = calloc(cp->table_count + 1, sizeof *known);
    if (!known)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    for (size_t i = 0; i < cp->table_count; i++)
        known[i] = cp->tables[i].name;
    int rc = wf_analyse(o, tables, count, known, cp->table_count, err);
    free(known);
    return rc;
}

int lr_rollback_run(const struct lr_lakehouse_ctx *ctx, const struct lr_rollback_config *cfg,
                    const struct lr_rollback_request *req, struct lr_emitter *em,
                    struct lr_run_result *out, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    struct wf_orch o = {ctx, cfg, em, out, LR_RUN_ROLLBACK, req->checkpoint, req->execute,
                        req->confirm, LR_PHASE_CREATED, lr_event_now_ms(), lr_event_mono_ms(),
                        0, req->rehearse && !req->execute, req->cancel};
    struct lr_checkpoint_list list = {0};
    struct wf_table *tables = NULL;
    size_t count = 0;
    int rc = lr_run_id_new(out->run_id, err);
    if (rc < 0)
        return rc;
    out->checkpoint = lr_strdup(req->checkpoint);
    if (em)
        lr_emitter_set_run_id(em, out->run_id);
    rc = lr_checkpoint_list(ctx, &list, err);
    if (rc < 0)
        goto done;

    struct lr_event ev = {.kind = LR_EV_RUN_STARTED};
    ev.u.run_started.kind = LR_RUN_ROLLBACK;
    ev.u.run_started.checkpoint = req->checkpoint;
    ev.u.run_started.operator_name = ctx->operator_name;
    ev.u.run_started.is_dry_run = !req->execute;
    ev.u.run_started.is_rehearsal = o.is_rehearsal;
    const struct lr_checkpoint *found = lr_checkpoint_find(&list, req->checkpoint);
    ev.u.run_started.table_count = found ? (req->table_count ? req->table_count
                                                             : found->table_count)
                                         : 0;
    lr_emit(em, &ev);

    wf_step_start(&o, LR_STEP_VALIDATE_CHECKPOINT, req->checkpoint);
    const struct lr_checkpoint *cp = validate_checkpoint(&o, req, &list);
    wf_step_end(&o, LR_STEP_VALIDATE_CHECKPOINT, cp ? LR_STEP_OK : LR_STEP_FAILED, out->refusal);
    if (!cp)
        goto finished;
    wf_advance(&o, LR_TRIG_CHECKPOINT_VALID);

    wf_step_start(&o, LR_STEP_IMPACT_ANALYSIS, NULL);
    rc = scope(&o, req, cp, &tables, &count, err);
    if (rc == 0)
        rc = analyse_checkpoint(&o, cp, tables, count, err);
    if (rc < 0) {
        wf_step_end(&o, LR_STEP_IMPACT_ANALYSIS, LR_STEP_FAILED, err->message);
        goto done;
    }
    wf_advance(&o, LR_TRIG_IMPACT_DONE);
    json_t *details = json_pack("{s:s,s:I,s:I,s:I}", "plan_digest", out->impact.plan_digest,
                                "tables", (json_int_t)count, "high_risk",
                                (json_int_t)out->impact.totals.high, "blocked",
                                (json_int_t)out->impact.totals.blocked);
    wf_audit(ctx, out->run_id, o.target, "ImpactAnalysis", NULL, "Succeeded",
             out->impact.totals.delta_rows, o.started_ms, !req->execute, NULL, details, out);
    json_decref(details);
    wf_step_end(&o, LR_STEP_IMPACT_ANALYSIS, out->impact.totals.blocked ? LR_STEP_WARNING
                                                                     : LR_STEP_OK, NULL);

    if (o.is_rehearsal) {
        rc = wf_rehearse(&o, tables, count, err);
        goto finished;
    }
    if (!req->execute) {
        /* Step 3: a dry run writes nothing but audit rows (invariant 1). */
        wf_step_start(&o, LR_STEP_DRY_RUN, NULL);
        wf_advance(&o, LR_TRIG_DRY_RUN);
        wf_audit(ctx, out->run_id, o.target, "DryRun", NULL, "Succeeded", -1, o.started_ms,
                 true, NULL, NULL, out);
        wf_notify(&o, LR_NOTIFY_DRY_RUN);
        wf_step_end(&o, LR_STEP_DRY_RUN, LR_STEP_OK, out->impact.confirmation_phrase);
        goto finished;
    }
    rc = wf_execute(&o, tables, count, err);
finished:
    wf_finish(&o);
done:
    for (size_t i = 0; i < count; i++)
        wf_table_free(&tables[i]);
    free(tables);
    lr_checkpoint_list_free(&list);
    return rc;
}
