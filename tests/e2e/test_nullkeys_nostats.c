/* test_nullkeys_nostats.c - a rollback of a table whose log has no stats: the NullPrimaryKeys
 * post-validation still counts the key column's nulls, one file from its Parquet footer and
 * one (written without footer statistics) by reading the column; the run summary and the
 * DataValidation row say so. The checkpoint version itself holds 5 null keys, so the check
 * must fail with Actual 5 (a count of 0 or "unknown" would be wrong). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "lakerewind/metadata.h"
#include "lakerewind/parquet_write.h"
#include "lakerewind/str.h"
#include "testsupport.h"

static struct lr_store *store;
static char *lake;
static char *config;

static void put_parquet(const char *key, int n, int null_every, bool with_stats)
{
    struct lr_parquet_writer_options o = {0};
    o.is_statistics_off = !with_stats;
    struct lr_parquet_writer *w = NULL;
    struct lr_error err;
    assert_int_equal(lr_parquet_writer_new(&w, &o, &err), 0);
    int id = lr_parquet_writer_add(w, LR_PQW_ROOT, "accountid", LR_PQW_STRING, false, 0, &err);
    int amount = lr_parquet_writer_add(w, LR_PQW_ROOT, "amount", LR_PQW_INT64, false, 0, &err);
    for (int i = 0; i < n; i++) {
        char v[48];
        snprintf(v, sizeof v, "%s-%d", key, i);
        if (null_every && i % null_every == 0)
            assert_int_equal(lr_parquet_writer_set_null(w, id, &err), 0);
        else
            assert_int_equal(lr_parquet_writer_set_string(w, id, v, strlen(v), &err), 0);
        assert_int_equal(lr_parquet_writer_set_int64(w, amount, i, &err), 0);
        assert_int_equal(lr_parquet_writer_end_row(w, &err), 0);
    }
    struct lr_buf b = LR_BUF_INIT;
    assert_int_equal(lr_parquet_writer_finish(w, &b, &err), 0);
    lr_parquet_writer_free(w);
    char *full = lr_asprintf("Tables/account/%s", key);
    assert_int_equal(lr_store_put(store, full, b.data, b.len, &err), 0);
    free(full);
    lr_buf_free(&b);
}

/* Commit `version` adding `path` without stats. */
static void commit_add(int version, const char *path, bool with_metadata)
{
    static const char *meta =
        "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n"
        "{\"metaData\":{\"id\":\"5e1f0000-0000-4000-8000-000000000002\",\"format\":"
        "{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":\"{\\\"type\\\":"
        "\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"accountid\\\",\\\"type\\\":"
        "\\\"string\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},{\\\"name\\\":\\\"amount\\\","
        "\\\"type\\\":\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\","
        "\"partitionColumns\":[],\"configuration\":{},\"createdTime\":1700000000000}}\n";
    char *text = lr_asprintf("{\"commitInfo\":{\"timestamp\":%lld,\"operation\":\"WRITE\"}}\n"
                             "%s{\"add\":{\"path\":\"%s\",\"partitionValues\":{},\"size\":1,"
                             "\"modificationTime\":1700000000000,\"dataChange\":true}}\n",
                             1700000000000LL + version * 1000LL, with_metadata ? meta : "",
                             path);
    char key[128];
    snprintf(key, sizeof key, "Tables/account/_delta_log/%020d.json", version);
    struct lr_error err;
    assert_int_equal(lr_store_put(store, key, text, strlen(text), &err), 0);
    free(text);
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
    snprintf(cmd, sizeof cmd, "'%s' --config '%s' %s 2>>%s/err", getenv("LR_BIN"), config,
             args, lake);
    return lr_test_run(cmd, out);
}

static void test_null_keys_counted_from_footers_and_data_when_stats_are_missing(void **state)
{
    (void)state;
    lake = lr_test_tmpdir("nostats");
    struct lr_error err;
    assert_int_equal(lr_store_open(&store, lake, NULL, &err), 0);
    config = lr_asprintf("%s/config.yaml", lake);
    char *yaml = lr_asprintf("default_profile: t\nprofiles:\n  t:\n    lakehouse: %s\n"
                             "    primary_keys:\n      account: accountid\n",
                             lake);
    lr_test_write_file(config, yaml, strlen(yaml));
    chmod(config, 0600);
    free(yaml);
    put_parquet("a.parquet", 10, 5, true);  /* 2 null keys, footer statistics */
    put_parquet("c.parquet", 12, 4, false); /* 3 null keys, no statistics at all */
    put_parquet("bad.parquet", 6, 0, true); /* the bad sync */
    commit_add(0, "a.parquet", true);
    commit_add(1, "c.parquet", false);
    char *out = NULL;
    assert_int_equal(cli(&out, "checkpoints create cp --type Manual"), 0);
    free(out);
    commit_add(2, "bad.parquet", false);

    assert_int_equal(cli(&out, "rollback cp --json"), 5);
    json_t *im = lr_test_json(out);
    free(out);
    char phrase[512];
    snprintf(phrase, sizeof phrase, "%s",
             json_string_value(json_object_get(im, "confirmation_phrase")));
    json_decref(im);
    cli(&out, "rollback cp --execute --confirm '%s' --json", phrase);
    json_t *run = lr_test_json(out);
    free(out);
    json_t *t0 = json_array_get(json_object_get(run, "tables"), 0);
    json_t *pk = NULL;
    json_t *v;
    size_t i;
    json_array_foreach(json_object_get(t0, "validations"), i, v)
        if (strcmp(json_string_value(json_object_get(v, "type")), "NullPrimaryKeys") == 0)
            pk = v;
    assert_non_null(pk);
    assert_string_equal(json_string_value(json_object_get(pk, "actual")), "5");
    assert_true(json_is_false(json_object_get(pk, "passed")));
    const char *details = json_string_value(json_object_get(pk, "details"));
    assert_non_null(details);
    assert_non_null(strstr(details, "stats in 0 files, Parquet footers of 1, the column read "
                                    "in 1"));
    json_decref(run);

    /* the DataValidation row carries the same count */
    json_t *rows = NULL;
    assert_int_equal(lr_md_read(store, NULL, LR_MD_DATA_VALIDATION, &rows, &err), 0);
    bool seen = false;
    json_t *row;
    json_array_foreach(rows, i, row) {
        if (strcmp(json_string_value(json_object_get(row, "ValidationType")),
                   "NullPrimaryKeys") != 0)
            continue;
        seen = true;
        assert_string_equal(json_string_value(json_object_get(row, "Actual")), "5");
        assert_true(json_is_false(json_object_get(row, "Passed")));
    }
    assert_true(seen);
    json_decref(rows);
    lr_store_close(store);
    free(config);
    free(lake);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_keys_counted_from_footers_and_data_when_stats_are_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
