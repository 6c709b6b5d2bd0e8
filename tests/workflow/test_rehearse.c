/* test_rehearse.c - a dry run through every step (lr_rollback_request.rehearse) on a small demo
 * lakehouse: the same steps and table states as an execution, the would-be state validated,
 * nothing written but IsDryRun audit rows (run.c invariant 9); a wrong phrase refused; a table
 * that moved between the analysis and the restore step reported as a conflict. And a cancel
 * request during an execution: the table in flight commits, the rest are not started, the run
 * ends interrupted and the next start finds it (invariant 10). */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/delta.h"
#include "lakerewind/demo.h"
#include "lakerewind/journal.h"
#include "lakerewind/rollback.h"
#include "lakerewind/str.h"
#include "testsupport.h"

#include "demo_lake.h"

static void test_rehearsal_runs_every_step_and_writes_only_audit_rows(void **state)
{
    struct lake *l = *state;
    char *phrase = phrase_of(l);
    char *before = keys_outside_audit(l->store);
    size_t audits = audit_commits(l->store);
    struct lr_lakehouse_ctx ctx;
    ctx_of(l, &ctx);
    struct lr_rollback_config cfg = {0};
    struct lr_rollback_request req = {0};
    req.checkpoint = l->checkpoint;
    req.rehearse = true;
    req.confirm = phrase;
    struct seen seen = {0};
    struct lr_event_sink sink = {on_event, &seen};
    struct lr_emitter em;
    lr_emitter_init(&em, &sink, NULL);
    struct lr_run_result res;
    struct lr_error err;
    assert_int_equal(lr_rollback_run(&ctx, &cfg, &req, &em, &res, &err), 0);
    lr_emitter_destroy(&em);

    expect_full_rehearsal(&res, &seen);

    /* account had the bad sync: its commit was built for the next version, never written */
    const struct lr_table_result *acc = table_of(&res, "account");
    assert_int_equal(acc->state, LR_TABLE_DONE);
    assert_int_equal(acc->version_written, -1);
    assert_int_equal(acc->version_rehearsed, acc->pre_version + 1);
    assert_int_equal(seen.account_rehearsed, acc->version_rehearsed);
    /* the would-be state matches the checkpoint: count, files, schema */
    assert_true(acc->has_validation);
    assert_true(acc->validation.passed);
    assert_int_equal(acc->rows_after, acc->checkpoint_rows);
    assert_true(acc->rows_before != acc->rows_after);
    for (size_t i = 0; i < acc->validation.count; i++)
        if (acc->validation.items[i].type == LR_VAL_FILE_SET)
            assert_true(acc->validation.items[i].passed);

    /* invariant 9: nothing but audit rows */
    char *after = keys_outside_audit(l->store);
    assert_string_equal(before, after);
    assert_true(audit_commits(l->store) > audits);
    char *json = lr_run_result_to_json(&res);
    assert_non_null(strstr(json, "\"rehearsal\": true"));
    assert_non_null(strstr(json, "\"would_end\": \"succeeded\""));
    free(json);
    free(before);
    free(after);
    free(phrase);
    lr_run_result_free(&res);
}

static void test_rehearsal_refuses_a_wrong_phrase(void **state)
{
    struct lake *l = *state;
    struct lr_lakehouse_ctx ctx;
    ctx_of(l, &ctx);
    struct lr_rollback_config cfg = {0};
    struct lr_rollback_request req = {0};
    req.checkpoint = l->checkpoint;
    req.rehearse = true;
    req.confirm = "ROLLBACK 9 TABLES TO nowhere 000000";
    struct lr_run_result res;
    struct lr_error err;
    assert_int_equal(lr_rollback_run(&ctx, &cfg, &req, NULL, &res, &err), 0);
    assert_int_equal(res.status, LR_RUN_REFUSED);
    assert_non_null(res.refusal);
    lr_run_result_free(&res);
}

static void test_rehearsal_reports_a_table_that_moved_as_a_conflict(void **state)
{
    struct lake *l = *state;
    char *before = keys_outside_audit(l->store);
    struct lr_lakehouse_ctx ctx;
    ctx_of(l, &ctx);
    struct lr_rollback_config cfg = {0};
    struct lr_rollback_request req = {0};
    req.checkpoint = l->checkpoint;
    req.rehearse = true; /* no phrase: the confirmation step is skipped */
    struct seen seen = {0};
    seen.move_account_in = l->store;
    struct lr_event_sink sink = {on_event, &seen};
    struct lr_emitter em;
    lr_emitter_init(&em, &sink, NULL);
    struct lr_run_result res;
    struct lr_error err;
    assert_int_equal(lr_rollback_run(&ctx, &cfg, &req, &em, &res, &err), 0);
    lr_emitter_destroy(&em);
    assert_int_equal(res.status, LR_RUN_DRY_RUN);
    assert_int_equal(res.rehearsal_outcome, LR_RUN_PARTIAL);
    const struct lr_table_result *acc = table_of(&res, "account");
    assert_int_equal(acc->state, LR_TABLE_SKIPPED);
    assert_non_null(strstr(acc->error, "changed since the impact analysis"));
    assert_int_equal(table_of(&res, "contact")->state, LR_TABLE_DONE);
    /* the only new key is the test's own commit */
    char *after = keys_outside_audit(l->store);
    assert_int_equal(strlen(after), strlen(before) + strlen("Tables/account/_delta_log/"
                                                            "00000000000000000000.json\n"));
    free(before);
    free(after);
    lr_run_result_free(&res);
}

static void test_cancel_stops_after_the_table_in_flight_and_leaves_the_run_interrupted(
    void **state)
{
    struct lake *l = *state;
    char *phrase = phrase_of(l);
    struct lr_lakehouse_ctx ctx;
    ctx_of(l, &ctx);
    struct lr_rollback_config cfg = {0};
    cfg.parallel = 1;
    atomic_bool cancel;
    atomic_init(&cancel, false);
    struct lr_rollback_request req = {0};
    req.checkpoint = l->checkpoint;
    req.execute = true;
    req.confirm = phrase;
    req.cancel = &cancel;
    struct seen seen = {0};
    seen.cancel_on_restore = &cancel;
    struct lr_event_sink sink = {on_event, &seen};
    struct lr_emitter em;
    lr_emitter_init(&em, &sink, NULL);
    struct lr_run_result res;
    struct lr_error err;
    assert_int_equal(lr_rollback_run(&ctx, &cfg, &req, &em, &res, &err), 0);
    lr_emitter_destroy(&em);
    assert_int_equal(res.status, LR_RUN_INTERRUPTED);
    size_t restored = 0, queued = 0;
    for (size_t i = 0; i < res.table_count; i++) {
        restored += res.tables[i].version_written >= 0;
        queued += res.tables[i].state == LR_TABLE_QUEUED;
    }
    assert_int_equal(restored, 1); /* the one in flight committed whole */
    assert_true(queued >= 1);
    assert_non_null(strstr(res.refusal, "interrupted"));

    struct lr_run_state *runs = NULL;
    size_t n = 0;
    assert_int_equal(lr_journal_find_interrupted(l->store, NULL, &runs, &n, &err), 0);
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        found = found || !strcmp(runs[i].run_id, res.run_id);
        lr_run_state_free(&runs[i]);
    }
    free(runs);
    assert_true(found);
    free(phrase);
    lr_run_result_free(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rehearsal_runs_every_step_and_writes_only_audit_rows,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_rehearsal_refuses_a_wrong_phrase, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_rehearsal_reports_a_table_that_moved_as_a_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_cancel_stops_after_the_table_in_flight_and_leaves_the_run_interrupted, setup,
            teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
