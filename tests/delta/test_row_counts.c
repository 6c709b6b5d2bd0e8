/* test_row_counts.c - lr_delta_row_counts: the rows of every version of a range agree with a
 * full snapshot of that version; a file without stats makes the count unknown until it is
 * removed; a DV update replaces its file; a range starting mid-log; bad ranges; a gap;
 * snapshot totals read over a checkpoint. And
 * lr_delta_commit_facts_of: writer, engine, parameters and reported rows of history entries. */
#include <unistd.h>

#include "delta_fixture.h"

static void commit_v(struct fx *f, int64_t v, char *a, char *b, char *c)
{
    assert_int_equal(fx_commit(f, v, a, b, c, NULL), 0);
    free(a);
    free(b);
    free(c);
}

static char *add_without_stats(const char *path)
{
    return lr_asprintf("{\"add\":{\"path\":\"%s\",\"partitionValues\":{},\"size\":10,"
                       "\"modificationTime\":1,\"dataChange\":true}}", path);
}

/* v0 a(10); v1 +b(20) +c(5); v2 -a; v3 +d(no stats); v4 -d; v5 +e(7) */
static void make_table(struct fx *f)
{
    char *md = fx_metadata("rows-1", NULL);
    assert_int_equal(fx_commit(f, 0, FX_PROTOCOL, md, NULL), 0);
    free(md);
    commit_v(f, 1, fx_commit_info("WRITE"), fx_add(f, "a.parquet", 100, 10), NULL);
    commit_v(f, 2, fx_add(f, "b.parquet", 200, 20), fx_add(f, "c.parquet", 50, 5), NULL);
    commit_v(f, 3, fx_commit_info("DELETE"), fx_remove("a.parquet", 100), NULL);
    commit_v(f, 4, add_without_stats("d.parquet"), NULL, NULL);
    commit_v(f, 5, fx_remove("d.parquet", 10), NULL, NULL);
    commit_v(f, 6, fx_add(f, "e.parquet", 70, 7), NULL, NULL);
}

static void test_row_counts_match_snapshots_and_unknown_stats(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-rows");
    fx_open(&f, dir);
    make_table(&f);
    struct lr_error err;
    int64_t rows[7];
    assert_int_equal(lr_delta_row_counts(f.table, 0, 6, rows, &err), 0);
    const int64_t want[7] = {0, 10, 35, 25, -1, 25, 32};
    for (int v = 0; v <= 6; v++) {
        assert_int_equal(rows[v], want[v]);
        struct lr_delta_snapshot s;
        fx_snapshot(&f, v, &s);
        assert_int_equal(s.num_records, want[v]);
        lr_delta_snapshot_free(&s);
    }
    /* a range that starts in the middle */
    int64_t tail[3];
    assert_int_equal(lr_delta_row_counts(f.table, 4, 6, tail, &err), 0);
    assert_int_equal(tail[0], -1);
    assert_int_equal(tail[1], 25);
    assert_int_equal(tail[2], 32);
    /* one version */
    assert_int_equal(lr_delta_row_counts(f.table, 2, 2, tail, &err), 0);
    assert_int_equal(tail[0], 35);
    /* bad ranges */
    assert_int_equal(lr_delta_row_counts(f.table, 3, 2, tail, &err), LR_EINVAL);
    assert_int_equal(lr_delta_row_counts(f.table, 5, 7, tail, &err), LR_ENOTFOUND);
    assert_non_null(strstr(err.message, "no commit 7"));
    fx_close(&f);
    free(dir);
}

static void test_row_counts_deletion_vector_replaces_its_file(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-rows-dv");
    fx_open(&f, dir);
    const char *proto = "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,"
                        "\"readerFeatures\":[\"deletionVectors\"],"
                        "\"writerFeatures\":[\"deletionVectors\"]}}";
    commit_v(&f, 0, lr_strdup(proto), fx_metadata("dv", NULL), fx_add(&f, "f.parquet", 100, 10));
    const char *dvadd = "{\"add\":{\"path\":\"f.parquet\",\"partitionValues\":{},\"size\":100,"
                        "\"modificationTime\":1,\"dataChange\":true,\"stats\":"
                        "\"{\\\"numRecords\\\":10}\",\"deletionVector\":{\"storageType\":\"i\","
                        "\"pathOrInlineDv\":"
                        "\"wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L\","
                        "\"sizeInBytes\":40,\"cardinality\":3}}}";
    commit_v(&f, 1, fx_remove("f.parquet", 100), lr_strdup(dvadd), NULL);
    int64_t rows[2];
    struct lr_error err;
    assert_int_equal(lr_delta_row_counts(f.table, 0, 1, rows, &err), 0);
    assert_int_equal(rows[0], 10);
    assert_int_equal(rows[1], 7);
    fx_close(&f);
    free(dir);
}

static void test_row_counts_missing_commit_is_an_error(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-rows-gap");
    fx_open(&f, dir);
    make_table(&f);
    char path[4096];
    snprintf(path, sizeof path, "%s/_delta_log/00000000000000000004.json", dir);
    assert_int_equal(unlink(path), 0);
    int64_t rows[7];
    struct lr_error err;
    assert_int_equal(lr_delta_row_counts(f.table, 2, 6, rows, &err), LR_ECORRUPT);
    assert_non_null(strstr(err.message, "commit 4 is missing"));
    fx_close(&f);
    free(dir);
}

