/* rehearse.c - a dry run through every step (lr_rollback_request.rehearse): steps 4 to 8 with
 * the same events as an execution, and nothing written but audit rows marked IsDryRun (run.c
 * invariant 9). The phrase is checked when one is given; every table is snapshotted again (a
 * table that moved since the analysis is reported); each restore commit is built, its version
 * checked free and applied in memory (execute.c, rehearse_one); the would-be state is validated
 * like a restored table's; the report step writes one DryRun audit row instead of the journal,
 * state snapshots, post-rollback checkpoint and comparison report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/run.h"
#include "workflow/wf_internal.h"

/* Step 4. Returns false after refusing. */
static bool confirm(struct wf_orch *o, size_t count, struct lr_error *err)
{
    struct lr_run_result *out = o->out;
    wf_step_start(o, LR_STEP_CONFIRMATION, NULL);
    if (!o->confirm) {
        wf_step_end(o, LR_STEP_CONFIRMATION, LR_STEP_SKIPPED,
                    "dry run without a phrase: the confirmation is not checked");
    } else {
        char why[1024];
        if (lr_impact_confirm_check(&out->impact, o->confirm, why, sizeof why) !=
            LR_CONFIRM_OK) {
            wf_refuse(o, LR_TRIG_CONFIRM_REFUSED, "ApprovalRejected", why);
            wf_step_end(o, LR_STEP_CONFIRMATION, LR_STEP_FAILED, why);
            return false;
        }
    }
    if (out->impact.totals.blocked == count) {
        wf_refuse(o, LR_TRIG_CONFIRM_REFUSED, "ApprovalRejected",
                  "every table in scope has a blocker: nothing can be restored");
        if (o->confirm)
            wf_step_end(o, LR_STEP_CONFIRMATION, LR_STEP_FAILED, out->refusal);
        return false;
    }
    if (o->confirm) {
        wf_audit(o->ctx, out->run_id, o->target, "ApprovalGranted", NULL, "Succeeded", -1,
                 o->started_ms, true, NULL, NULL, out);
        wf_step_end(o, LR_STEP_CONFIRMATION, LR_STEP_OK, "phrase accepted (dry run)");
    }
    return true;
}

/* Step 5: what the pre-rollback snapshot would record, read again now. */
static void snapshot(struct wf_orch *o, struct wf_table *tables, size_t count)
{
    wf_step_start(o, LR_STEP_PRE_ROLLBACK_SNAPSHOT, NULL);
    size_t moved = 0;
    for (size_t i = 0; i < count; i++) {
        struct wf_table *w = &tables[i];
        struct lr_table_result *r = w->res;
        if (w->blockers.count > 0 || !w->has_cur)
            continue; /* skipped at the restore step, as in an execution */
        w->started_ms = lr_event_mono_ms();
        lr_emit_table(o->em, r->name, LR_TABLE_SNAPSHOTTING, 0, -1, NULL);
        r->pre_version = w->cur.version;
        r->rows_before = w->cur.num_records;
        struct lr_delta_snapshot now;
        struct lr_error err;
        if (lr_delta_snapshot_open(&now, w->t, -1, &err) < 0) {
            lr_emit_log(o->em, LR_LOG_WARN, r->name, "cannot read the table again: %s",
                        err.message);
            continue;
        }
        if (now.version != w->cur.version) {
            moved++;
            lr_emit_log(o->em, LR_LOG_WARN, r->name, "changed since the impact analysis "
                        "(version %lld, analysed %lld)", (long long)now.version,
                        (long long)w->cur.version);
        } else {
            lr_emit_log(o->em, LR_LOG_INFO, r->name, "pre-rollback state: version %lld, %lld "
                        "rows, %zu files (not recorded: dry run)", (long long)now.version,
                        (long long)now.num_records, now.num_files);
        }
        lr_delta_snapshot_free(&now);
    }
    wf_step_end(o, LR_STEP_PRE_ROLLBACK_SNAPSHOT, moved ? LR_STEP_WARNING : LR_STEP_OK,
                "dry run: no journal and no RollbackStateSnapshots rows written");
}

int wf_rehearse(struct wf_orch *o, struct wf_table *tables, size_t count, struct lr_error *err)
{
    struct lr_run_result *out = o->out;
    out->is_rehearsal = true;
    if (!confirm(o, count, err))
        return err->code == LR_ENOMEM ? LR_ENOMEM : 0;
    wf_advance(o, LR_TRIG_REHEARSE);
    snapshot(o, tables, count);

    /* Step 6: every commit built, checked and applied in memory, `parallel` at a time. */
    wf_step_start(o, LR_STEP_RESTORE, "dry run: commits built and checked, not written");
    struct wf_run run = {o->ctx, o->cfg, o->em, NULL, out->run_id, o->target, tables, count,
                         true, NULL};
    wf_restore_all(&run);
    wf_step_end(o, LR_STEP_RESTORE, LR_STEP_OK, NULL);

    /* Step 7: the state each commit would produce, validated like a restored table. */
    wf_step_start(o, LR_STEP_POST_VALIDATION, NULL);
    wf_validate_all(&run);
    struct wf_tally tally;
    wf_tally(out, &tally);
    wf_step_end(o, LR_STEP_POST_VALIDATION, tally.invalid ? LR_STEP_WARNING : LR_STEP_OK, NULL);

    /* Step 8: one audit row; no post-rollback checkpoint, no comparison report. */
    wf_step_start(o, LR_STEP_REPORT, NULL);
    out->rehearsal_outcome = lr_run_outcome(tally.done, tally.failed, tally.skipped,
                                            tally.invalid);
    json_t *details = json_pack("{s:b,s:s,s:I,s:I,s:I,s:I,s:f}", "rehearsal", 1,
                                "would_end", lr_run_status_name(out->rehearsal_outcome),
                                "would_restore", (json_int_t)tally.done, "failed",
                                (json_int_t)tally.failed, "skipped", (json_int_t)tally.skipped,
                                "validation_failed", (json_int_t)tally.invalid,
                                "quality_score", out->quality_score);
    wf_audit(o->ctx, out->run_id, o->target, "DryRun", NULL,
             out->rehearsal_outcome == LR_RUN_SUCCEEDED ? "Succeeded" : "Failed",
             tally.rows_changed,
             o->started_ms, true, NULL, details, out);
    json_decref(details);
    wf_advance(o, LR_TRIG_REHEARSAL_DONE);
    wf_notify(o, LR_NOTIFY_DRY_RUN);
    char detail[160];
    snprintf(detail, sizeof detail, "dry run: the run would have %s; nothing was written, no "
             "post-rollback checkpoint",
             out->rehearsal_outcome == LR_RUN_SUCCEEDED ? "succeeded"
             : out->rehearsal_outcome == LR_RUN_PARTIAL ? "been partial"
                                                        : "failed");
    wf_step_end(o, LR_STEP_REPORT, out->warnings.count ? LR_STEP_WARNING : LR_STEP_OK, detail);
    return 0;
}
