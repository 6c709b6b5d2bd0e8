/* run.c - the state machine of a rollback run (one run id through every step).
 *
 *   CREATED --CHECKPOINT_VALID--> CHECKPOINT_OK --IMPACT_DONE--> ANALYSED
 *      |                                                            |  |  |
 *      +--CHECKPOINT_INVALID--> FINISHED(refused)      DRY_RUN <----+  |  +--CONFIRM_REFUSED-->
 *                                 ^   ^   ^            FINISHED(dry-run)  |   FINISHED(refused)
 *                                 |   |   |                        CONFIRMED
 *                                 |   |   |                           | JOURNAL_WRITTEN
 *                                 |   |   |       RESUME              v
 *                                 |   |   |  INTERRUPTED --------> JOURNALED
 *                                 |   |   |      ^                    | RESTORE_STARTED
 *                                 |   |   |      | DISCOVERED         v
 *                                 |   |   |  (any phase from      RESTORING
 *                                 |   |   |   JOURNALED on, in        | RESTORES_DONE
 *                                 |   |   |   a later process)        v
 *                                 |   |   +------ FATAL ------  VALIDATING
 *                                 |   |       (failed)                | VALIDATION_DONE
 *                                 |   |                               v
 *                                 |   +-------- REPORT_DONE ----- REPORTING
 *                                 |        (succeeded / partial / failed by lr_run_outcome)
 *                                 +-- FATAL before JOURNALED: failed, nothing was written
 *
 *   A rehearsal (a dry run through every step, lr_rollback_request.rehearse):
 *     ANALYSED --(phrase checked when given)--REHEARSE--> REHEARSING --REHEARSAL_DONE-->
 *     FINISHED(dry-run)
 *   Stopping on request (lr_rollback_request.cancel set while restoring):
 *     RESTORING --CANCELLED--> INTERRUPTED (this process ends the run there; the journal has no
 *     run_finished, so the next start finds it like a killed run)
 *
 * Who makes each transition (the orchestrator, core/workflow/rollback.c, calls lr_run_advance):
 *   CHECKPOINT_VALID/INVALID  after lr_checkpoint_validate (step 1)
 *   IMPACT_DONE               after lr_impact_build (step 2)
 *   DRY_RUN                   when --execute was not given (step 3; audit row DryRun)
 *   CONFIRMED/CONFIRM_REFUSED after lr_confirm_check against a digest recomputed just now (4)
 *   JOURNAL_WRITTEN           after lr_journal_append(run_started) and the PreRollback
 *                             RollbackStateSnapshots rows (step 5)
 *   RESTORE_STARTED / RESTORES_DONE around the per-table restores (step 6)
 *   VALIDATION_DONE           after every restored table's checks (step 7)
 *   REPORT_DONE               after the PostRollback checkpoint, comparison and audit rows (8)
 *   DISCOVERED / RESUME       lr_journal_find_interrupted on start; `rollback --resume`
 *
 * Invariants (tests cite them by number):
 *   (1) Nothing but audit rows is written before CONFIRMED; a dry run writes only audit rows.
 *   (2) No table is written before the journal holds its pre-rollback version (run_started
 *       lists every table with pre_version and target_version).
 *   (3) A table is restored only with the Delta commit's put-if-absent at pre_version + 1 (or
 *       the version the recovery plan expects): a table that moved since the analysis is
 *       skipped and reported, never restored over unseen commits.
 *   (4) Each table is one atomic commit: at any instant a table is at its pre-rollback or its
 *       checkpoint content, whatever kills the process.
 *   (5) A table_intent entry precedes each restore commit and a table_restored / failed /
 *       skipped entry follows it; the commit carries the run id (txnId, tags) so a commit whose
 *       journal entry was lost is recognised as ours (recovery action RECORD).
 *   (6) The confirmation is checked against a digest computed from the tables' versions read
 *       after the phrase was given, so a plan that changed is refused before any write.
 *   (7) run_finished is the last journal entry; a journal without it is an interrupted run,
 *       reported on the next start and finished by resume or reversed by undo.
 *   (8) Undo is itself a run (kind undo, of_run = the original) with the same safeguards.
 *   (9) A rehearsal writes only audit rows (IsDryRun true), like a dry run: no journal, no
 *       RollbackStateSnapshots, no restore commit (each is built, its version checked free
 *       and applied in memory, never put), no post-rollback checkpoint, no comparison report.
 *  (10) A cancel request starts no new table restore; a restore already committing finishes
 *       (invariant 4), and the run ends INTERRUPTED without run_finished (invariant 7).
 */
#include "lakerewind/run.h"

#include <stdio.h>

const char *lr_run_phase_name(enum lr_run_phase p)
{
    static const char *n[] = {"created",    "checkpoint_ok", "analysed",  "confirmed",
                              "journaled",  "restoring",     "validating", "reporting",
                              "finished",   "interrupted",   "rehearsing"};
    return (size_t)p < sizeof n / sizeof n[0] ? n[p] : "unknown";
}

const char *lr_run_trigger_name(enum lr_run_trigger t)
{
    static const char *n[] = {"checkpoint_valid", "checkpoint_invalid", "impact_done",
                              "dry_run",          "confirmed",          "confirm_refused",
                              "journal_written",  "restore_started",    "restores_done",
                              "validation_done",  "report_done",        "fatal",
                              "resume",           "discovered",         "rehearse",
                              "rehearsal_done",   "cancelled"};
    return (size_t)t < sizeof n / sizeof n[0] ? n[t] : "unknown";
}