static void test_row_counts_start_at_a_checkpoint_after_log_cleanup(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-rows-cleaned");
    fx_open(&f, dir);
    make_table(&f);
    struct lr_delta_snapshot s3;
    fx_snapshot(&f, 3, &s3);
    struct lr_error err;
    assert_int_equal(lr_delta_checkpoint_write(f.table, &s3, &err), 0);
    lr_delta_snapshot_free(&s3);
    /* Log cleanup: commits 0..2 are gone, the checkpoint at 3 keeps the table readable. */
    for (int v = 0; v <= 2; v++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/_delta_log/%020d.json", dir, v);
        assert_int_equal(unlink(path), 0);
    }
    int64_t rows[7];
    assert_int_equal(lr_delta_row_counts(f.table, 0, 6, rows, &err), 0);
    const int64_t want[7] = {-1, -1, -1, 25, -1, 25, 32};
    for (int v = 0; v <= 6; v++)
        assert_int_equal(rows[v], want[v]);
    fx_close(&f);
    free(dir);
}

/* Snapshots read from a checkpoint take their totals from the checkpoint's and then adjust
 * them for each file the commits after it remove or add: a file without stats in the
 * checkpoint makes the count unknown until a commit removes it. */
static void test_snapshot_totals_over_a_checkpoint_follow_later_commits(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-rows-totals");
    fx_open(&f, dir);
    make_table(&f);
    struct lr_delta_snapshot s4;
    fx_snapshot(&f, 4, &s4);
    struct lr_error err;
    assert_int_equal(lr_delta_checkpoint_write(f.table, &s4, &err), 0);
    lr_delta_snapshot_free(&s4);
    const int64_t rows[3] = {-1, 25, 32};
    const int64_t bytes[3] = {260, 250, 320};
    for (int pass = 0; pass < 2; pass++) {
        /* once on the handle that wrote the checkpoint, once on a fresh one (read back) */
        if (pass == 1) {
            fx_close(&f);
            fx_open(&f, dir);
        }
        for (int v = 4; v <= 6; v++) {
            struct lr_delta_snapshot s;
            fx_snapshot(&f, v, &s);
            assert_int_equal(s.checkpoint_version, 4);
            assert_int_equal(s.num_records, rows[v - 4]);
            assert_int_equal(s.size_bytes, bytes[v - 4]);
            int64_t sum = 0;
            for (size_t i = 0; i < s.num_files; i++)
                sum += s.files[i]->size;
            assert_int_equal(sum, bytes[v - 4]);
            lr_delta_snapshot_free(&s);
        }
    }
    fx_close(&f);
    free(dir);
}

static void test_commit_facts_read_writer_and_reported_rows(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("delta-facts");
    fx_open(&f, dir);
    char *md = fx_metadata("facts-1", NULL);
    assert_int_equal(fx_commit(&f, 0, FX_PROTOCOL, md, NULL), 0);
    free(md);
    assert_int_equal(fx_commit(&f, 1, "{\"commitInfo\":{\"timestamp\":1,\"operation\":\"WRITE\","
                               "\"userName\":\"alice\",\"engineInfo\":\"spark\","
                               "\"operationParameters\":{\"mode\":\"Append\"},"
                               "\"operationMetrics\":{\"numOutputRows\":\"201\"}}}", NULL), 0);
    assert_int_equal(fx_commit(&f, 2, "{\"commitInfo\":{\"timestamp\":2,\"operation\":\"MERGE\","
                               "\"userId\":\"42\",\"operationMetrics\":{\"numOutputRows\":\"9\","
                               "\"numTargetRowsInserted\":\"3\",\"numTargetRowsDeleted\":2}}}",
                               NULL), 0);
    assert_int_equal(fx_commit(&f, 3, "{\"commitInfo\":{\"timestamp\":3,\"operation\":\"DELETE\","
                               "\"operationMetrics\":{\"numDeletedRows\":\"7\"}}}", NULL), 0);
    struct lr_delta_history h;
    struct lr_error err;
    assert_int_equal(lr_delta_history_read(f.table, -1, 10, &h, &err), 0);
    assert_int_equal(h.count, 4);
    struct lr_delta_commit_facts c;
    assert_int_equal(lr_delta_commit_facts_of(&h.entries[0], &c), 0); /* v3 DELETE */
    assert_string_equal(c.operation, "DELETE");
    assert_null(c.user);
    assert_int_equal(c.rows_added, -1);
    assert_int_equal(c.rows_removed, 7);
    assert_null(c.parameters);
    lr_delta_commit_facts_free(&c);
    assert_int_equal(lr_delta_commit_facts_of(&h.entries[1], &c), 0); /* v2 MERGE */
    assert_string_equal(c.user, "42");
    assert_int_equal(c.rows_added, 3); /* inserted, not the rewritten output rows */
    assert_int_equal(c.rows_removed, 2);
    lr_delta_commit_facts_free(&c);
    assert_int_equal(lr_delta_commit_facts_of(&h.entries[2], &c), 0); /* v1 WRITE */
    assert_string_equal(c.user, "alice");
    assert_string_equal(c.engine, "spark");
    assert_int_equal(c.rows_added, 201);
    assert_string_equal(c.parameters, "{\"mode\":\"Append\"}");
    lr_delta_commit_facts_free(&c);
    assert_int_equal(lr_delta_commit_facts_of(&h.entries[3], &c), 0); /* v0: no commitInfo */
    assert_null(c.operation);
    assert_int_equal(c.rows_added, -1);
    lr_delta_commit_facts_free(&c);
    lr_delta_history_free(&h);
    fx_close(&f);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_row_counts_match_snapshots_and_unknown_stats),
        cmocka_unit_test(test_row_counts_deletion_vector_replaces_its_file),
        cmocka_unit_test(test_row_counts_missing_commit_is_an_error),
        cmocka_unit_test(test_row_counts_start_at_a_checkpoint_after_log_cleanup),
        cmocka_unit_test(test_snapshot_totals_over_a_checkpoint_follow_later_commits),
        cmocka_unit_test(test_commit_facts_read_writer_and_reported_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
