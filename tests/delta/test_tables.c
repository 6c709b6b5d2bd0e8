/* test_tables.c - tables written by our own commit writer: create, append, delete, restore,
 * restore the restore, checked after every step; deletion-vector identity through a restore;
 * the refusals; concurrent-writer conflict; lost-response recognition; time travel and history
 * on tables with controlled mtimes and in-commit timestamps; retention by listing. */
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "delta_fixture.h"

static void commit_v(struct fx *f, int64_t v, char *a, char *b, char *c, char *d)
{
    assert_int_equal(fx_commit(f, v, a, b, c, d, NULL), 0);
    free(a);
    free(b);
    free(c);
    free(d);
}

/* v0: a(10) b(20); v1: +c(5); v2: -a */
static void make_abc(struct fx *f, const char *config)
{
    commit_v(f, 0, fx_commit_info("CREATE TABLE"), lr_strdup(FX_PROTOCOL),
             fx_metadata("tbl-1", config), fx_add(f, "a.parquet", 100, 10));
    commit_v(f, 1, fx_commit_info("WRITE"), fx_add(f, "b.parquet", 200, 20),
             fx_add(f, "c.parquet", 50, 5), NULL);
    commit_v(f, 2, fx_commit_info("DELETE"), fx_remove("a.parquet", 100), NULL, NULL);
}

static void expect(struct fx *f, int64_t v, size_t files, int64_t rows, int64_t bytes)
{
    struct lr_delta_snapshot s;
    fx_snapshot(f, v, &s);
    assert_int_equal(s.num_files, files);
    assert_int_equal(s.num_records, rows);
    assert_int_equal(s.size_bytes, bytes);
    lr_delta_snapshot_free(&s);
}

static void test_writer_tables_create_append_delete_restore_restore_again(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-writer");
    fx_open(&f, dir);
    make_abc(&f, NULL);
    expect(&f, 0, 1, 10, 100);
    expect(&f, 1, 3, 35, 350);
    expect(&f, 2, 2, 25, 250);

    struct lr_error err;
    struct lr_delta_restore_plan plan;
    int64_t written = -1;
    int rc = fx_restore(&f, 0, "run-1", &written, &plan, &err);
    if (rc < 0)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(rc, 0);
    assert_int_equal(written, 3);
    assert_int_equal(plan.num_restored_files, 1);
    assert_int_equal(plan.num_removed_files, 2);
    assert_int_equal(plan.rows_before, 25);
    assert_int_equal(plan.rows_after, 10);
    assert_string_equal(json_string_value(json_object_get(plan.metrics, "numRestoredFiles")),
                        "1");
    assert_string_equal(json_string_value(json_object_get(plan.metrics, "removedFilesSize")),
                        "250");
    lr_delta_restore_plan_free(&plan);

    struct lr_delta_snapshot s0, s3;
    fx_snapshot(&f, 0, &s0);
    fx_snapshot(&f, -1, &s3);
    assert_int_equal(s3.version, 3);
    assert_true(fx_same_files(&s0, &s3));
    assert_int_equal(s3.num_records, 10);
    /* the commit: commitInfo first, RESTORE, metaData and protocol present */
    char path[4096];
    snprintf(path, sizeof path, "%s/_delta_log/00000000000000000003.json", dir);
    char *text = lr_test_read_file(path, NULL);
    assert_non_null(text);
    assert_true(strncmp(text, "{\"commitInfo\":{", 15) == 0);
    assert_non_null(strstr(text, "\"operation\":\"RESTORE\""));
    assert_non_null(strstr(text, "\"operationParameters\":{\"version\":0,\"timestamp\":null}"));
    assert_non_null(strstr(text, "\"engineInfo\":\"lakerewind/"));
    assert_non_null(strstr(text, "\"userName\":\"tester\""));
    assert_non_null(strstr(text, "\n{\"metaData\":"));
    assert_non_null(strstr(text, "\n{\"protocol\":"));
    assert_non_null(strstr(text, "\"extendedFileMetadata\":true"));
    free(text);
    lr_delta_snapshot_free(&s3);

    /* restore the restore: back to version 2 */
    rc = fx_restore(&f, 2, "run-2", &written, NULL, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(written, 4);
    struct lr_delta_snapshot s2, s4;
    fx_snapshot(&f, 2, &s2);
    fx_snapshot(&f, -1, &s4);
    assert_true(fx_same_files(&s2, &s4));
    assert_int_equal(s4.num_records, 25);
    assert_int_equal(s4.num_tombstones, 1); /* a.parquet removed again */
    /* history shows both restores, newest first, paged */
    struct lr_delta_history h;
    assert_int_equal(lr_delta_history_read(f.table, -1, 2, &h, &err), 0);
    assert_int_equal(h.count, 2);
    assert_int_equal(h.entries[0].version, 4);
    assert_string_equal(h.entries[0].operation, "RESTORE");
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(h.entries[0].commit_info, "operationParameters"),
                         "version")), 2);
    assert_int_equal(h.next_before, 3);
    int64_t next = h.next_before;
    lr_delta_history_free(&h);
    assert_int_equal(lr_delta_history_read(f.table, next, 2, &h, &err), 0);
    assert_int_equal(h.entries[0].version, 2);
    assert_string_equal(h.entries[0].operation, "DELETE");
    lr_delta_history_free(&h);

    lr_delta_snapshot_free(&s0);
    lr_delta_snapshot_free(&s2);
    lr_delta_snapshot_free(&s4);
    fx_close(&f);
    free(dir);
}

