/* test_nullcount.c - null counts of a key column fall back per file from the log's stats to
 * the Parquet footer's null_count to reading the column, and a file written before the column
 * existed counts as all nulls. The table is built by hand: four Parquet files (one written
 * without footer statistics), added by commits that carry stats for only one of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/delta.h"
#include "lakerewind/nullcount.h"
#include "lakerewind/parquet.h"
#include "lakerewind/parquet_write.h"
#include "lakerewind/str.h"
#include "testsupport.h"

static struct lr_store *store;

/* A Parquet file of `n` rows: column "id" (nullable string, null every `null_every` rows,
 * never when 0) unless !with_id, and "amount" (int64). */
static void put_parquet(const char *key, int n, int null_every, bool with_id, bool with_stats)
{
    struct lr_parquet_writer_options o = {0};
    o.is_statistics_off = !with_stats;
    struct lr_parquet_writer *w = NULL;
    struct lr_error err;
    assert_int_equal(lr_parquet_writer_new(&w, &o, &err), 0);
    int id = with_id ? lr_parquet_writer_add(w, LR_PQW_ROOT, "id", LR_PQW_STRING, false, 0, &err)
                     : -1;
    int amount = lr_parquet_writer_add(w, LR_PQW_ROOT, "amount", LR_PQW_INT64, false, 0, &err);
    assert_true(amount > 0);
    for (int i = 0; i < n; i++) {
        char v[32];
        snprintf(v, sizeof v, "r%d", i);
        if (with_id) {
            if (null_every && i % null_every == 0)
                assert_int_equal(lr_parquet_writer_set_null(w, id, &err), 0);
            else
                assert_int_equal(lr_parquet_writer_set_string(w, id, v, strlen(v), &err), 0);
        }
        assert_int_equal(lr_parquet_writer_set_int64(w, amount, i, &err), 0);
        assert_int_equal(lr_parquet_writer_end_row(w, &err), 0);
    }
    struct lr_buf b = LR_BUF_INIT;
    assert_int_equal(lr_parquet_writer_finish(w, &b, &err), 0);
    lr_parquet_writer_free(w);
    assert_int_equal(lr_store_put(store, key, b.data, b.len, &err), 0);
    lr_buf_free(&b);
}

static const char *schema =
    "{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":["
    "{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"string\\\",\\\"nullable\\\":true,"
    "\\\"metadata\\\":{}},"
    "{\\\"name\\\":\\\"amount\\\",\\\"type\\\":\\\"long\\\",\\\"nullable\\\":true,"
    "\\\"metadata\\\":{}}]}";

static void put_commit(const char *table, int version, const char *actions)
{
    char key[256];
    snprintf(key, sizeof key, "%s/_delta_log/%020d.json", table, version);
    struct lr_error err;
    assert_int_equal(lr_store_put(store, key, actions, strlen(actions), &err), 0);
}

static char *add_action(const char *path, const char *stats)
{
    return lr_asprintf("{\"add\":{\"path\":\"%s\",\"partitionValues\":{},\"size\":1,"
                       "\"modificationTime\":1700000000000,\"dataChange\":true%s%s%s}}\n",
                       path, stats ? ",\"stats\":\"" : "", stats ? stats : "",
                       stats ? "\"" : "");
}

static void build_table(const char *table)
{
    char key[256];
    /* a: 10 rows, 4 nulls (every 3rd), described by the log's stats */
    snprintf(key, sizeof key, "%s/a.parquet", table);
    put_parquet(key, 10, 3, true, true);
    /* b: 10 rows, 5 nulls, no stats in the log: the footer's null_count */
    snprintf(key, sizeof key, "%s/b.parquet", table);
    put_parquet(key, 10, 2, true, true);
    /* c: 12 rows, 3 nulls, no stats anywhere: the column is read */
    snprintf(key, sizeof key, "%s/c.parquet", table);
    put_parquet(key, 12, 4, true, false);
    /* d: 7 rows written before the column existed: all null */
    snprintf(key, sizeof key, "%s/d.parquet", table);
    put_parquet(key, 7, 0, false, true);
    char *a = add_action("a.parquet", "{\\\"numRecords\\\":10,\\\"nullCount\\\":{\\\"id\\\":4,"
                                      "\\\"amount\\\":0}}");
    char *b = add_action("b.parquet", NULL);
    char *c = add_action("c.parquet", "{\\\"numRecords\\\":12}");
    char *d = add_action("d.parquet", NULL);
    char *v0 = lr_asprintf(
        "{\"commitInfo\":{\"timestamp\":1700000000000,\"operation\":\"WRITE\"}}\n"
        "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n"
        "{\"metaData\":{\"id\":\"5e1f0000-0000-4000-8000-000000000001\",\"format\":"
        "{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":\"%s\","
        "\"partitionColumns\":[],\"configuration\":{},\"createdTime\":1700000000000}}\n%s%s",
        schema, a, b);
    char *v1 = lr_asprintf("{\"commitInfo\":{\"timestamp\":1700000001000,\"operation\":"
                           "\"WRITE\"}}\n%s%s", c, d);
    put_commit(table, 0, v0);
    put_commit(table, 1, v1);
    free(a);
    free(b);
    free(c);
    free(d);
    free(v0);
    free(v1);
}

static void test_null_count_falls_back_from_stats_to_footer_to_data(void **state)
{
    (void)state;
    char *dir = lr_test_tmpdir("nullcount");
    struct lr_error err;
    assert_int_equal(lr_store_open(&store, dir, NULL, &err), 0);
    build_table("Tables/nostats");
    struct lr_delta_table *t = NULL;
    struct lr_delta_snapshot snap;
    assert_int_equal(lr_delta_table_open(&t, store, "Tables/nostats", &err), 0);
    assert_int_equal(lr_delta_snapshot_open(&snap, t, -1, &err), 0);
    assert_int_equal(snap.num_files, 4);

    /* c.parquet really has no footer statistics */
    struct lr_parquet_file *f = NULL;
    assert_int_equal(lr_parquet_open(&f, store, "Tables/nostats/c.parquet", &err), 0);
    assert_false(lr_parquet_metadata(f)->row_groups[0].columns[0].has_stats);
    lr_parquet_close(f);

    struct lr_null_count nc;
    assert_int_equal(lr_null_count_read(&nc, t, &snap, "id", &err), 0);
    assert_int_equal(nc.nulls, 4 + 5 + 3 + 7);
    assert_int_equal(nc.from_stats, 1);
    assert_int_equal(nc.from_footer, 2); /* b, and d without the column */
    assert_int_equal(nc.from_data, 1);
    assert_int_equal(nc.from_partition, 0);

    assert_int_equal(lr_null_count_read(&nc, t, &snap, "amount", &err), 0);
    assert_int_equal(nc.nulls, 0);
    assert_int_equal(nc.from_stats, 1);

    assert_int_equal(lr_null_count_read(&nc, t, &snap, "accountid", &err), LR_ENOTFOUND);
    assert_non_null(strstr(err.message, "accountid"));

    lr_delta_snapshot_free(&snap);
    lr_delta_table_close(t);
    lr_store_close(store);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_count_falls_back_from_stats_to_footer_to_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
