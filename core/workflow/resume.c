/* resume.c - finishing an interrupted run under its own run id: read its journal, observe each
 * table's log, let lr_recovery_plan (RESUME) decide, and continue the shared orchestration on
 * the same journal (run.c invariants 5 and 7). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/identity.h"
#include "lakerewind/journal.h"
#include "workflow/wf_internal.h"

static void result_init(struct lr_table_result *r, const struct lr_jtable *jt)
{
    r->name = lr_strdup(jt->name);
    r->state = LR_TABLE_QUEUED;
    r->target_version = jt->target_version;
    r->pre_version = jt->pre_version;
    r->version_written = -1;
    r->version_rehearsed = -1;
    r->rows_before = -1;
    r->rows_after = -1;
    r->checkpoint_rows = -1;
}

int lr_resume_run(const struct lr_lakehouse_ctx *ctx, const struct lr_rollback_config *cfg,
                  const struct lr_undo_request *req, struct lr_emitter *em,
                  struct lr_run_result *out, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    struct wf_orch o = {ctx, cfg, em, out, LR_RUN_RESUME, req->run_id, req->execute,
                        req->confirm, LR_PHASE_CREATED, lr_event_now_ms(), lr_event_mono_ms(),
                        0, false, req->cancel};
    struct lr_journal_entries entries = {0};
    struct lr_run_state st;
    memset(&st, 0, sizeof st);
    struct lr_checkpoint_list cps = {0};
    struct wf_recovery rec = {0};
    char why[LR_ERROR_MAX + 128];
    int rc = 0;
    snprintf(out->run_id, sizeof out->run_id, "%s", req->run_id ? req->run_id : "");
    if (em)
        lr_emitter_set_run_id(em, out->run_id);
    struct lr_event ev = {.kind = LR_EV_RUN_STARTED};
    ev.u.run_started.kind = LR_RUN_RESUME;
    ev.u.run_started.checkpoint = req->run_id;
    ev.u.run_started.operator_name = ctx->operator_name;
    ev.u.run_started.is_dry_run = !req->execute;
    lr_emit(em, &ev);

    wf_step_start(&o, LR_STEP_VALIDATE_CHECKPOINT, req->run_id);
    struct lr_error rerr;
    if (lr_run_id_check(req->run_id, &rerr) < 0 ||
        lr_journal_read(ctx->store, cfg->runs_prefix, req->run_id, &entries, &rerr) < 0 ||
        lr_run_state_replay(&st, &entries, &rerr) < 0) {
        snprintf(why, sizeof why, "%s", rerr.message);
        goto refused;
    }
    if (!lr_run_state_is_interrupted(&st)) {
        snprintf(why, sizeof why, "run %s is not interrupted (%s): nothing to resume",
                 req->run_id, st.is_dry_run ? "a dry run" : lr_run_status_name(st.status));
        goto refused;
    }
    out->checkpoint = lr_strdup(st.checkpoint);
    if (lr_checkpoint_list(ctx, &cps, err) < 0) {
        rc = err->code;
        goto done;
    }
    const struct lr_checkpoint *cp = st.checkpoint ? lr_checkpoint_find(&cps, st.checkpoint)
                                                   : NULL;
    rc = wf_recovery_begin(&rec, ctx, &st, LR_RECOVER_RESUME, out, err);
    if (rc < 0)
        goto done;
    for (size_t i = 0; i < st.table_count; i++) {
        const struct lr_jtable *jt = &st.tables[i];
        rec.names[i] = jt->name;
        /* A table the run found already at the checkpoint has nothing to finish: it is left
         * out of the resumed plan (as undo does), not reported as a blocker. */
        if (rec.steps[i].action == LR_RA_NONE && jt->pre_version == jt->target_version &&
            jt->version_written < 0)
            continue;
        bool finished_table = (jt->state == LR_JT_RESTORED || jt->state == LR_JT_VALIDATED) &&
                              rec.obs[i].current_version == jt->version_written;
        if (rec.steps[i].action == LR_RA_NONE && finished_table) {
            /* Restored (and maybe validated) before the interruption: validate again so the
             * resumed run's report covers every table. */
            rec.steps[i].action = LR_RA_VALIDATE;
            rec.steps[i].recorded_version = jt->version_written;
        } else if (rec.steps[i].action == LR_RA_NONE) {
            rec.steps[i].action = LR_RA_SKIP; /* reported as skipped, with the reason */
        }
        rec.cpts[rec.count].name = jt->name;
        rec.cpts[rec.count].version = jt->target_version;
        rec.cpts[rec.count].record_count = -1;
        rec.cpts[rec.count].timestamp_ms = -1;
        for (size_t k = 0; cp && k < cp->table_count; k++)
            if (strcmp(cp->tables[k].name, jt->name) == 0)
                rec.cpts[rec.count].record_count = cp->tables[k].record_count;
        rec.tables[rec.count].cpt = &rec.cpts[rec.count];
        struct lr_table_result *r = &out->tables[rec.count];
        result_init(r, jt);
        r->checkpoint_rows = rec.cpts[rec.count].record_count;
        rec.tables[rec.count].res = r;
        if (rec.steps[i].action == LR_RA_RECORD || rec.steps[i].action == LR_RA_VALIDATE) {
            r->state = LR_TABLE_VALIDATING;
            r->version_written = rec.steps[i].recorded_version;
            rec.tables[rec.count].is_recorded = rec.steps[i].action == LR_RA_RECORD;
            /* its RESTORE commit is the table's current version: shown as already restored
             * (0 commits undone, Low), not as the commits between it and the checkpoint */
            rec.tables[rec.count].is_already_restored =
                rec.obs[i].current_version == rec.steps[i].recorded_version;
        } else if (rec.steps[i].action == LR_RA_SKIP &&
                   lr_strvec_push(&rec.tables[rec.count].blockers, rec.steps[i].reason) < 0) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            goto done;
        }
        rec.count++;
    }
    out->table_count = rec.count;
    if (rec.count == 0) {
        snprintf(why, sizeof why, "nothing left to do for run %s", req->run_id);
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
    wf_advance(&o, LR_TRIG_IMPACT_DONE);
    wf_step_end(&o, LR_STEP_IMPACT_ANALYSIS, LR_STEP_OK, NULL);
    if (!req->execute) {
        /* Nothing is written, not even an audit row: the run's own trail stays as it was. */
        wf_step_start(&o, LR_STEP_DRY_RUN, NULL);
        wf_advance(&o, LR_TRIG_DRY_RUN);
        wf_step_end(&o, LR_STEP_DRY_RUN, LR_STEP_OK, out->impact.confirmation_phrase);
        goto finished;
    }
    rc = wf_execute(&o, rec.tables, rec.count, err);
    goto finished;
refused:
    wf_refuse(&o, LR_TRIG_CHECKPOINT_INVALID, "RunResumed", why);
    wf_step_end(&o, LR_STEP_VALIDATE_CHECKPOINT, LR_STEP_FAILED, why);
finished:
    wf_finish(&o);
done:
    wf_recovery_free(&rec);
    lr_checkpoint_list_free(&cps);
    lr_run_state_free(&st);
    lr_journal_entries_free(&entries);
    return rc;
}
