/* test_run.c - the run state machine's edges (run.c diagram) and the outcome rule. */
#include <string.h>

#include "lakerewind/run.h"
#include "testsupport.h"

static enum lr_run_phase walk(const enum lr_run_trigger *t, size_t n, enum lr_run_status *st)
{
    enum lr_run_phase p = LR_PHASE_CREATED;
    struct lr_error err;
    for (size_t i = 0; i < n; i++)
        if (lr_run_advance(&p, t[i], st, &err) < 0)
            fail_msg("step %zu: %s", i, err.message);
    return p;
}

static void test_run_dry_run_path_ends_in_dry_run(void **state)
{
    (void)state;
    enum lr_run_trigger t[] = {LR_TRIG_CHECKPOINT_VALID, LR_TRIG_IMPACT_DONE, LR_TRIG_DRY_RUN};
    enum lr_run_status st = LR_RUN_SUCCEEDED;
    assert_int_equal(walk(t, 3, &st), LR_PHASE_FINISHED);
    assert_int_equal(st, LR_RUN_DRY_RUN);
}

/* Invariants 9 and 10: a rehearsal ends as a dry run without ever reaching JOURNALED; a cancel
 * while restoring leaves the run INTERRUPTED (its journal unfinished). */
static void test_run_rehearsal_and_cancel_paths(void **state)
{
    (void)state;
    enum lr_run_trigger t[] = {LR_TRIG_CHECKPOINT_VALID, LR_TRIG_IMPACT_DONE, LR_TRIG_REHEARSE,
                               LR_TRIG_REHEARSAL_DONE};
    enum lr_run_status st = LR_RUN_SUCCEEDED;
    assert_int_equal(walk(t, 4, &st), LR_PHASE_FINISHED);
    assert_int_equal(st, LR_RUN_DRY_RUN);
    struct lr_error err;
    enum lr_run_phase p = LR_PHASE_REHEARSING;
    assert_int_equal(lr_run_advance(&p, LR_TRIG_JOURNAL_WRITTEN, &st, &err), LR_ESTATE);
    assert_int_equal(lr_run_advance(&p, LR_TRIG_RESTORE_STARTED, &st, &err), LR_ESTATE);
    enum lr_run_trigger c[] = {LR_TRIG_CHECKPOINT_VALID, LR_TRIG_IMPACT_DONE, LR_TRIG_CONFIRMED,
                               LR_TRIG_JOURNAL_WRITTEN,  LR_TRIG_RESTORE_STARTED,
                               LR_TRIG_CANCELLED};
    assert_int_equal(walk(c, 6, &st), LR_PHASE_INTERRUPTED);
    assert_int_equal(st, LR_RUN_INTERRUPTED);
    assert_string_equal(lr_run_phase_name(LR_PHASE_REHEARSING), "rehearsing");
    assert_string_equal(lr_run_trigger_name(LR_TRIG_CANCELLED), "cancelled");
    assert_string_equal(lr_run_status_name(LR_RUN_INTERRUPTED), "interrupted");
}

static void test_run_execute_path_and_refusals(void **state)
{
    (void)state;
    enum lr_run_trigger t[] = {LR_TRIG_CHECKPOINT_VALID, LR_TRIG_IMPACT_DONE, LR_TRIG_CONFIRMED,
                               LR_TRIG_JOURNAL_WRITTEN,  LR_TRIG_RESTORE_STARTED,
                               LR_TRIG_RESTORES_DONE,    LR_TRIG_VALIDATION_DONE,
                               LR_TRIG_REPORT_DONE};
    enum lr_run_status st = LR_RUN_PARTIAL;
    assert_int_equal(walk(t, 8, &st), LR_PHASE_FINISHED);
    assert_int_equal(st, LR_RUN_PARTIAL); /* left to lr_run_outcome */
    enum lr_run_trigger bad[] = {LR_TRIG_CHECKPOINT_INVALID};
    assert_int_equal(walk(bad, 1, &st), LR_PHASE_FINISHED);
    assert_int_equal(st, LR_RUN_REFUSED);
    enum lr_run_trigger wrong[] = {LR_TRIG_CHECKPOINT_VALID, LR_TRIG_IMPACT_DONE,
                                   LR_TRIG_CONFIRM_REFUSED};
    assert_int_equal(walk(wrong, 3, &st), LR_PHASE_FINISHED);
    assert_int_equal(st, LR_RUN_REFUSED);
}

