/* test_audit_read.c - lr_audit_read: SyncAuditLog rows written with lr_audit_row/lr_md_append
 * come back as plain structs, only the asked run's, oldest first, null cells as NULL / -1; a
 * lakehouse without an audit log reads as no rows; steps that start in the same millisecond
 * come in one order whatever the rows' (the enclosing one first, then by name and table). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/metadata.h"
#include "testsupport.h"

static void append(struct lr_store *s, const struct lr_audit_entry *e)
{
    struct lr_error err;
    json_t *rows = json_array();
    json_array_append_new(rows, lr_audit_row(e));
    struct lr_append_options o = {.is_append_only = true};
    if (lr_md_append(s, NULL, LR_MD_SYNC_AUDIT_LOG, rows, &o, &err) < 0)
        fail_msg("append: %s", err.message);
    json_decref(rows);
}

static void test_audit_read_filters_by_run_and_orders_by_time(void **state)
{
    (void)state;
    char *dir = lr_test_tmpdir("audit-read");
    struct lr_store *s = NULL;
    struct lr_error err;
    assert_int_equal(lr_store_open(&s, dir, NULL, &err), 0);
    struct lr_audit_steps steps;
    assert_int_equal(lr_audit_read(s, NULL, NULL, &steps, &err), 0); /* no audit log yet */
    assert_int_equal(steps.count, 0);
    lr_audit_steps_free(&steps);
    struct lr_audit_entry late = {.run_id = "run-a", .operation = "TableRestore",
                                  .table = "account", .status = "Failed", .records = -1,
                                  .start_ms = 1700000005000, .end_ms = 1700000006500,
                                  .executed_by = "alice", .checkpoint = "cp", .error = "boom"};
    struct lr_audit_entry early = {.run_id = "run-a", .operation = "ImpactAnalysis",
                                   .records = 12, .start_ms = 1700000001000,
                                   .end_ms = 1700000002000, .is_dry_run = true};
    struct lr_audit_entry other = {.run_id = "run-b", .operation = "DryRun", .records = -1,
                                   .start_ms = 1700000000000, .end_ms = -1};
    append(s, &late);
    append(s, &other);
    append(s, &early);
    assert_int_equal(lr_audit_read(s, NULL, "run-a", &steps, &err), 0);
    assert_int_equal(steps.count, 2);
    assert_string_equal(steps.items[0].operation, "ImpactAnalysis");
    assert_null(steps.items[0].table);
    assert_string_equal(steps.items[0].status, "Succeeded");
    assert_int_equal(steps.items[0].records, 12);
    assert_int_equal(steps.items[0].duration_ms, 1000);
    assert_true(steps.items[0].is_dry_run);
    assert_string_equal(steps.items[1].operation, "TableRestore");
    assert_string_equal(steps.items[1].table, "account");
    assert_string_equal(steps.items[1].status, "Failed");
    assert_string_equal(steps.items[1].error, "boom");
    assert_string_equal(steps.items[1].executed_by, "alice");
    assert_int_equal(steps.items[1].records, -1);
    assert_int_equal(steps.items[1].start_ms, 1700000005000);
    assert_int_equal(steps.items[1].end_ms, 1700000006500);
    lr_audit_steps_free(&steps);
    assert_int_equal(lr_audit_read(s, NULL, NULL, &steps, &err), 0);
    assert_int_equal(steps.count, 3);
    assert_string_equal(steps.items[0].run_id, "run-b");
    assert_int_equal(steps.items[0].end_ms, -1);
    assert_int_equal(steps.items[0].duration_ms, -1);
    lr_audit_steps_free(&steps);
    lr_store_close(s);
    free(dir);
}

static void test_audit_read_orders_steps_of_one_millisecond(void **state)
{
    (void)state;
    char *dir = lr_test_tmpdir("audit-order");
    struct lr_store *s = NULL;
    struct lr_error err;
    assert_int_equal(lr_store_open(&s, dir, NULL, &err), 0);
    /* a checkpoint written inside the post-rollback step: same start, earlier end; then the
     * same pair ending in the same millisecond too; two restores of one instant */
    const struct lr_audit_entry rows[] = {
        {.run_id = "r", .operation = "CheckpointCreated", .start_ms = 8000, .end_ms = 8005},
        {.run_id = "r", .operation = "PostRollbackCheckpoint", .start_ms = 8000, .end_ms = 8010},
        {.run_id = "r", .operation = "TableRestore", .table = "contact", .start_ms = 7000,
         .end_ms = 7001},
        {.run_id = "r", .operation = "TableRestore", .table = "account", .start_ms = 7000,
         .end_ms = 7001},
        {.run_id = "r", .operation = "CheckpointCreated", .start_ms = 9000, .end_ms = 9004},
        {.run_id = "r", .operation = "PostRollbackCheckpoint", .start_ms = 9000, .end_ms = 9004},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct lr_audit_entry e = rows[i];
        e.status = "Succeeded";
        e.records = -1;
        append(s, &e);
    }
    const char *want[][2] = {{"TableRestore", "account"}, {"TableRestore", "contact"},
                             {"PostRollbackCheckpoint", NULL}, {"CheckpointCreated", NULL},
                             {"PostRollbackCheckpoint", NULL}, {"CheckpointCreated", NULL}};
    struct lr_audit_steps steps;
    assert_int_equal(lr_audit_read(s, NULL, "r", &steps, &err), 0);
    assert_int_equal(steps.count, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(steps.items[i].operation, want[i][0]);
        if (want[i][1])
            assert_string_equal(steps.items[i].table, want[i][1]);
    }
    lr_audit_steps_free(&steps);
    lr_store_close(s);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_audit_read_filters_by_run_and_orders_by_time),
        cmocka_unit_test(test_audit_read_orders_steps_of_one_millisecond),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
