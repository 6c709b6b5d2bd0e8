/* undo.c - reversing a run: read its journal, observe each table's log (is the run's commit
 * there, did anyone write after it?), let lr_recovery_plan decide, and run the restores back
 * to the pre-rollback versions through the shared orchestration (run.c invariant 8); with
 * `rehearse`, a dry run through every step (rehearse.c) instead of the impact alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/identity.h"
#include "lakerewind/journal.h"
#include "workflow/wf_internal.h"

/* The version of a commit written by `run_id` after `after`, or -1. */
static int64_t version_by_run(struct lr_delta_table *t, int64_t current, int64_t after,
                              const char *run_id)
{
    if (current <= after)
        return -1;
    struct lr_delta_history h;
    struct lr_error err;
    if (lr_delta_history_read(t, current + 1, (size_t)(current - after), &h, &err) < 0)
        return -1;
    int64_t found = -1;
    for (size_t i = 0; i < h.count; i++) {
        json_t *ci = h.entries[i].commit_info;
        const char *txn = json_string_value(json_object_get(ci, "txnId"));
        const char *tag = json_string_value(json_object_get(json_object_get(ci, "tags"),
                                                            "lakerewindRunId"));
        if ((txn && strcmp(txn, run_id) == 0) || (tag && strcmp(tag, run_id) == 0))
            found = h.entries[i].version; /* newest first: keep the earliest */
    }
    lr_delta_history_free(&h);
    return found;
}

int wf_observe(const struct lr_lakehouse_ctx *ctx, const struct lr_run_state *st,
                   struct lr_table_observation *obs, struct lr_error *err)
{
    for (size_t i = 0; i < st->table_count; i++) {
        const struct lr_jtable *jt = &st->tables[i];
        obs[i].name = jt->name;
        obs[i].current_version = -1;
        obs[i].version_by_run = -1;
        char *prefix = lr_lakehouse_table_prefix(ctx, jt->name);
        struct lr_delta_table *t = NULL;
        struct lr_delta_listing l = {0};
        if (!prefix)
            return lr_error_set(err, LR_ENOMEM, "out of memory");
        if (lr_delta_table_open(&t, ctx->store, prefix, err) == 0 &&
            lr_delta_list(t, 0, &l, err) == 0) {
            obs[i].current_version = l.latest_version;
            obs[i].version_by_run = version_by_run(t, l.latest_version, jt->pre_version,
                                                   st->run_id);
        }
        lr_delta_listing_free(&l);
        lr_delta_table_close(t);
        free(prefix);
    }
    return 0;
}

int wf_recovery_begin(struct wf_recovery *r, const struct lr_lakehouse_ctx *ctx,
                      const struct lr_run_state *st, enum lr_recovery_mode kind,
                      struct lr_run_result *out, struct lr_error *err)
{
    memset(r, 0, sizeof *r);
    size_t n = st->table_count + 1;
    r->obs = calloc(n, sizeof *r->obs);
    r->steps = calloc(n, sizeof *r->steps);
    r->cpts = calloc(n, sizeof *r->cpts);
    r->tables = calloc(n, sizeof *r->tables);
    r->names = calloc(n, sizeof *r->names);
    out->tables = calloc(n, sizeof *out->tables);
    if (!r->obs || !r->steps || !r->cpts || !r->tables || !r->names || !out->tables)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int rc = wf_observe(ctx, st, r->obs, err);
    if (rc == 0)
        rc = lr_recovery_plan(st, r->obs, st->table_count, kind, r->steps, err);
    return rc;
}

void wf_recovery_free(struct wf_recovery *r)
{
    for (size_t i = 0; r->tables && i < r->count; i++)
        wf_table_free(&r->tables[i]);
    free(r->tables);
    free(r->cpts);
    free(r->names);
    free(r->obs);
    free(r->steps);
    memset(r, 0, sizeof *r);
}

