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
    l->dir = lr_test_tmpdir("undo-rehearse");
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

/* A real rollback of the lakehouse to its good checkpoint; its run id into `run_id`. */
static void roll_back(const struct lake *l, char *run_id, size_t cap)
{
    char *phrase = phrase_of(l);
    struct lr_lakehouse_ctx ctx;
    ctx_of(l, &ctx);
    struct lr_rollback_config cfg = {0};
    struct lr_rollback_request req = {0};
    req.checkpoint = l->checkpoint;
    req.execute = true;
    req.confirm = phrase;
    struct lr_run_result res;
    struct lr_error err;
    assert_int_equal(lr_rollback_run(&ctx, &cfg, &req, NULL, &res, &err), 0);
    assert_int_equal(res.status, LR_RUN_SUCCEEDED);
    snprintf(run_id, cap, "%s", res.run_id);
    lr_run_result_free(&res);
    free(phrase);
}

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

static int64_t latest_version(struct lr_store *store, const char *table)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "Tables/%s", table);
    struct lr_delta_table *t = NULL;
    struct lr_delta_snapshot s;
    struct lr_error err;
    assert_int_equal(lr_delta_table_open(&t, store, prefix, &err), 0);
    assert_int_equal(lr_delta_snapshot_open(&s, t, -1, &err), 0);
    int64_t v = s.version;
    lr_delta_snapshot_free(&s);
    lr_delta_table_close(t);
    return v;
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
