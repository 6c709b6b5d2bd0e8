/* run.h - the rollback run's state machine (design in core/workflow/run.c) and its outcome.
 *
 * The phases and triggers are data so the orchestrator, the journal replay and the tests agree
 * on one diagram: lr_run_advance() is the only way a run changes phase, and it refuses an edge
 * the diagram does not have (LR_ESTATE naming both ends). Per-table states (event.h) have their
 * own edges, checked by lr_table_state_advance(). Pure. */
#ifndef LAKEREWIND_RUN_H
#define LAKEREWIND_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "lakerewind/error.h"
#include "lakerewind/event.h"

enum lr_run_phase {
    LR_PHASE_CREATED = 0,
    LR_PHASE_CHECKPOINT_OK,  /* step 1 passed */
    LR_PHASE_ANALYSED,       /* step 2 done: impact + digest known */
    LR_PHASE_CONFIRMED,      /* step 4: the phrase matched the current digest */
    LR_PHASE_JOURNALED,      /* step 5: run_started + pre-rollback snapshot rows written */
    LR_PHASE_RESTORING,      /* step 6 under way */
    LR_PHASE_VALIDATING,     /* step 7 */
    LR_PHASE_REPORTING,      /* step 8 */
    LR_PHASE_FINISHED,       /* terminal: status says how */
    LR_PHASE_INTERRUPTED,    /* found on start: journal without run_finished */
    LR_PHASE_REHEARSING,     /* steps 5-8 rehearsed: commits built and checked, not written */
};

enum lr_run_trigger {
    LR_TRIG_CHECKPOINT_VALID = 0,
    LR_TRIG_CHECKPOINT_INVALID,
    LR_TRIG_IMPACT_DONE,
    LR_TRIG_DRY_RUN,
    LR_TRIG_CONFIRMED,
    LR_TRIG_CONFIRM_REFUSED,
    LR_TRIG_JOURNAL_WRITTEN,
    LR_TRIG_RESTORE_STARTED,
    LR_TRIG_RESTORES_DONE,
    LR_TRIG_VALIDATION_DONE,
    LR_TRIG_REPORT_DONE,
    LR_TRIG_FATAL,           /* an error that stops the run */
    LR_TRIG_RESUME,          /* INTERRUPTED -> JOURNALED (continue with the tables left) */
    LR_TRIG_DISCOVERED,      /* a journal without run_finished was found: -> INTERRUPTED */
    LR_TRIG_REHEARSE,        /* ANALYSED -> REHEARSING (lr_rollback_request.rehearse) */
    LR_TRIG_REHEARSAL_DONE,  /* REHEARSING -> FINISHED(dry-run) */
    LR_TRIG_CANCELLED,       /* RESTORING -> INTERRUPTED: stopped on request, no run_finished */
};

/* Move `*phase` along `trigger`. On success 0 (and *status is set when the new phase is
 * FINISHED: dry-run, refused or failed; REPORT_DONE leaves it to lr_run_outcome()). LR_ESTATE
 * when the diagram has no such edge. */
int lr_run_advance(enum lr_run_phase *phase, enum lr_run_trigger trigger,
                   enum lr_run_status *status, struct lr_error *err);

/* 0 when a table may go from `from` to `to`, else LR_ESTATE. */
int lr_table_state_advance(enum lr_table_state from, enum lr_table_state to,
                           struct lr_error *err);

/* The status of an executed run from its tables' end states: every table DONE -> succeeded;
 * at least one DONE and at least one FAILED or SKIPPED -> partial; none DONE -> failed (no
 * tables -> succeeded). `validation_failed` tables count as DONE but make the run partial. */
enum lr_run_status lr_run_outcome(size_t done, size_t failed, size_t skipped,
                                  size_t validation_failed);

const char *lr_run_phase_name(enum lr_run_phase p);
const char *lr_run_trigger_name(enum lr_run_trigger t);

#endif
