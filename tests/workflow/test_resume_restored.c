/* test_resume_restored.c - resuming a run that was interrupted after it had restored and
 * validated its tables (its journal lost run_finished): the resume's impact shows each such
 * table as already restored at its current version (the run's own RESTORE commit) with its
 * validation still to do -- 0 commits undone, nothing to add or remove, Low with that reason --
 * and not as the commits between that version and the checkpoint's. The confirmation phrase
 * keeps its format (RESUME n TABLES OF RUN xxxxxxxx digest), and the executed resume validates
 * the table without writing another commit. */
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

/* Drop the newest journal entry of `run_id` (its run_finished): the run reads as interrupted
 * after every table was restored and validated, as if killed just before its last write. */
static void drop_last_journal_entry(struct lr_store *store, const char *run_id)
{
    char prefix[128];
    snprintf(prefix, sizeof prefix, "Files/_lakerewind/runs/%s/", run_id);
    struct lr_store_page p;
    struct lr_error err;
    assert_int_equal(lr_store_list(store, prefix, NULL, &p, &err), 0);
    assert_true(p.count > 1);
    const char *last = NULL;
    for (size_t i = 0; i < p.count; i++)
        if (!last || strcmp(p.entries[i].key, last) > 0)
            last = p.entries[i].key;
    assert_int_equal(lr_store_delete(store, last, &err), 0);
    lr_store_page_free(&p);
}

static const struct lr_table_impact *impact_of(const struct lr_impact *im, const char *name)
{
    for (size_t i = 0; i < im->table_count; i++)
        if (!strcmp(im->tables[i].name, name))
            return &im->tables[i];
    fail_msg("no table %s in the impact", name);
    return NULL;
}

static void test_resume_shows_restored_tables_as_restored_with_validation_left(void **state)
{
    struct lake *l = *state;
    char run_id[40];
    roll_back(l, run_id, sizeof run_id);
    int64_t restored_at = latest_version(l->store, "account");
    drop_last_journal_entry(l->store, run_id);

    struct lr_lakehouse_ctx ctx;
    ctx_of(l, &ctx);
    struct lr_rollback_config cfg = {0};
    struct lr_undo_request req = {run_id, false, NULL, NULL, false};
    struct lr_run_result res;
    struct lr_error err;
    assert_int_equal(lr_resume_run(&ctx, &cfg, &req, NULL, &res, &err), 0);
    assert_int_equal(res.status, LR_RUN_DRY_RUN);
    assert_true(res.has_impact);
    const struct lr_table_impact *acc = impact_of(&res.impact, "account");
    assert_true(acc->is_already_restored);
    assert_int_equal(acc->current_version, restored_at);
    assert_true(acc->target_version < restored_at);
    assert_int_equal(acc->commits_undone, 0);
    assert_int_equal(acc->files_to_add, 0);
    assert_int_equal(acc->files_to_remove, 0);
    assert_int_equal(acc->delta_rows, 0);
    assert_int_equal(acc->risk.level, LR_RISK_LOW);
    assert_int_equal(acc->risk.reasons.count, 1);
    char want[128];
    snprintf(want, sizeof want, "already restored at v%lld", (long long)restored_at);
    assert_non_null(strstr(acc->risk.reasons.items[0], want));
    assert_non_null(strstr(acc->risk.reasons.items[0], "validation is still to do"));
    for (size_t i = 0; i < res.impact.table_count; i++)
        assert_true(res.impact.tables[i].is_already_restored); /* every table was restored */
    assert_int_equal(res.impact.totals.commits_undone, 0);
    assert_int_equal(res.impact.totals.high, 0);
    assert_int_equal(res.impact.totals.medium, 0);
    char *json = lr_impact_to_json(&res.impact);
    assert_non_null(strstr(json, "\"already_restored\": true"));
    free(json);

    /* the phrase keeps its format: RESUME n TABLE(S) OF RUN <8 chars> <digest> */
    const char *phrase = res.impact.confirmation_phrase;
    char expect[64];
    snprintf(expect, sizeof expect, "RESUME %zu %s OF RUN %.8s ", res.impact.table_count,
             res.impact.table_count == 1 ? "TABLE" : "TABLES", run_id);
    assert_int_equal(strncmp(phrase, expect, strlen(expect)), 0);
    assert_string_equal(phrase + strlen(expect), res.impact.plan_digest);

    /* executed: validated, no new commit */
    char *confirm = lr_strdup(phrase);
    lr_run_result_free(&res);
    struct lr_undo_request run = {run_id, true, confirm, NULL, false};
    assert_int_equal(lr_resume_run(&ctx, &cfg, &run, NULL, &res, &err), 0);
    assert_int_equal(res.status, LR_RUN_SUCCEEDED);
    for (size_t i = 0; i < res.table_count; i++) {
        assert_true(res.tables[i].has_validation);
        assert_true(res.tables[i].validation.passed);
    }
    assert_int_equal(latest_version(l->store, "account"), restored_at);
    free(confirm);
    lr_run_result_free(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_resume_shows_restored_tables_as_restored_with_validation_left, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
