/* test_badinput.c - bad logs: a malformed JSON line, an unknown action (ignored), a torn or
 * dangling _last_checkpoint, a gap in versions, a missing protocol, and a commit file of about
 * 300 MB that must be streamed with bounded memory. */
#include <sys/resource.h>
#include <unistd.h>

#include "delta_fixture.h"

static void base_table(struct fx *f)
{
    char *md = fx_metadata("bad", NULL);
    char *a = fx_add(f, "a.parquet", 10, 3);
    assert_int_equal(fx_commit(f, 0, FX_PROTOCOL, md, a, NULL), 0);
    free(md);
    free(a);
}

static void test_malformed_json_line_names_file_and_line(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-badjson");
    fx_open(&f, dir);
    base_table(&f);
    assert_int_equal(fx_commit(&f, 1, "{\"commitInfo\":{}}", "{\"add\":{\"path\":\"x\",", NULL),
                     0);
    struct lr_delta_snapshot s;
    struct lr_error err;
    assert_int_equal(lr_delta_snapshot_open(&s, f.table, -1, &err), LR_ECORRUPT);
    fprintf(stderr, "%s\n", err.message);
    assert_non_null(strstr(err.message, "00000000000000000001.json line 2"));
    assert_non_null(strstr(err.message, "invalid JSON"));
    /* the version before still opens */
    assert_int_equal(lr_delta_snapshot_open(&s, f.table, 0, &err), 0);
    lr_delta_snapshot_free(&s);
    fx_close(&f);
    free(dir);
}

/* Commits are read ahead in windows (fetched together, parsed on several threads): a bad
 * line deep in one of many commits is still reported by file and line, after the commits
 * before it were applied in order, and every version before it opens. */
static void test_malformed_line_among_many_commits_names_file_and_line(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-badjson-many");
    fx_open(&f, dir);
    base_table(&f);
    for (int v = 1; v <= 9; v++) {
        char path[32];
        snprintf(path, sizeof path, "f-%d.parquet", v);
        char *add = fx_add(&f, path, 10, v);
        const char *bad = v == 6 ? "{\"add\":{\"path\":\"oops\"" : NULL;
        assert_int_equal(fx_commit(&f, v, "{\"commitInfo\":{}}", add, bad, NULL), 0);
        free(add);
    }
    struct lr_delta_snapshot s;
    struct lr_error err;
    assert_int_equal(lr_delta_snapshot_open(&s, f.table, -1, &err), LR_ECORRUPT);
    assert_non_null(strstr(err.message, "00000000000000000006.json line 3"));
    assert_non_null(strstr(err.message, "invalid JSON"));
    for (int v = 0; v <= 5; v++) {
        assert_int_equal(lr_delta_snapshot_open(&s, f.table, v, &err), 0);
        assert_int_equal(s.version, v);
        assert_int_equal(s.num_files, (size_t)v + 1); /* base_table's file and one per commit */
        lr_delta_snapshot_free(&s);
    }
    fx_close(&f);
    free(dir);
}

static void test_unknown_actions_and_fields_are_ignored(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-unknown");
    fx_open(&f, dir);
    base_table(&f);
    assert_int_equal(fx_commit(&f, 1, "{\"someNewAction\":{\"x\":1}}",
                               "{\"add\":{\"path\":\"b\",\"size\":5,\"partitionValues\":{},"
                               "\"modificationTime\":1,\"dataChange\":true,\"futureField\":[1]}}",
                               "", "{\"cdc\":{\"path\":\"_change_data/c\",\"size\":1,"
                               "\"partitionValues\":{},\"dataChange\":false}}", NULL), 0);
    struct lr_delta_snapshot s;
    fx_snapshot(&f, -1, &s);
    assert_int_equal(s.num_files, 2);
    assert_int_equal(s.num_records, -1); /* b has no stats */
    lr_delta_snapshot_free(&s);
    fx_close(&f);
    free(dir);
}

static void write_log_file(const char *dir, const char *name, const char *text)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/_delta_log/%s", dir, name);
    lr_test_write_file(p, text, strlen(text));
}

static void test_last_checkpoint_torn_or_dangling_falls_back_to_listing(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-lastcp");
    fx_open(&f, dir);
    base_table(&f);
    char *b = fx_add(&f, "b.parquet", 5, 1);
    assert_int_equal(fx_commit(&f, 1, b, NULL), 0);
    free(b);
    struct lr_delta_snapshot s;
    struct lr_error err;
    /* torn */
    write_log_file(dir, "_last_checkpoint", "{\"version\":1,\"si");
    assert_int_equal(lr_delta_snapshot_open(&s, f.table, -1, &err), 0);
    assert_int_equal(s.version, 1);
    assert_int_equal(s.num_files, 2);
    lr_delta_snapshot_free(&s);
    /* pointing at a checkpoint that does not exist */
    write_log_file(dir, "_last_checkpoint", "{\"version\":1,\"size\":4}");
    assert_int_equal(lr_delta_snapshot_open(&s, f.table, -1, &err), 0);
    assert_int_equal(s.version, 1);
    assert_int_equal(s.num_files, 2);
    assert_int_equal(s.checkpoint_version, -1);
    lr_delta_snapshot_free(&s);
    /* newer than the log */
    write_log_file(dir, "_last_checkpoint", "{\"version\":9,\"size\":4}");
    assert_int_equal(lr_delta_snapshot_open(&s, f.table, -1, &err), 0);
    assert_int_equal(s.version, 1);
    lr_delta_snapshot_free(&s);
    fx_close(&f);
    free(dir);
}