static void test_restore_past_deletion_vector_delete_brings_rows_back(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-dv");
    fx_open(&f, dir);
    const char *proto = "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,"
                        "\"readerFeatures\":[\"deletionVectors\"],"
                        "\"writerFeatures\":[\"deletionVectors\"]}}";
    commit_v(&f, 0, lr_strdup(proto), fx_metadata("dv", NULL), fx_add(&f, "f.parquet", 100, 10),
             NULL);
    /* inline DV: no file to check */
    const char *dvadd = "{\"add\":{\"path\":\"f.parquet\",\"partitionValues\":{},\"size\":100,"
                        "\"modificationTime\":1,\"dataChange\":true,\"stats\":"
                        "\"{\\\"numRecords\\\":10}\",\"deletionVector\":{\"storageType\":\"i\","
                        "\"pathOrInlineDv\":"
                        "\"wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L\","
                        "\"sizeInBytes\":40,\"cardinality\":3}}}";
    char *rm = fx_remove("f.parquet", 100);
    assert_int_equal(fx_commit(&f, 1, rm, dvadd, NULL), 0);
    free(rm);
    expect(&f, 1, 1, 7, 100);
    struct lr_error err;
    struct lr_delta_restore_plan plan;
    int64_t written;
    assert_int_equal(fx_restore(&f, 0, "run-dv", &written, &plan, &err), 0);
    /* same path, different DV id: one add (no DV) and one remove (with DV) */
    assert_int_equal(plan.num_restored_files, 1);
    assert_int_equal(plan.num_removed_files, 1);
    assert_int_equal(plan.rows_before, 7);
    assert_int_equal(plan.rows_after, 10);
    assert_non_null(json_object_get(json_array_get(plan.removes, 0), "deletionVector"));
    assert_null(json_object_get(json_array_get(plan.adds, 0), "deletionVector"));
    lr_delta_restore_plan_free(&plan);
    expect(&f, 2, 1, 10, 100);
    fx_close(&f);
    free(dir);
}

static bool has_refusal(const struct lr_delta_restore_plan *p, const char *kind)
{
    for (size_t i = 0; i < p->refusal_count; i++)
        if (strcmp(p->refusals[i].kind, kind) == 0)
            return true;
    return false;
}

