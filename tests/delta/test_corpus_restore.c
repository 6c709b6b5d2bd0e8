/* test_corpus_restore.c - RESTORE over the real tables of ../shared/corpus/delta/: each table is
 * copied to a temporary folder and restored to each earlier reconstructable version in turn;
 * after every restore the new latest snapshot has exactly the target's live (path, DV) set,
 * re-reading the table from scratch agrees, and so does a read with _last_checkpoint removed.
 * Tables whose files are absent on purpose are restored with ignore-missing-files; a restore we
 * refuse (e.g. row tracking without row ids) must say why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "delta_fixture.h"

static json_t *manifest;
static int restores;
static int refused;

static int setup(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/delta/MANIFEST.json", lr_test_corpus());
    manifest = json_load_file(path, 0, NULL);
    return manifest ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    json_decref(manifest);
    return 0;
}

static int check_same(const char *name, const char *what, int64_t target,
                      const struct lr_delta_snapshot *want, const struct lr_delta_snapshot *got)
{
    /* a file live in both versions keeps the current action (Spark), whose stats may differ
     * in presence only: counts must agree where both are known */
    bool rows_ok = want->num_records < 0 || got->num_records < 0 ||
                   want->num_records == got->num_records;
    if (fx_same_files(want, got) && rows_ok &&
        want->size_bytes == got->size_bytes &&
        strcmp(want->metadata_id, got->metadata_id) == 0 &&
        json_equal(want->partition_columns, got->partition_columns))
        return 0;
    fprintf(stderr, "%s: restore to %lld: %s differs (%zu vs %zu files)\n", name,
            (long long)target, what, want->num_files, got->num_files);
    return 1;
}

static int restore_table(const char *name, json_t *t)
{
    char src[4096];
    snprintf(src, sizeof src, "%s/delta/%s", lr_test_corpus(), name);
    char *tmp = lr_test_tmpdir("corpus-restore");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", tmp, name);
    lr_test_copy_tree(src, dir);
    struct fx f;
    fx_open(&f, dir);
    int bad = 0;
    struct lr_error err;
    struct lr_delta_snapshot cur;
    if (lr_delta_snapshot_open(&cur, f.table, -1, &err) < 0) {
        /* only a table whose latest version is not reconstructable (a gap) may fail here */
        int64_t want_latest = json_integer_value(json_object_get(t, "latest_version"));
        size_t k;
        json_t *x;
        int ok = 0;
        json_array_foreach(json_object_get(t, "reconstructable_versions"), k, x)
            ok |= json_integer_value(x) == want_latest;
        if (ok)
            fprintf(stderr, "%s: latest: %s\n", name, err.message);
        fx_close(&f);
        free(tmp);
        return ok;
    }
    int64_t latest = cur.version;
    lr_delta_snapshot_free(&cur);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(t, "reconstructable_versions"), i, v) {
        int64_t target = json_integer_value(v);
        if (target >= latest)
            continue;
        struct lr_delta_restore_options o = {0};
        o.ignore_missing_files = true;
        o.allow_append_only = true;
        struct lr_delta_restore_plan plan;
        if (lr_delta_restore_plan_make(&plan, f.table, target, &o, &err) < 0) {
            fprintf(stderr, "%s: plan to %lld: %s\n", name, (long long)target, err.message);
            bad++;
            continue;
        }
        if (plan.refusal_count > 0) {
            refused++;
            if (strcmp(plan.refusals[0].kind, "writer-feature") != 0) {
                fprintf(stderr, "%s: restore to %lld refused: %s\n", name, (long long)target,
                        plan.refusals[0].message);
                bad++;
            }
            lr_delta_restore_plan_free(&plan);
            continue;
        }
        struct lr_delta_commit_options co = {0};
        char run[64];
        snprintf(run, sizeof run, "corpus-%s-%lld", name, (long long)target);
        co.run_id = run;
        co.write_checkpoint = true;
        int64_t written = -1;
        int rc = lr_delta_restore_commit(f.table, &plan, &co, &written, &err);
        lr_delta_restore_plan_free(&plan);
        if (rc < 0) {
            fprintf(stderr, "%s: commit to %lld: %s\n", name, (long long)target, err.message);
            bad++;
            continue;
        }
        restores++;
        struct lr_delta_snapshot want, got;
        if (lr_delta_snapshot_open(&want, f.table, target, &err) < 0 ||
            lr_delta_snapshot_open(&got, f.table, -1, &err) < 0) {
            fprintf(stderr, "%s: reading after restore to %lld: %s\n", name, (long long)target,
                    err.message);
            bad++;
            break;
        }
        if (got.version != written) {
            fprintf(stderr, "%s: latest is %lld, wrote %lld\n", name, (long long)got.version,
                    (long long)written);
            bad++;
        }
        bad += check_same(name, "latest snapshot", target, &want, &got);
        lr_delta_snapshot_free(&got);
        /* from scratch: a new store and table handle */
        struct fx g;
        fx_open(&g, dir);
        struct lr_delta_snapshot again;
        if (lr_delta_snapshot_open(&again, g.table, -1, &err) == 0) {
            bad += check_same(name, "fresh read", target, &want, &again);
            lr_delta_snapshot_free(&again);
        } else {
            fprintf(stderr, "%s: fresh read: %s\n", name, err.message);
            bad++;
        }
        /* and without the _last_checkpoint hint (a full listing) */
        char lc[8192];
        snprintf(lc, sizeof lc, "%s/_delta_log/_last_checkpoint", dir);
        char *saved_len_text = NULL;
        size_t saved_len = 0;
        saved_len_text = lr_test_read_file(lc, &saved_len);
        unlink(lc);
        if (lr_delta_snapshot_open(&again, g.table, -1, &err) == 0) {
            bad += check_same(name, "read without _last_checkpoint", target, &want, &again);
            lr_delta_snapshot_free(&again);
        } else {
            fprintf(stderr, "%s: read without _last_checkpoint: %s\n", name, err.message);
            bad++;
        }
        if (saved_len_text) {
            lr_test_write_file(lc, saved_len_text, saved_len);
            free(saved_len_text);
        }
        fx_close(&g);
        lr_delta_snapshot_free(&want);
        latest = written;
    }
    fx_close(&f);
    free(tmp);
    return bad;
}

static void test_restore_every_corpus_table_to_every_earlier_version(void **state)
{
    (void)state;
    const char *name;
    json_t *t;
    int bad = 0;
    json_object_foreach(json_object_get(manifest, "tables"), name, t)
        bad += restore_table(name, t);
    fprintf(stderr, "%d restores committed and verified, %d refused\n", restores, refused);
    assert_true(restores > 150);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restore_every_corpus_table_to_every_earlier_version),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