static void test_gap_in_versions_is_an_error_naming_the_missing_commit(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-gap");
    fx_open(&f, dir);
    base_table(&f);
    assert_int_equal(fx_commit(&f, 2, "{\"commitInfo\":{}}", NULL), 0);
    struct lr_delta_snapshot s;
    struct lr_error err;
    assert_int_equal(lr_delta_snapshot_open(&s, f.table, -1, &err), LR_ECORRUPT);
    assert_non_null(strstr(err.message, "not contiguous"));
    assert_non_null(strstr(err.message, "00000000000000000001.json"));
    assert_int_equal(lr_delta_snapshot_open(&s, f.table, 1, &err), LR_ECORRUPT);
    fx_close(&f);
    free(dir);
}

static void test_missing_protocol_or_metadata_is_not_a_table_state(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-noproto");
    fx_open(&f, dir);
    char *md = fx_metadata("x", NULL);
    assert_int_equal(fx_commit(&f, 0, md, NULL), 0);
    free(md);
    struct lr_delta_snapshot s;
    struct lr_error err;
    assert_int_equal(lr_delta_snapshot_open(&s, f.table, -1, &err), LR_ECORRUPT);
    assert_non_null(strstr(err.message, "protocol"));
    /* no _delta_log at all */
    char *empty = lr_test_tmpdir("delta-empty");
    struct fx g;
    fx_open(&g, empty);
    assert_int_equal(lr_delta_snapshot_open(&s, g.table, -1, &err), LR_ENOTFOUND);
    assert_non_null(strstr(err.message, "_delta_log"));
    fx_close(&g);
    free(empty);
    fx_close(&f);
    free(dir);
}

static void truncate_file(const char *path, long keep)
{
    size_t len = 0;
    char *data = lr_test_read_file(path, &len);
    assert_non_null(data);
    assert_true((size_t)keep < len);
    lr_test_write_file(path, data, (size_t)keep);
    free(data);
}

static void copy_corpus(const char *table, char *out, size_t size)
{
    char src[4096];
    snprintf(src, sizeof src, "%s/delta/%s", lr_test_corpus(), table);
    char *tmp = lr_test_tmpdir("delta-cp");
    snprintf(out, size, "%s/t", tmp);
    lr_test_copy_tree(src, out);
    free(tmp);
}

static void test_truncated_checkpoint_falls_back_to_older_state_or_names_the_file(void **state)
{
    (void)state;
    char dir[4096], p[8192];
    struct lr_delta_snapshot s;
    struct lr_error err;
    /* all commits still there: replay from commit 0 instead */
    copy_corpus("golden-basic-with-inserts-deletes-checkpoint", dir, sizeof dir);
    snprintf(p, sizeof p, "%s/_delta_log/00000000000000000010.checkpoint.parquet", dir);
    truncate_file(p, 300);
    struct fx f;
    fx_open(&f, dir);
    fx_snapshot(&f, -1, &s);
    assert_int_equal(s.version, 13);
    assert_int_equal(s.checkpoint_version, -1);
    struct lr_delta_snapshot want;
    fx_snapshot(&f, 9, &want); /* sanity: replay works */
    lr_delta_snapshot_free(&want);
    lr_delta_snapshot_free(&s);
    fx_close(&f);
    /* commits 0-4 gone: checkpoint 10 truncated -> checkpoint 5 + commits 6..12 */
    copy_corpus("delta-rs-checkpoints_vacuumed", dir, sizeof dir);
    fx_open(&f, dir);
    struct lr_delta_snapshot before;
    fx_snapshot(&f, -1, &before);
    snprintf(p, sizeof p, "%s/_delta_log/00000000000000000010.checkpoint.parquet", dir);
    truncate_file(p, 100);
    fx_snapshot(&f, -1, &s);
    assert_int_equal(s.checkpoint_version, 5);
    assert_int_equal(s.num_files, before.num_files);
    assert_int_equal(s.size_bytes, before.size_bytes);
    lr_delta_snapshot_free(&s);
    lr_delta_snapshot_free(&before);
    /* and with checkpoint 5 broken too there is nothing left: the error names the file */
    snprintf(p, sizeof p, "%s/_delta_log/00000000000000000005.checkpoint.parquet", dir);
    truncate_file(p, 10);
    int rc = lr_delta_snapshot_open(&s, f.table, -1, &err);
    assert_true(rc < 0);
    fprintf(stderr, "%s\n", err.message);
    assert_non_null(strstr(err.message, "00000000000000000010.checkpoint.parquet"));
    fx_close(&f);
}

