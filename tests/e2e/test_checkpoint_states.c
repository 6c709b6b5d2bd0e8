/* test_checkpoint_states.c - checkpoint validation and deactivation through the CLI, and a
 * rollback where one table's checkpoint files were vacuumed: the others still restore, the run
 * is partial (exit 4) and the report says which table and why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lakerewind/delta.h"
#include "lakerewind/metadata.h"
#include "lakerewind/str.h"
#include "testsupport.h"

static char *lake;
static struct lr_store *store;

static void append(const char *table, int first, int n)
{
    char *prefix = lr_asprintf("Tables/%s", table);
    lr_test_append_id_rows(store, prefix, first, n);
    free(prefix);
}

static int cli(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int cli(char **out, const char *fmt, ...)
{
    char args[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "XDG_CONFIG_HOME=%s/no-config '%s' --lakehouse '%s' %s 2>>%s/err",
             lake, getenv("LR_BIN"), lake, args, lake);
    return lr_test_run(cmd, out);
}

/* Take one data file of `version` away, as a DELETE and a later VACUUM would: a remove commit
 * when it is still live, then its bytes deleted. */
static void vacuum_one(const char *table, int64_t version)
{
    char *prefix = lr_asprintf("Tables/%s", table);
    struct lr_delta_table *t = NULL;
    struct lr_delta_snapshot old, now;
    struct lr_error err;
    assert_int_equal(lr_delta_table_open(&t, store, prefix, &err), 0);
    assert_int_equal(lr_delta_snapshot_open(&old, t, version, &err), 0);
    assert_int_equal(lr_delta_snapshot_open(&now, t, -1, &err), 0);
    const char *path = old.files[0]->path;
    bool live = false;
    for (size_t i = 0; i < now.num_files; i++)
        live = live || strcmp(now.files[i]->path, path) == 0;
    if (live)
        assert_int_equal(lr_table_remove_files(store, prefix, &path, 1, NULL, NULL, &err), 0);
    char *key = lr_path_join(prefix, path);
    assert_int_equal(lr_store_delete(store, key, &err), 0);
    free(key);
    lr_delta_snapshot_free(&old);
    lr_delta_snapshot_free(&now);
    lr_delta_table_close(t);
    free(prefix);
}

static void test_checkpoint_validate_deactivate_and_partial_run(void **state)
{
    (void)state;
    lake = lr_test_tmpdir("cpstates");
    struct lr_error err;
    assert_int_equal(lr_store_open(&store, lake, NULL, &err), 0);
    const char *tables[] = {"lead", "opportunity"};
    for (int t = 0; t < 2; t++)
        for (int b = 0; b < 2; b++)
            append(tables[t], b * 10, 10);
    char *out = NULL;
    assert_int_equal(cli(&out, "checkpoints create cp-a --type PreDeployment"), 0);
    free(out);
    assert_int_equal(cli(&out, "checkpoints create cp-b --type Manual"), 0);
    free(out);
    assert_int_equal(cli(&out, "checkpoints validate cp-a"), 0);
    free(out);

    /* Deactivation: listed as inactive, refused as a rollback target. */
    assert_int_equal(cli(&out, "checkpoints deactivate cp-b"), 0);
    free(out);
    assert_int_equal(cli(&out, "checkpoints show cp-b --json"), 0);
    json_t *cp = lr_test_json(out);
    free(out);
    assert_true(json_is_false(json_object_get(cp, "is_active")));
    json_decref(cp);
    assert_int_equal(cli(&out, "rollback cp-b --json"), 3);
    json_t *r = lr_test_json(out);
    free(out);
    assert_non_null(strstr(json_string_value(json_object_get(r, "refusal")), "not active"));
    json_decref(r);

    /* The bad sync, and one of opportunity's checkpoint files vacuumed. */
    append("lead", 100, 5);
    append("opportunity", 100, 5);
    vacuum_one("opportunity", 1); /* cp-a holds version 1 */
    assert_int_equal(cli(&out, "checkpoints validate cp-a"), 3);
    assert_non_null(strstr(out, "opportunity"));
    free(out);
    assert_int_equal(cli(&out, "rollback cp-a --json"), 3);
    r = lr_test_json(out);
    free(out);
    assert_non_null(strstr(json_string_value(json_object_get(r, "refusal")), "not validated"));
    json_decref(r);

    /* A fresh validated checkpoint of both tables, then opportunity loses a file of it. */
    assert_int_equal(cli(&out, "checkpoints create cp-c --type Manual"), 0);
    free(out);
    append("lead", 200, 5);
    append("opportunity", 200, 5);
    vacuum_one("opportunity", 3); /* cp-c holds version 3 (2 appends, the sync, the delete) */
    assert_int_equal(cli(&out, "rollback cp-c --json"), 5);
    json_t *im = lr_test_json(out);
    free(out);
    json_t *topp = json_array_get(json_object_get(im, "tables"), 1);
    assert_string_equal(json_string_value(json_object_get(topp, "name")), "opportunity");
    assert_true(json_array_size(json_object_get(topp, "blockers")) >= 1);
    assert_string_equal(json_string_value(json_object_get(topp, "risk")), "High");
    char phrase[512];
    snprintf(phrase, sizeof phrase, "%s",
             json_string_value(json_object_get(im, "confirmation_phrase")));
    assert_non_null(strstr(phrase, " I ACCEPT HIGH RISK ON "));
    json_decref(im);
    assert_int_equal(cli(&out, "rollback cp-c --execute --confirm '%s' --json", phrase), 4);
    r = lr_test_json(out);
    free(out);
    assert_string_equal(json_string_value(json_object_get(r, "status")), "partial");
    json_t *t0 = json_array_get(json_object_get(r, "tables"), 0);
    json_t *t1 = json_array_get(json_object_get(r, "tables"), 1);
    assert_string_equal(json_string_value(json_object_get(t0, "status")), "done");
    assert_string_equal(json_string_value(json_object_get(t1, "status")), "skipped");
    assert_non_null(strstr(json_string_value(json_object_get(t1, "error")), "gone from the store"));
    json_decref(r);
    lr_store_close(store);
    free(lake);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checkpoint_validate_deactivate_and_partial_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