struct edge {
    enum lr_run_phase from;
    enum lr_run_trigger trigger;
    enum lr_run_phase to;
    int status; /* enum lr_run_status set on the way to FINISHED, -1 none */
};

static const struct edge edges[] = {
    {LR_PHASE_CREATED, LR_TRIG_CHECKPOINT_VALID, LR_PHASE_CHECKPOINT_OK, -1},
    {LR_PHASE_CREATED, LR_TRIG_CHECKPOINT_INVALID, LR_PHASE_FINISHED, LR_RUN_REFUSED},
    {LR_PHASE_CHECKPOINT_OK, LR_TRIG_IMPACT_DONE, LR_PHASE_ANALYSED, -1},
    {LR_PHASE_ANALYSED, LR_TRIG_DRY_RUN, LR_PHASE_FINISHED, LR_RUN_DRY_RUN},
    {LR_PHASE_ANALYSED, LR_TRIG_CONFIRMED, LR_PHASE_CONFIRMED, -1},
    {LR_PHASE_ANALYSED, LR_TRIG_CONFIRM_REFUSED, LR_PHASE_FINISHED, LR_RUN_REFUSED},
    {LR_PHASE_CONFIRMED, LR_TRIG_JOURNAL_WRITTEN, LR_PHASE_JOURNALED, -1},
    {LR_PHASE_JOURNALED, LR_TRIG_RESTORE_STARTED, LR_PHASE_RESTORING, -1},
    {LR_PHASE_RESTORING, LR_TRIG_RESTORES_DONE, LR_PHASE_VALIDATING, -1},
    {LR_PHASE_VALIDATING, LR_TRIG_VALIDATION_DONE, LR_PHASE_REPORTING, -1},
    {LR_PHASE_REPORTING, LR_TRIG_REPORT_DONE, LR_PHASE_FINISHED, -1},
    {LR_PHASE_INTERRUPTED, LR_TRIG_RESUME, LR_PHASE_JOURNALED, -1},
    {LR_PHASE_JOURNALED, LR_TRIG_DISCOVERED, LR_PHASE_INTERRUPTED, -1},
    {LR_PHASE_RESTORING, LR_TRIG_DISCOVERED, LR_PHASE_INTERRUPTED, -1},
    {LR_PHASE_VALIDATING, LR_TRIG_DISCOVERED, LR_PHASE_INTERRUPTED, -1},
    {LR_PHASE_REPORTING, LR_TRIG_DISCOVERED, LR_PHASE_INTERRUPTED, -1},
    {LR_PHASE_ANALYSED, LR_TRIG_REHEARSE, LR_PHASE_REHEARSING, -1},
    {LR_PHASE_REHEARSING, LR_TRIG_REHEARSAL_DONE, LR_PHASE_FINISHED, LR_RUN_DRY_RUN},
    {LR_PHASE_RESTORING, LR_TRIG_CANCELLED, LR_PHASE_INTERRUPTED, LR_RUN_INTERRUPTED},
};

int lr_run_advance(enum lr_run_phase *phase, enum lr_run_trigger trigger,
                   enum lr_run_status *status, struct lr_error *err)
{
    if (trigger == LR_TRIG_FATAL && *phase != LR_PHASE_FINISHED &&
        *phase != LR_PHASE_INTERRUPTED) {
        *phase = LR_PHASE_FINISHED;
        if (status)
            *status = LR_RUN_FAILED;
        return 0;
    }
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        if (edges[i].from == *phase && edges[i].trigger == trigger) {
            *phase = edges[i].to;
            if (status && edges[i].status >= 0)
                *status = (enum lr_run_status)edges[i].status;
            return 0;
        }
    }
    return lr_error_set(err, LR_ESTATE, "a run in phase %s cannot take '%s'",
                        lr_run_phase_name(*phase), lr_run_trigger_name(trigger));
}

int lr_table_state_advance(enum lr_table_state from, enum lr_table_state to,
                           struct lr_error *err)
{
    bool ok = false;
    switch (from) {
    case LR_TABLE_QUEUED:
        ok = to == LR_TABLE_SNAPSHOTTING || to == LR_TABLE_RESTORING || to == LR_TABLE_SKIPPED ||
             to == LR_TABLE_FAILED;
        break;
    case LR_TABLE_SNAPSHOTTING:
        ok = to == LR_TABLE_RESTORING || to == LR_TABLE_SKIPPED || to == LR_TABLE_FAILED;
        break;
    case LR_TABLE_RESTORING:
        ok = to == LR_TABLE_VALIDATING || to == LR_TABLE_DONE || to == LR_TABLE_SKIPPED ||
             to == LR_TABLE_FAILED;
        break;
    case LR_TABLE_VALIDATING:
        ok = to == LR_TABLE_DONE || to == LR_TABLE_FAILED;
        break;
    default:
        ok = false; /* DONE, FAILED and SKIPPED are final */
    }
    if (ok)
        return 0;
    return lr_error_set(err, LR_ESTATE, "a table cannot go from %s to %s",
                        lr_table_state_name(from), lr_table_state_name(to));
}

enum lr_run_status lr_run_outcome(size_t done, size_t failed, size_t skipped,
                                  size_t validation_failed)
{
    if (done == 0 && (failed > 0 || skipped > 0))
        return LR_RUN_FAILED;
    if (failed > 0 || skipped > 0 || validation_failed > 0)
        return LR_RUN_PARTIAL;
    return LR_RUN_SUCCEEDED;
}