static void test_run_invariant_2_no_restore_before_journal(void **state)
{
    (void)state;
    enum lr_run_phase p = LR_PHASE_CONFIRMED;
    struct lr_error err;
    assert_int_equal(lr_run_advance(&p, LR_TRIG_RESTORE_STARTED, NULL, &err), LR_ESTATE);
    assert_non_null(strstr(err.message, "confirmed"));
    p = LR_PHASE_ANALYSED;
    assert_int_equal(lr_run_advance(&p, LR_TRIG_JOURNAL_WRITTEN, NULL, &err), LR_ESTATE);
    p = LR_PHASE_CREATED;
    assert_int_equal(lr_run_advance(&p, LR_TRIG_CONFIRMED, NULL, &err), LR_ESTATE);
}

static void test_run_interrupted_resume_and_fatal(void **state)
{
    (void)state;
    enum lr_run_phase p = LR_PHASE_RESTORING;
    enum lr_run_status st = LR_RUN_SUCCEEDED;
    struct lr_error err;
    assert_int_equal(lr_run_advance(&p, LR_TRIG_DISCOVERED, &st, &err), 0);
    assert_int_equal(p, LR_PHASE_INTERRUPTED);
    assert_int_equal(lr_run_advance(&p, LR_TRIG_RESUME, &st, &err), 0);
    assert_int_equal(p, LR_PHASE_JOURNALED);
    assert_int_equal(lr_run_advance(&p, LR_TRIG_FATAL, &st, &err), 0);
    assert_int_equal(p, LR_PHASE_FINISHED);
    assert_int_equal(st, LR_RUN_FAILED);
    assert_int_equal(lr_run_advance(&p, LR_TRIG_FATAL, &st, &err), LR_ESTATE);
    p = LR_PHASE_ANALYSED;
    assert_int_equal(lr_run_advance(&p, LR_TRIG_DISCOVERED, &st, &err), LR_ESTATE);
}

static void test_table_state_edges(void **state)
{
    (void)state;
    struct lr_error err;
    assert_int_equal(lr_table_state_advance(LR_TABLE_QUEUED, LR_TABLE_SNAPSHOTTING, &err), 0);
    assert_int_equal(lr_table_state_advance(LR_TABLE_RESTORING, LR_TABLE_VALIDATING, &err), 0);
    assert_int_equal(lr_table_state_advance(LR_TABLE_VALIDATING, LR_TABLE_DONE, &err), 0);
    assert_int_equal(lr_table_state_advance(LR_TABLE_DONE, LR_TABLE_RESTORING, &err), LR_ESTATE);
    assert_int_equal(lr_table_state_advance(LR_TABLE_QUEUED, LR_TABLE_DONE, &err), LR_ESTATE);
    assert_int_equal(lr_table_state_advance(LR_TABLE_SKIPPED, LR_TABLE_FAILED, &err), LR_ESTATE);
}

static void test_run_outcome_rule(void **state)
{
    (void)state;
    assert_int_equal(lr_run_outcome(3, 0, 0, 0), LR_RUN_SUCCEEDED);
    assert_int_equal(lr_run_outcome(2, 1, 0, 0), LR_RUN_PARTIAL);
    assert_int_equal(lr_run_outcome(2, 0, 1, 0), LR_RUN_PARTIAL);
    assert_int_equal(lr_run_outcome(3, 0, 0, 1), LR_RUN_PARTIAL);
    assert_int_equal(lr_run_outcome(0, 2, 1, 0), LR_RUN_FAILED);
    assert_int_equal(lr_run_outcome(0, 0, 0, 0), LR_RUN_SUCCEEDED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_dry_run_path_ends_in_dry_run),
        cmocka_unit_test(test_run_execute_path_and_refusals),
        cmocka_unit_test(test_run_rehearsal_and_cancel_paths),
        cmocka_unit_test(test_run_invariant_2_no_restore_before_journal),
        cmocka_unit_test(test_run_interrupted_resume_and_fatal),
        cmocka_unit_test(test_table_state_edges),
        cmocka_unit_test(test_run_outcome_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
