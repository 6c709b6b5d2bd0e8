/* test_checkpoint_write.c - a checkpoint we write in several row groups (as a table of a
 * hundred thousand files gets with 32 MiB row groups; made small here) reads back identically
 * in our reader (files, sizes, partition values, stats, row counts) and in DuckDB (the same
 * paths, sizes and stats); expired tombstones are left out as of the time given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "delta/internal.h"
#include "delta_fixture.h"
#include "lakerewind/parquet.h"
#include "pqw_support.h"

#define NFILES 3000

static void test_multi_row_group_checkpoint_reads_back(void **state)
{
    (void)state;
    char *dir = lr_test_tmpdir("cp-write-rg");
    struct fx f;
    fx_open(&f, dir);
    /* version 0: protocol, metadata and NFILES partitioned adds with stats */
    struct lr_buf b = LR_BUF_INIT;
    char *meta = fx_metadata("cpw", NULL);
    lr_buf_printf(&b, NULL, "%s\n%s\n", FX_PROTOCOL, meta);
    free(meta);
    for (int i = 0; i < NFILES; i++)
        lr_buf_printf(&b, NULL,
                      "{\"add\":{\"path\":\"region=R%d/part-%05d.parquet\",\"partitionValues\":"
                      "{\"region\":\"R%d\"},\"size\":%d,\"modificationTime\":1700000000000,"
                      "\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":%d,\\\"minValues\\\":"
                      "{\\\"id\\\":%d}}\"}}\n",
                      i % 7, i, i % 7, 100 + i, 10 + i % 50, i);
    struct lr_error err;
    assert_int_equal(lr_delta_commit_put(f.table, 0, (const char *)b.data, b.len, &err), 0);
    lr_buf_free(&b);

    struct lr_delta_snapshot s;
    fx_snapshot(&f, 0, &s);
    delta_checkpoint_row_group_bytes_set(64 << 10);
    int rc = lr_delta_checkpoint_write(f.table, &s, &err);
    delta_checkpoint_row_group_bytes_set(0);
    if (rc < 0)
        fail_msg("checkpoint: %s", err.message);

    /* several row groups */
    char path[4096];
    snprintf(path, sizeof path, "%s/_delta_log/00000000000000000000.checkpoint.parquet", dir);
    size_t len = 0;
    char *bytes = lr_test_read_file(path, &len);
    assert_non_null(bytes);
    struct lr_parquet_file *pf = NULL;
    assert_int_equal(lr_parquet_open_buffer(&pf, (const uint8_t *)bytes, len, path, &err), 0);
    size_t nrg = lr_parquet_metadata(pf)->num_row_groups;
    lr_parquet_close(pf);
    free(bytes);
    if (nrg < 3)
        fail_msg("the checkpoint has %zu row group(s), expected several", nrg);

    /* our reader, from the checkpoint (a fresh handle: nothing cached) */
    struct lr_delta_table *t = NULL;
    assert_int_equal(lr_delta_table_open(&t, f.store, "", &err), 0);
    struct lr_delta_snapshot back;
    assert_int_equal(lr_delta_snapshot_open(&back, t, -1, &err), 0);
    assert_true(fx_same_files(&s, &back));
    long long total_size = 0, total_stats = 0;
    for (size_t i = 0; i < back.num_files; i++) {
        const struct lr_delta_file *x = s.files[i], *y = back.files[i];
        assert_int_equal(x->size, y->size);
        assert_int_equal(x->num_records, y->num_records);
        assert_string_equal(x->partition_values, y->partition_values);
        const char *xs = NULL, *ys = NULL;
        assert_int_equal(lr_delta_file_stats(x, &xs, &err), 0);
        assert_int_equal(lr_delta_file_stats(y, &ys, &err), 0);
        assert_string_equal(xs, ys);
        total_size += y->size;
        total_stats += (long long)strlen(ys);
    }

    /* DuckDB, on the same file */
    char *sql = lr_asprintf("SELECT count(*) AS n, sum(add.size) AS s, "
                            "sum(length(add.stats)) AS l, min(add.path) AS lo, "
                            "max(add.path) AS hi, count(DISTINCT add.partitionValues['region']) "
                            "AS regions FROM read_parquet('%s') WHERE add IS NOT NULL", path);
    json_t *rows = pqw_duckdb(sql);
    free(sql);
    assert_int_equal(json_array_size(rows), 1);
    json_t *r = json_array_get(rows, 0);
    assert_int_equal(json_integer_value(json_object_get(r, "n")), NFILES);
    assert_int_equal(json_integer_value(json_object_get(r, "s")), total_size);
    assert_int_equal(json_integer_value(json_object_get(r, "l")), total_stats);
    assert_string_equal(json_string_value(json_object_get(r, "lo")), back.files[0]->path);
    assert_string_equal(json_string_value(json_object_get(r, "hi")),
                        back.files[back.num_files - 1]->path);
    assert_int_equal(json_integer_value(json_object_get(r, "regions")), 7);
    json_decref(rows);

    lr_delta_snapshot_free(&back);
    lr_delta_table_close(t);
    lr_delta_snapshot_free(&s);
    fx_close(&f);
    free(dir);
}

