/* test_undo_rehearse.c - an undo rehearsed through every step (lr_undo_request.rehearse) on a
 * small demo lakehouse after a real rollback: the same steps and table states as an executed
 * undo, each restore commit back to the pre-rollback version built for the next free version
 * and never written, the would-be state validated against the pre-rollback version, nothing
 * written but IsDryRun audit rows (run.c invariant 9); a wrong phrase is refused; a plain undo
 * dry run (no rehearse) still stops after the impact. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/delta.h"
#include "lakerewind/demo.h"
#include "lakerewind/journal.h"
#include "lakerewind/metadata.h"
#include "lakerewind/rollback.h"
#include "lakerewind/str.h"
#include "testsupport.h"

#include "demo_lake.h"

/* The undo's own phrase, from a plain undo dry run (which must stop after the impact). */
static char *undo_phrase(const struct lake *l, const char *run_id)
{
    struct lr_lakehouse_ctx ctx;
    ctx_of(l, &ctx);
    struct lr_rollback_config cfg = {0};
    struct lr_undo_request req = {run_id, false, NULL, NULL, false};
    struct seen seen = {0};
    struct lr_event_sink sink = {on_event, &seen};
    struct lr_emitter em;
    lr_emitter_init(&em, &sink, NULL);
    struct lr_run_result res;
    struct lr_error err;
    assert_int_equal(lr_undo_run(&ctx, &cfg, &req, &em, &res, &err), 0);
    lr_emitter_destroy(&em);
    assert_int_equal(res.status, LR_RUN_DRY_RUN);
    assert_false(res.is_rehearsal);
    assert_true(seen.steps[LR_STEP_DRY_RUN]);
    assert_false(seen.steps[LR_STEP_RESTORE]);
    char *phrase = lr_strdup(res.impact.confirmation_phrase);
    assert_non_null(strstr(phrase, "UNDO "));
    lr_run_result_free(&res);
    return phrase;
}

static void test_undo_rehearsal_runs_every_step_and_writes_only_audit_rows(void **state)
{
    struct lake *l = *state;
    char run_id[40];
    roll_back(l, run_id, sizeof run_id);
    int64_t restored_at = latest_version(l->store, "account");
    char *phrase = undo_phrase(l, run_id);
    char *before = keys_outside_audit(l->store);
    size_t audits = audit_commits(l->store);

    struct lr_lakehouse_ctx ctx;
    ctx_of(l, &ctx);
    struct lr_rollback_config cfg = {0};
    struct lr_undo_request req = {run_id, false, phrase, NULL, true};
    struct seen seen = {0};
    struct lr_event_sink sink = {on_event, &seen};
    struct lr_emitter em;
    lr_emitter_init(&em, &sink, NULL);
    struct lr_run_result res;
    struct lr_error err;
    assert_int_equal(lr_undo_run(&ctx, &cfg, &req, &em, &res, &err), 0);
    lr_emitter_destroy(&em);

    expect_full_rehearsal(&res, &seen);

    /* account goes back to its version before the rollback: the commit is built for the next
     * version after the rollback's RESTORE, never written; the would-be state has the rows it
     * had before the rollback (the undo's "checkpoint" is the pre-rollback version). */
    const struct lr_table_result *acc = table_of(&res, "account");
    assert_int_equal(acc->state, LR_TABLE_DONE);
    assert_int_equal(acc->version_written, -1);
    assert_int_equal(acc->pre_version, restored_at);
    assert_int_equal(acc->version_rehearsed, restored_at + 1);
    assert_int_equal(seen.account_rehearsed, restored_at + 1);
    assert_true(acc->has_validation);
    assert_true(acc->validation.passed);
    assert_int_equal(acc->rows_after, acc->checkpoint_rows);
    assert_true(acc->rows_before != acc->rows_after);
    assert_int_equal(latest_version(l->store, "account"), restored_at);

    /* invariant 9: nothing but audit rows, and those are dry-run rows */
    char *after = keys_outside_audit(l->store);
    assert_string_equal(before, after);
    assert_true(audit_commits(l->store) > audits);
    struct lr_audit_steps rows = {0};
    assert_int_equal(lr_audit_read(l->store, NULL, res.run_id, &rows, &err), 0);
    assert_true(rows.count > 0);
    bool has_dry_run_row = false;
    for (size_t i = 0; i < rows.count; i++) {
        assert_true(rows.items[i].is_dry_run);
        has_dry_run_row = has_dry_run_row || !strcmp(rows.items[i].operation, "DryRun");
    }
    assert_true(has_dry_run_row);
    lr_audit_steps_free(&rows);
    free(before);
    free(after);
    free(phrase);
    lr_run_result_free(&res);
}

static void test_undo_rehearsal_refuses_a_wrong_phrase(void **state)
{
    struct lake *l = *state;
    char run_id[40];
    roll_back(l, run_id, sizeof run_id);
    char *before = keys_outside_audit(l->store);
    struct lr_lakehouse_ctx ctx;
    ctx_of(l, &ctx);
    struct lr_rollback_config cfg = {0};
    struct lr_undo_request req = {run_id, false, "UNDO 99 TABLES OF RUN deadbeef 000000", NULL,
                                  true};
    struct lr_run_result res;
    struct lr_error err;
    assert_int_equal(lr_undo_run(&ctx, &cfg, &req, NULL, &res, &err), 0);
    assert_int_equal(res.status, LR_RUN_REFUSED);
    assert_non_null(res.refusal);
    char *after = keys_outside_audit(l->store);
    assert_string_equal(before, after);
    free(before);
    free(after);
    lr_run_result_free(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_undo_rehearsal_runs_every_step_and_writes_only_audit_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undo_rehearsal_refuses_a_wrong_phrase, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
