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

#define CHECKPOINT_MAX 64

static const char *const tables[] = {"account", "contact", "appointment"};

struct lake {
    char *dir;
    struct lr_store *store;
    char checkpoint[CHECKPOINT_MAX];
};

struct seen {
    bool steps[LR_STEP_COUNT + 1];
    bool account_states[LR_TABLE_SKIPPED + 1];
    int64_t account_rehearsed;
    bool is_rehearsal_announced;
    /* the conflict test: commit to account when the snapshot step starts */
    struct lr_store *move_account_in;
    /* the cancel test: cancel when the first table starts restoring */
    atomic_bool *cancel_on_restore;
};

static void on_event(const struct lr_event *ev, void *payload)
{
    struct seen *s = payload;
    if (ev->kind == LR_EV_RUN_STARTED)
        s->is_rehearsal_announced = ev->u.run_started.is_rehearsal;
    if (ev->kind == LR_EV_STEP_STARTED && ev->u.step.step <= LR_STEP_COUNT)
        s->steps[ev->u.step.step] = true;
    if (ev->kind == LR_EV_STEP_STARTED && ev->u.step.step == LR_STEP_PRE_ROLLBACK_SNAPSHOT &&
        s->move_account_in) {
        struct lr_delta_table *t = NULL;
        struct lr_delta_snapshot now;
        struct lr_error err;
        assert_int_equal(lr_delta_table_open(&t, s->move_account_in, "Tables/account", &err), 0);
        assert_int_equal(lr_delta_snapshot_open(&now, t, -1, &err), 0);
        const char *text = "{\"commitInfo\":{\"timestamp\":1700000000000,\"operation\":"
                           "\"WRITE\",\"operationParameters\":{}}}\n";
        assert_int_equal(lr_delta_commit_put(t, now.version + 1, text, strlen(text), &err), 0);
        lr_delta_snapshot_free(&now);
        lr_delta_table_close(t);
    }
    if (ev->kind == LR_EV_TABLE_STATE && ev->u.table.state == LR_TABLE_RESTORING &&
        s->cancel_on_restore)
        atomic_store(s->cancel_on_restore, true);
    if (ev->kind == LR_EV_TABLE_STATE && !strcmp(ev->u.table.table, "account")) {
        s->account_states[ev->u.table.state] = true;
        if (ev->u.table.version_rehearsed > 0)
            s->account_rehearsed = ev->u.table.version_rehearsed;
    }
}

static int setup(void **state)
{
    struct lake *l = calloc(1, sizeof *l);
    l->dir = lr_test_tmpdir("rehearse");
    struct lr_error err;
    assert_int_equal(lr_store_open(&l->store, l->dir, NULL, &err), 0);
    struct lr_demo_options o = {0};
    o.anchor_ms = 1795651200000; /* 2026-11-26 */
    o.scale_pct = 5;
    o.only_tables = tables;
    o.only_table_count = 3;
    struct lr_demo_summary sum;
    if (lr_demo_build(l->store, &o, &sum, &err) < 0)
        fail_msg("demo: %s", err.message);
    snprintf(l->checkpoint, sizeof l->checkpoint, "%s", sum.good_checkpoint);
    *state = l;
    return 0;
}

static int teardown(void **state)
{
    struct lake *l = *state;
    lr_store_close(l->store);
    free(l->dir);
    free(l);
    return 0;
}

/* Every key outside the audit log, one per line. */
static char *keys_outside_audit(struct lr_store *store)
{
    struct lr_store_page p;
    struct lr_error err;
    assert_int_equal(lr_store_list(store, "", NULL, &p, &err), 0);
    struct lr_buf b = LR_BUF_INIT;
    for (size_t i = 0; i < p.count; i++) {
        if (!strncmp(p.entries[i].key, "Tables/metadata/SyncAuditLog/", 29))
            continue;
        lr_buf_append_str(&b, p.entries[i].key, NULL);
        lr_buf_append(&b, "\n", 1, NULL);
    }
    lr_buf_append(&b, "", 1, NULL);
    lr_store_page_free(&p);
    return (char *)lr_buf_take(&b, NULL);
}

static size_t audit_commits(struct lr_store *store)
{
    struct lr_store_page p;
    struct lr_error err;
    assert_int_equal(lr_store_list(store, "Tables/metadata/SyncAuditLog/_delta_log/", NULL, &p,
                                   &err), 0);
    size_t n = p.count;
    lr_store_page_free(&p);
    return n;
}

static void ctx_of(const struct lake *l, struct lr_lakehouse_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->store = l->store;
    ctx->operator_name = "tester";
}

/* The phrase of a plain dry run of the same scope. */
static char *phrase_of(const struct lake *l)
{
    struct lr_lakehouse_ctx ctx;
    ctx_of(l, &ctx);
    struct lr_rollback_config cfg = {0};
    struct lr_rollback_request req = {0};
    req.checkpoint = l->checkpoint;
    struct lr_run_result res;
    struct lr_error err;
    assert_int_equal(lr_rollback_run(&ctx, &cfg, &req, NULL, &res, &err), 0);
    assert_int_equal(res.status, LR_RUN_DRY_RUN);
    char *phrase = lr_strdup(res.impact.confirmation_phrase);
    lr_run_result_free(&res);
    return phrase;
}

static const struct lr_table_result *table_of(const struct lr_run_result *r, const char *name)
{
    for (size_t i = 0; i < r->table_count; i++)
        if (!strcmp(r->tables[i].name, name))
            return &r->tables[i];
    fail_msg("no table %s in the result", name);
    return NULL;
}

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

    assert_int_equal(res.status, LR_RUN_DRY_RUN);
    assert_true(res.is_rehearsal);
    assert_true(seen.is_rehearsal_announced);
    assert_int_equal(res.rehearsal_outcome, LR_RUN_SUCCEEDED);
    assert_null(res.post_rollback_checkpoint);
    for (int s = LR_STEP_CONFIRMATION; s <= LR_STEP_REPORT; s++)
        assert_true(seen.steps[s]);
    assert_false(seen.steps[LR_STEP_DRY_RUN]);
    assert_true(seen.account_states[LR_TABLE_SNAPSHOTTING]);
    assert_true(seen.account_states[LR_TABLE_RESTORING]);
    assert_true(seen.account_states[LR_TABLE_VALIDATING]);
    assert_true(seen.account_states[LR_TABLE_DONE]);

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