/* Tombstones older than delta.deletedFileRetentionDuration (7 days by default) are left out,
 * judged at the time given: a dated history (the demo lakehouse) writes the same checkpoint
 * whatever day it is built on. */
static void test_tombstones_expire_as_of_the_time_given(void **state)
{
    (void)state;
    char *dir = lr_test_tmpdir("cp-write-tomb");
    struct fx f;
    fx_open(&f, dir);
    char *meta = fx_metadata("cpw-tomb", NULL);
    char *a = fx_add(&f, "a.parquet", 10, 1);
    char *b = fx_add(&f, "b.parquet", 10, 1);
    assert_int_equal(fx_commit(&f, 0, FX_PROTOCOL, meta, a, b, NULL), 0);
    /* fx_remove dates the removal 1700000000001 ms */
    char *rm = fx_remove("a.parquet", 10);
    assert_int_equal(fx_commit(&f, 1, rm, NULL), 0);
    free(meta);
    free(a);
    free(b);
    free(rm);
    const int64_t removed = 1700000000001LL, day = 86400000LL;
    const int64_t at[3] = {removed + 6 * day, removed + 8 * day, 0};
    const size_t want[3] = {1, 0, 0}; /* the real clock: years later */
    char *cp = lr_asprintf("%s/_delta_log/00000000000000000001.checkpoint.parquet", dir);
    char *last = lr_asprintf("%s/_delta_log/_last_checkpoint", dir);
    for (int k = 0; k < 3; k++) {
        /* from the commits each time: the last round's checkpoint is gone */
        unlink(cp);
        unlink(last);
        fx_close(&f);
        fx_open(&f, dir);
        struct lr_delta_snapshot s;
        fx_snapshot(&f, 1, &s);
        assert_int_equal(s.checkpoint_version, -1);
        assert_int_equal(s.num_tombstones, 1);
        struct lr_error err;
        assert_int_equal(lr_delta_checkpoint_write_at(f.table, &s, at[k], &err), 0);
        lr_delta_snapshot_free(&s);
        fx_close(&f);
        fx_open(&f, dir); /* read the checkpoint back, nothing cached */
        fx_snapshot(&f, 1, &s);
        assert_int_equal(s.checkpoint_version, 1);
        assert_int_equal(s.num_files, 1);
        assert_int_equal(s.num_tombstones, want[k]);
        lr_delta_snapshot_free(&s);
    }
    free(cp);
    free(last);
    fx_close(&f);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_multi_row_group_checkpoint_reads_back),
        cmocka_unit_test(test_tombstones_expire_as_of_the_time_given),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