static void test_restore_refusals_are_listed_and_block_the_commit(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-refuse");
    fx_open(&f, dir);
    make_abc(&f, "{\"delta.appendOnly\":\"true\"}");
    struct lr_error err;
    struct lr_delta_restore_plan plan;
    /* append-only: restoring to 1 removes nothing but adds a back; to 0 removes b and c */
    assert_int_equal(lr_delta_restore_plan_make(&plan, f.table, 0, NULL, &err), 0);
    assert_true(has_refusal(&plan, "append-only"));
    struct lr_delta_commit_options co = {0};
    co.run_id = "r";
    int64_t written;
    assert_int_equal(lr_delta_restore_commit(f.table, &plan, &co, &written, &err), LR_EREFUSED);
    lr_delta_restore_plan_free(&plan);
    struct lr_delta_restore_options o = {0};
    o.allow_append_only = true;
    assert_int_equal(lr_delta_restore_plan_make(&plan, f.table, 0, &o, &err), 0);
    assert_int_equal(plan.refusal_count, 0);
    assert_true(plan.warnings.count >= 1);
    lr_delta_restore_plan_free(&plan);

    /* a vacuumed data file of the target */
    char p[4096];
    snprintf(p, sizeof p, "%s/a.parquet", dir);
    assert_int_equal(unlink(p), 0);
    o.allow_append_only = true;
    assert_int_equal(lr_delta_restore_plan_make(&plan, f.table, 0, &o, &err), 0);
    assert_true(has_refusal(&plan, "missing-files"));
    for (size_t i = 0; i < plan.refusal_count; i++)
        if (strcmp(plan.refusals[i].kind, "missing-files") == 0) {
            assert_non_null(strstr(plan.refusals[i].message, "a.parquet"));
            assert_non_null(strstr(plan.refusals[i].message, "100 bytes"));
        }
    lr_delta_restore_plan_free(&plan);
    o.ignore_missing_files = true;
    assert_int_equal(lr_delta_restore_plan_make(&plan, f.table, 0, &o, &err), 0);
    assert_int_equal(plan.refusal_count, 0);
    lr_delta_restore_plan_free(&plan);
    /* the same version: nothing to do */
    assert_int_equal(lr_delta_restore_plan_make(&plan, f.table, 2, &o, &err), 0);
    assert_true(has_refusal(&plan, "nothing-to-do"));
    lr_delta_restore_plan_free(&plan);
    /* retention says which files are gone, by one listing */
    struct lr_delta_snapshot s0;
    struct lr_delta_retention r;
    fx_snapshot(&f, 0, &s0);
    assert_int_equal(lr_delta_retention_check(f.table, 0, &s0, 0, &r, &err), 0);
    assert_true(r.is_reconstructable);
    assert_int_equal(r.earliest_reconstructable, 0);
    assert_int_equal(r.missing_files, 1);
    assert_int_equal(r.missing_bytes, 100);
    assert_string_equal(r.missing_paths.items[0], "a.parquet");
    assert_int_equal(r.log_retention_ms, 30LL * 86400000);
    lr_delta_retention_free(&r);
    lr_delta_snapshot_free(&s0);
    fx_close(&f);
    free(dir);
}

static void test_restore_conflict_names_the_winning_commit(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-conflict");
    fx_open(&f, dir);
    make_abc(&f, NULL);
    struct lr_error err;
    struct lr_delta_restore_plan plan;
    assert_int_equal(lr_delta_restore_plan_make(&plan, f.table, 0, NULL, &err), 0);
    /* another writer commits version 3 after the plan */
    commit_v(&f, 3, fx_commit_info("MERGE"), fx_add(&f, "d.parquet", 10, 1), NULL, NULL);
    struct lr_delta_commit_options co = {0};
    co.run_id = "mine";
    int64_t written;
    int rc = lr_delta_restore_commit(f.table, &plan, &co, &written, &err);
    assert_int_equal(rc, LR_ECONFLICT);
    assert_non_null(strstr(err.message, "table changed since plan: version 3 by MERGE"));
    lr_delta_restore_plan_free(&plan);
    /* nothing was undone: d is still live and no version 4 exists */
    expect(&f, -1, 3, 26, 260);
    fx_close(&f);
    free(dir);
}

static void test_lost_put_response_is_recognised_by_run_id(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-lost");
    fx_open(&f, dir);
    make_abc(&f, NULL);
    struct lr_error err;
    struct lr_delta_restore_plan plan;
    assert_int_equal(lr_delta_restore_plan_make(&plan, f.table, 1, NULL, &err), 0);
    struct lr_delta_commit_options co = {0};
    co.run_id = "run-lost";
    /* the first attempt landed but its response was lost: pre-write our own commit */
    char *text;
    size_t len;
    assert_int_equal(lr_delta_restore_commit_text(&text, &len, &plan, &co, &err), 0);
    assert_int_equal(lr_delta_commit_put(f.table, 3, text, len, &err), 0);
    free(text);
    int64_t written = -1;
    assert_int_equal(lr_delta_restore_commit(f.table, &plan, &co, &written, &err), 0);
    assert_int_equal(written, 3);
    struct lr_delta_listing l;
    assert_int_equal(lr_delta_list(f.table, 0, &l, &err), 0);
    assert_int_equal(l.latest_version, 3); /* no duplicate commit */
    lr_delta_listing_free(&l);
    /* a different run id is a conflict, not success */
    co.run_id = "someone-else";
    assert_int_equal(lr_delta_restore_commit(f.table, &plan, &co, &written, &err), LR_ECONFLICT);
    assert_non_null(strstr(err.message, "version 3 by RESTORE"));
    lr_delta_restore_plan_free(&plan);
    fx_close(&f);
    free(dir);
}