static void test_restore_to_a_cleaned_up_version_is_refused_with_a_reason(void **state)
{
    (void)state;
    char dir[4096];
    copy_corpus("delta-rs-checkpoints_vacuumed", dir, sizeof dir);
    struct fx f;
    fx_open(&f, dir);
    struct lr_delta_restore_plan plan;
    struct lr_error err;
    assert_int_equal(lr_delta_restore_plan_make(&plan, f.table, 3, NULL, &err), 0);
    assert_int_equal(plan.refusal_count, 1);
    assert_string_equal(plan.refusals[0].kind, "not-reconstructable");
    assert_non_null(strstr(plan.refusals[0].message, "version 3 can no longer be rebuilt"));
    struct lr_delta_commit_options co = {0};
    co.run_id = "r";
    int64_t written;
    assert_int_equal(lr_delta_restore_commit(f.table, &plan, &co, &written, &err), LR_EREFUSED);
    lr_delta_restore_plan_free(&plan);
    fx_close(&f);
}

static void test_missing_sidecar_makes_the_checkpoint_unusable(void **state)
{
    (void)state;
    char dir[4096], cmd[16384];
    copy_corpus("kernel-rs-v2-checkpoints-parquet-with-sidecars", dir, sizeof dir);
    snprintf(cmd, sizeof cmd, "rm -f %s/_delta_log/_sidecars/*", dir);
    assert_int_equal(system(cmd), 0);
    struct fx f;
    fx_open(&f, dir);
    struct lr_delta_snapshot s;
    /* every checkpoint lost its sidecars; the commits from 0 remain */
    fx_snapshot(&f, -1, &s);
    assert_int_equal(s.checkpoint_version, -1);
    assert_int_equal(s.num_files, 101);
    lr_delta_snapshot_free(&s);
    fx_close(&f);
}

#if defined(__SANITIZE_ADDRESS__)
#define LR_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LR_ASAN 1
#endif
#endif
#ifdef LR_ASAN
/* A small quarantine so freed lines are reused and RSS measures what we keep. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "quarantine_size_mb=4";
}
#endif

static long max_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void test_huge_commit_is_streamed_with_bounded_memory(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-huge");
    fx_open(&f, dir);
    base_table(&f);
    /* ~300 MB: change-data lines (legal in commits, no effect on state) plus 1000 adds */
    char p[4096];
    snprintf(p, sizeof p, "%s/_delta_log/00000000000000000001.json", dir);
    FILE *out = fopen(p, "w");
    assert_non_null(out);
    char pad[900];
    memset(pad, 'x', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    fprintf(out, "{\"commitInfo\":{\"operation\":\"WRITE\"}}\n");
    long lines = 0;
    for (long i = 0; i < 320000; i++) {
        fprintf(out, "{\"cdc\":{\"path\":\"_change_data/c-%ld.parquet\",\"partitionValues\":{},"
                "\"size\":1,\"dataChange\":false,\"tags\":{\"pad\":\"%s\"}}}\n", i, pad);
        if (i % 320 == 0) {
            fprintf(out, "{\"add\":{\"path\":\"f-%ld.parquet\",\"partitionValues\":{},\"size\":7,"
                    "\"modificationTime\":1,\"dataChange\":true,\"stats\":"
                    "\"{\\\"numRecords\\\":2}\"}}\n", i);
            lines++;
        }
    }
    long size = ftell(out);
    fclose(out);
    assert_true(size > 250L * 1024 * 1024);
    long before = max_rss_kb();
    struct lr_delta_snapshot s;
    fx_snapshot(&f, -1, &s);
    long after = max_rss_kb();
    assert_int_equal(s.num_files, (size_t)lines + 1);
    assert_int_equal(s.num_records, 3 + 2 * lines);
    lr_delta_snapshot_free(&s);
    /* the whole file would be 300 MB; streaming needs a chunk plus a line */
    fprintf(stderr, "commit %ld MB, peak RSS grew by %ld MB\n", size >> 20,
            (after - before) >> 10);
    assert_true(after - before < 120 * 1024);
    unlink(p);
    fx_close(&f);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_malformed_json_line_names_file_and_line),
        cmocka_unit_test(test_malformed_line_among_many_commits_names_file_and_line),
        cmocka_unit_test(test_unknown_actions_and_fields_are_ignored),
        cmocka_unit_test(test_last_checkpoint_torn_or_dangling_falls_back_to_listing),
        cmocka_unit_test(test_gap_in_versions_is_an_error_naming_the_missing_commit),
        cmocka_unit_test(test_missing_protocol_or_metadata_is_not_a_table_state),
        cmocka_unit_test(test_truncated_checkpoint_falls_back_to_older_state_or_names_the_file),
        cmocka_unit_test(test_missing_sidecar_makes_the_checkpoint_unusable),
        cmocka_unit_test(test_restore_to_a_cleaned_up_version_is_refused_with_a_reason),
        cmocka_unit_test(test_huge_commit_is_streamed_with_bounded_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