int lr_undo_run(const struct lr_lakehouse_ctx *ctx, const struct lr_rollback_config *cfg,
                const struct lr_undo_request *req, struct lr_emitter *em,
                struct lr_run_result *out, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    struct wf_orch o = {ctx, cfg, em, out, LR_RUN_UNDO, req->run_id, req->execute,
                        req->confirm, LR_PHASE_CREATED, lr_event_now_ms(), lr_event_mono_ms(),
                        0, req->rehearse && !req->execute, req->cancel};
    struct lr_journal_entries entries = {0};
    struct lr_run_state st;
    memset(&st, 0, sizeof st);
    struct wf_recovery rec = {0};
    char why[LR_ERROR_MAX + 128];
    int rc = lr_run_id_new(out->run_id, err);
    if (rc < 0)
        return rc;
    if (em)
        lr_emitter_set_run_id(em, out->run_id);
    struct lr_event ev = {.kind = LR_EV_RUN_STARTED};
    ev.u.run_started.kind = LR_RUN_UNDO;
    ev.u.run_started.checkpoint = req->run_id;
    ev.u.run_started.operator_name = ctx->operator_name;
    ev.u.run_started.is_dry_run = !req->execute;
    ev.u.run_started.is_rehearsal = o.is_rehearsal;
    lr_emit(em, &ev);

    /* Step 1 for an undo: the run exists, changed something, and its journal is readable. */
    wf_step_start(&o, LR_STEP_VALIDATE_CHECKPOINT, req->run_id);
    struct lr_error rerr;
    if (lr_run_id_check(req->run_id, &rerr) < 0 ||
        lr_journal_read(ctx->store, cfg->runs_prefix, req->run_id, &entries, &rerr) < 0 ||
        lr_run_state_replay(&st, &entries, &rerr) < 0) {
        snprintf(why, sizeof why, "%s", rerr.message);
        goto refused;
    }
    if (st.is_dry_run) {
        snprintf(why, sizeof why, "run %s was a dry run: it changed nothing", req->run_id);
        goto refused;
    }
    out->checkpoint = lr_strdup(st.checkpoint);
    rc = wf_recovery_begin(&rec, ctx, &st, LR_RECOVER_UNDO, out, err);
    if (rc < 0)
        goto done;
    for (size_t i = 0; i < st.table_count; i++) {
        const struct lr_jtable *jt = &st.tables[i];
        rec.names[i] = jt->name;
        if (rec.steps[i].action == LR_RA_NONE) {
            /* A table the run found already at the checkpoint had nothing to undo: that is
             * the expected case, not something the operator must read about. */
            if (jt->pre_version != jt->target_version || jt->version_written >= 0)
                wf_warn(out, em, "table %s: %s", jt->name, rec.steps[i].reason);
            continue;
        }
        rec.cpts[rec.count].name = jt->name; /* borrowed from the state */
        rec.cpts[rec.count].version = jt->pre_version;
        rec.cpts[rec.count].record_count = -1;
        rec.cpts[rec.count].timestamp_ms = -1;
        rec.tables[rec.count].cpt = &rec.cpts[rec.count];
        struct lr_table_result *r = &out->tables[rec.count];
        r->name = lr_strdup(jt->name);
        r->state = LR_TABLE_QUEUED;
        r->target_version = jt->pre_version;
        r->pre_version = -1;
        r->version_written = -1;
        r->version_rehearsed = -1;
        r->rows_before = -1;
        r->rows_after = -1;
        r->checkpoint_rows = -1;
        rec.tables[rec.count].res = r;
        if (rec.steps[i].action == LR_RA_SKIP &&
            lr_strvec_push(&rec.tables[rec.count].blockers, rec.steps[i].reason) < 0) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            goto done;
        }
        rec.count++;
    }
    out->table_count = rec.count;
    if (rec.count == 0) {
        snprintf(why, sizeof why, "nothing to undo: run %s restored no table that is still at "
                                  "its restored version", req->run_id);
        goto refused;
    }
    wf_step_end(&o, LR_STEP_VALIDATE_CHECKPOINT, LR_STEP_OK, NULL);
    wf_advance(&o, LR_TRIG_CHECKPOINT_VALID);

    wf_step_start(&o, LR_STEP_IMPACT_ANALYSIS, NULL);
    rc = wf_analyse(&o, rec.tables, rec.count, rec.names, st.table_count, err);
    if (rc < 0) {
        wf_step_end(&o, LR_STEP_IMPACT_ANALYSIS, LR_STEP_FAILED, err->message);
        goto done;
    }
    for (size_t i = 0; i < rec.count; i++) {
        if (rec.tables[i].has_tgt) /* validate against the pre-run rows */
            rec.cpts[i].record_count = rec.tables[i].tgt.num_records;
        out->tables[i].checkpoint_rows = rec.cpts[i].record_count;
    }
    wf_advance(&o, LR_TRIG_IMPACT_DONE);
    wf_audit(ctx, out->run_id, st.checkpoint, "ImpactAnalysis", NULL, "Succeeded",
             out->impact.totals.delta_rows, o.started_ms, !req->execute, NULL, NULL, out);
    wf_step_end(&o, LR_STEP_IMPACT_ANALYSIS, LR_STEP_OK, NULL);
    if (o.is_rehearsal) {
        /* Steps 4 to 8 rehearsed: the restores back to the pre-rollback versions built,
         * checked and validated in memory; nothing written but IsDryRun audit rows. */
        rc = wf_rehearse(&o, rec.tables, rec.count, err);
        goto finished;
    }
    if (!req->execute) {
        wf_step_start(&o, LR_STEP_DRY_RUN, NULL);
        wf_advance(&o, LR_TRIG_DRY_RUN);
        wf_audit(ctx, out->run_id, st.checkpoint, "DryRun", NULL, "Succeeded", -1, o.started_ms,
                 true, NULL, NULL, out);
        wf_step_end(&o, LR_STEP_DRY_RUN, LR_STEP_OK, out->impact.confirmation_phrase);
        goto finished;
    }
    rc = wf_execute(&o, rec.tables, rec.count, err);
    goto finished;
refused:
    wf_refuse(&o, LR_TRIG_CHECKPOINT_INVALID, "RollbackUndone", why);
    wf_step_end(&o, LR_STEP_VALIDATE_CHECKPOINT, LR_STEP_FAILED, why);
finished:
    wf_finish(&o);
done:
    wf_recovery_free(&rec);
    lr_run_state_free(&st);
    lr_journal_entries_free(&entries);
    return rc;
}