static void set_mtime(const char *dir, int64_t v, int64_t ms)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/_delta_log/%020lld.json", dir, (long long)v);
    struct timeval tv[2];
    tv[0].tv_sec = tv[1].tv_sec = (time_t)(ms / 1000);
    tv[0].tv_usec = tv[1].tv_usec = (suseconds_t)((ms % 1000) * 1000);
    assert_int_equal(utimes(p, tv), 0);
}

static void test_time_travel_by_mtime_is_monotonised(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-tt");
    fx_open(&f, dir);
    make_abc(&f, NULL);
    set_mtime(dir, 0, 1700000000000);
    set_mtime(dir, 1, 1700000100000);
    set_mtime(dir, 2, 1700000050000); /* earlier than v1: becomes v1 + 1 ms */
    struct lr_error err;
    struct lr_delta_commit_time *ct;
    size_t n;
    assert_int_equal(lr_delta_commit_times(f.table, &ct, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_int_equal(ct[2].timestamp_ms, 1700000100001);
    free(ct);
    int64_t v;
    assert_int_equal(lr_delta_version_at(f.table, 1700000000000, false, &v, &err), 0);
    assert_int_equal(v, 0);
    assert_int_equal(lr_delta_version_at(f.table, 1700000099999, false, &v, &err), 0);
    assert_int_equal(v, 0);
    assert_int_equal(lr_delta_version_at(f.table, 1700000100000, false, &v, &err), 0);
    assert_int_equal(v, 1);
    assert_int_equal(lr_delta_version_at(f.table, 1700000050000, false, &v, &err), 0);
    assert_int_equal(v, 0);
    assert_int_equal(lr_delta_version_at(f.table, 1600000000000, false, &v, &err),
                     LR_ENOTFOUND);
    assert_non_null(strstr(err.message, "before the earliest"));
    assert_int_equal(lr_delta_version_at(f.table, 1800000000000, false, &v, &err), LR_ERANGE);
    assert_int_equal(lr_delta_version_at(f.table, 1800000000000, true, &v, &err), 0);
    assert_int_equal(v, 2);
    fx_close(&f);
    free(dir);
}

static void test_in_commit_timestamps_drive_time_travel_and_the_restore_commit(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-ict");
    fx_open(&f, dir);
    const char *proto = "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,"
                        "\"writerFeatures\":[\"inCommitTimestamp\",\"appendOnly\","
                        "\"invariants\"]}}";
    const char *conf = "{\"delta.enableInCommitTimestamps\":\"true\"}";
    int64_t far = 4000000000000; /* ICTs in the future: later than now */
    char *ci0 = lr_asprintf("{\"commitInfo\":{\"inCommitTimestamp\":%lld,\"timestamp\":1,"
                            "\"operation\":\"CREATE\"}}", (long long)far);
    char *ci1 = lr_asprintf("{\"commitInfo\":{\"inCommitTimestamp\":%lld,\"timestamp\":2,"
                            "\"operation\":\"WRITE\"}}", (long long)far + 1000);
    commit_v(&f, 0, ci0, lr_strdup(proto), fx_metadata("ict", conf),
             fx_add(&f, "a.parquet", 10, 1));
    commit_v(&f, 1, ci1, fx_add(&f, "b.parquet", 10, 1), NULL, NULL);
    struct lr_error err;
    int64_t v;
    assert_int_equal(lr_delta_version_at(f.table, far + 999, false, &v, &err), 0);
    assert_int_equal(v, 0);
    assert_int_equal(lr_delta_version_at(f.table, far + 1000, false, &v, &err), 0);
    assert_int_equal(v, 1);
    struct lr_delta_snapshot s;
    fx_snapshot(&f, 1, &s);
    assert_int_equal(s.timestamp_ms, far + 1000);
    lr_delta_snapshot_free(&s);
    int64_t written;
    assert_int_equal(fx_restore(&f, 0, "run-ict", &written, NULL, &err), 0);
    fx_snapshot(&f, 2, &s);
    assert_string_equal(json_string_value(json_object_get(s.commit_info, "operation")),
                        "RESTORE");
    /* monotonic: now < previous ICT, so previous + 1 */
    assert_int_equal(s.timestamp_ms, far + 1001);
    lr_delta_snapshot_free(&s);
    char p[4096];
    snprintf(p, sizeof p, "%s/_delta_log/00000000000000000002.json", dir);
    char *text = lr_test_read_file(p, NULL);
    assert_true(strncmp(text, "{\"commitInfo\":{\"inCommitTimestamp\":", 35) == 0);
    free(text);
    fx_close(&f);
    free(dir);
}

static void test_unknown_reader_feature_is_refused(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-feature");
    fx_open(&f, dir);
    const char *proto = "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,"
                        "\"readerFeatures\":[\"futureMagic\"],\"writerFeatures\":"
                        "[\"futureMagic\"]}}";
    commit_v(&f, 0, lr_strdup(proto), fx_metadata("x", NULL), NULL, NULL);
    struct lr_delta_snapshot s;
    struct lr_error err;
    assert_int_equal(lr_delta_snapshot_open(&s, f.table, -1, &err), LR_EUNSUPPORTED);
    assert_non_null(strstr(err.message, "futureMagic"));
    fx_close(&f);
    free(dir);
}

static void test_writer_feature_we_cannot_honour_refuses_the_restore(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-wfeature");
    fx_open(&f, dir);
    const char *proto = "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,"
                        "\"writerFeatures\":[\"catalogManaged\"]}}";
    commit_v(&f, 0, lr_strdup(proto), fx_metadata("x", NULL), fx_add(&f, "a.parquet", 1, 1),
             NULL);
    commit_v(&f, 1, fx_add(&f, "b.parquet", 1, 1), NULL, NULL, NULL);
    struct lr_delta_restore_plan plan;
    struct lr_error err;
    assert_int_equal(lr_delta_restore_plan_make(&plan, f.table, 0, NULL, &err), 0);
    assert_true(has_refusal(&plan, "writer-feature"));
    lr_delta_restore_plan_free(&plan);
    fx_close(&f);
    free(dir);
}

static void test_snapshot_uses_one_listing_and_one_get_per_commit(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-requests");
    fx_open(&f, dir);
    make_abc(&f, NULL);
    struct lr_store_stats a, b;
    lr_store_stats_get(f.store, &a);
    struct lr_delta_snapshot s;
    fx_snapshot(&f, -1, &s);
    lr_store_stats_get(f.store, &b);
    lr_delta_snapshot_free(&s);
    assert_int_equal(b.lists - a.lists, 1);
    /* _last_checkpoint (absent) + 3 commits */
    assert_int_equal(b.gets - a.gets, 4);
    assert_int_equal(b.heads - a.heads, 0);
    fx_close(&f);
    free(dir);
    /* a checkpointed corpus table: hint, one listing from the checkpoint, commits after it */
    char root[4096];
    snprintf(root, sizeof root, "%s/delta/golden-basic-with-inserts-deletes-checkpoint",
             lr_test_corpus());
    fx_open(&f, root);
    lr_store_stats_get(f.store, &a);
    fx_snapshot(&f, -1, &s);
    lr_store_stats_get(f.store, &b);
    assert_int_equal(s.checkpoint_version, 10);
    lr_delta_snapshot_free(&s);
    assert_int_equal(b.lists - a.lists, 1);
    fprintf(stderr, "checkpointed snapshot: %llu requests (%llu gets)\n",
            (unsigned long long)(b.requests - a.requests), (unsigned long long)(b.gets - a.gets));
    assert_true(b.requests - a.requests <= 1 + 1 + 3 + 12); /* + the checkpoint's range reads */
    fx_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writer_tables_create_append_delete_restore_restore_again),
        cmocka_unit_test(test_restore_past_deletion_vector_delete_brings_rows_back),
        cmocka_unit_test(test_restore_refusals_are_listed_and_block_the_commit),
        cmocka_unit_test(test_restore_conflict_names_the_winning_commit),
        cmocka_unit_test(test_lost_put_response_is_recognised_by_run_id),
        cmocka_unit_test(test_time_travel_by_mtime_is_monotonised),
        cmocka_unit_test(test_in_commit_timestamps_drive_time_travel_and_the_restore_commit),
        cmocka_unit_test(test_unknown_reader_feature_is_refused),
        cmocka_unit_test(test_writer_feature_we_cannot_honour_refuses_the_restore),
        cmocka_unit_test(test_snapshot_uses_one_listing_and_one_get_per_commit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
