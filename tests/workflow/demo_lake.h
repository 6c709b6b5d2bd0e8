/* demo_lake.h - a three-table demo lakehouse (account, contact, appointment at 5% scale, as of
 * 2026-11-26) for the workflow tests that run whole rollbacks, undos and rehearsals against it,
 * with the event recorder and the helpers they share. Static inline functions only: included by
 * each test program that needs it. */
#ifndef LR_TEST_DEMO_LAKE_H
#define LR_TEST_DEMO_LAKE_H

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

static inline void on_event(const struct lr_event *ev, void *payload)
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

static inline int setup(void **state)
{
    struct lake *l = calloc(1, sizeof *l);
    l->dir = lr_test_tmpdir("demo-lake");
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

static inline int teardown(void **state)
{
    struct lake *l = *state;
    lr_store_close(l->store);
    free(l->dir);
    free(l);
    return 0;
}

/* Every key outside the audit log, one per line. */
static inline char *keys_outside_audit(struct lr_store *store)
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

static inline size_t audit_commits(struct lr_store *store)
{
    struct lr_store_page p;
    struct lr_error err;
    assert_int_equal(lr_store_list(store, "Tables/metadata/SyncAuditLog/_delta_log/", NULL, &p,
                                   &err), 0);
    size_t n = p.count;
    lr_store_page_free(&p);
    return n;
}

static inline void ctx_of(const struct lake *l, struct lr_lakehouse_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->store = l->store;
    ctx->operator_name = "tester";
}

/* The phrase of a plain dry run of the same scope. */
static inline char *phrase_of(const struct lake *l)
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

static inline const struct lr_table_result *table_of(const struct lr_run_result *r,
                                                     const char *name)
{
    for (size_t i = 0; i < r->table_count; i++)
        if (!strcmp(r->tables[i].name, name))
            return &r->tables[i];
    fail_msg("no table %s in the result", name);
    return NULL;
}

/* A real rollback of the lakehouse to its good checkpoint; its run id into `run_id`. */
static inline void roll_back(const struct lake *l, char *run_id, size_t cap)
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

/* The latest version of Tables/<table>. */
static inline int64_t latest_version(struct lr_store *store, const char *table)
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

/* What every rehearsal must show: a dry run whose rehearsed outcome succeeded, announced as a
 * rehearsal, through every step from the confirmation to the report (and no separate dry-run
 * step), with account passing through every state, and no post-rollback checkpoint. */
static inline void expect_full_rehearsal(const struct lr_run_result *res, const struct seen *seen)
{
    assert_int_equal(res->status, LR_RUN_DRY_RUN);
    assert_true(res->is_rehearsal);
    assert_true(seen->is_rehearsal_announced);
    assert_int_equal(res->rehearsal_outcome, LR_RUN_SUCCEEDED);
    assert_null(res->post_rollback_checkpoint);
    for (int s = LR_STEP_CONFIRMATION; s <= LR_STEP_REPORT; s++)
        assert_true(seen->steps[s]);
    assert_false(seen->steps[LR_STEP_DRY_RUN]);
    assert_true(seen->account_states[LR_TABLE_SNAPSHOTTING]);
    assert_true(seen->account_states[LR_TABLE_RESTORING]);
    assert_true(seen->account_states[LR_TABLE_VALIDATING]);
    assert_true(seen->account_states[LR_TABLE_DONE]);
}

#endif
