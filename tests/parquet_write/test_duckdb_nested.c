/* test_duckdb_nested.c - Delta-checkpoint-shaped files (optional structs with required fields,
 * map<string,string> with null values, lists of strings, a deletion-vector struct) written by
 * our writer from JSON rows and read back by DuckDB, arrow-rs (parquet-wasm: the Parquet
 * reader of delta-rs), hyparquet and our reader with identical struct/map/list values:
 * null vs empty maps and lists, absent action structs, several row groups and pages, each
 * codec; plus the Dremel levels themselves for the partitionValues example of parquet-notes
 * 8.2 (read back through DuckDB's view of the file). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/str.h"
#include "parquet/write_internal.h"
#include "pqw_support.h"
#include "testsupport.h"

static char *dir;

static int setup(void **state)
{
    (void)state;
    dir = lr_test_tmpdir("pqw-nested");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(dir);
    return 0;
}

static json_t *load(const char *text)
{
    json_error_t je;
    json_t *v = json_loads(text, 0, &je);
    if (!v)
        fail_msg("bad test JSON (%s): %s", je.text, text);
    return v;
}

/* The fixed actions of a checkpoint, then `nadds` add and remove rows with every shape. */
static json_t *checkpoint_rows(int nadds)
{
    json_t *rows = json_array();
    json_array_append_new(rows, load(
        "{\"protocol\": {\"minReaderVersion\": 3, \"minWriterVersion\": 7,"
        " \"readerFeatures\": [\"deletionVectors\"],"
        " \"writerFeatures\": [\"deletionVectors\", \"appendOnly\", \"invariants\"]}}"));
    json_array_append_new(rows, load(
        "{\"metaData\": {\"id\": \"6f8e3b2a-1c4d-4e5f-8a9b-0c1d2e3f4a5b\", \"name\": null,"
        " \"description\": \"sales, \\\"quoted\\\" and ünïcödé\","
        " \"format\": {\"provider\": \"parquet\", \"options\": {}},"
        " \"schemaString\": \"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[]}\","
        " \"partitionColumns\": [\"date\", \"region\"],"
        " \"configuration\": {\"delta.enableDeletionVectors\": \"true\","
        "  \"delta.checkpointInterval\": \"10\", \"empty\": \"\"},"
        " \"createdTime\": 1700000000000}}"));
    json_array_append_new(rows, load(
        "{\"txn\": {\"appId\": \"streaming-job-1\", \"version\": 42,"
        " \"lastUpdated\": 1700000000123}}"));
    json_array_append_new(rows, load("{\"txn\": {\"version\": -1}}"));
    json_array_append_new(rows, load(
        "{\"protocol\": {\"minReaderVersion\": 1, \"minWriterVersion\": 2,"
        " \"readerFeatures\": null, \"writerFeatures\": []}}"));
    for (int k = 0; k < nadds; k++) {
        char path[160];
        snprintf(path, sizeof path,
                 "date=2024-01-%02d/region=%s/part-%05d-8b4c2a9e-3f1d-4c7a-9e2b-%012d.c000."
                 "snappy.parquet", k % 28 + 1, k % 3 ? "eu" : "us", k, k * 7);
        json_t *pv;
        switch (k % 4) {
        case 0: pv = json_pack("{s:s, s:s}", "date", path + 5, "region", "eu"); break;
        case 1: pv = json_pack("{s:s, s:n}", "date", "2024-01-02", "region"); break;
        case 2: pv = json_object(); break;
        default: pv = json_null(); break;
        }
        if (k % 4 == 0)
            json_object_set_new(pv, "date", json_stringn(path + 5, 10));
        char stats[400];
        snprintf(stats, sizeof stats,
                 "{\"numRecords\":%d,\"minValues\":{\"id\":%d,\"name\":\"a%d\"},"
                 "\"maxValues\":{\"id\":%d,\"name\":\"z%d\"},\"nullCount\":{\"id\":0,"
                 "\"name\":%d},\"tightBounds\":%s}", k * 10 + 1, k, k, k * 100, k, k % 5,
                 k % 2 ? "true" : "false");
        json_t *add = json_pack("{s:s, s:o, s:I, s:I, s:b}", "path", path, "partitionValues",
                                pv, "size", (json_int_t)(1000 + k * 13), "modificationTime",
                                (json_int_t)(1700000000000LL + k), "dataChange", k % 3 != 0);
        if (k % 5 != 4)
            json_object_set_new(add, "stats", json_string(stats));
        if (k % 6 == 1)
            json_object_set_new(add, "tags", load("{\"INSERTION_TIME\": \"1700000000000000\","
                                                  " \"ZCUBE_ID\": null}"));
        else if (k % 6 == 2)
            json_object_set_new(add, "tags", json_object());
        if (k % 7 == 3)
            json_object_set_new(add, "deletionVector",
                                json_pack("{s:s, s:s, s:i, s:i, s:I}", "storageType", "u",
                                          "pathOrInlineDv", "ab^-aqEH.-t@S}K{vb[*k^", "offset",
                                          k, "sizeInBytes", 36 + k, "cardinality",
                                          (json_int_t)(k * 3 + 1)));
        else if (k % 7 == 5)
            json_object_set_new(add, "deletionVector",
                                json_pack("{s:s, s:s, s:i, s:I}", "storageType", "i",
                                          "pathOrInlineDv",
                                          "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L",
                                          "sizeInBytes", 44, "cardinality", (json_int_t)6));
        if (k % 11 == 0)
            json_object_set_new(add, "baseRowId", json_integer(k * 1000));
        json_array_append_new(rows, json_pack("{s:o}", "add", add));
        if (k % 3 == 0) {
            json_t *rm = json_pack("{s:s, s:I, s:b, s:b, s:I}", "path", path,
                                   "deletionTimestamp", (json_int_t)(1700000100000LL + k),
                                   "dataChange", 1, "extendedFileMetadata", k % 2,
                                   "size", (json_int_t)(1000 + k * 13));
            json_object_set_new(rm, "partitionValues", json_pack("{s:s}", "region", "us"));
            json_array_append_new(rows, json_pack("{s:o}", "remove", rm));
        }
    }
    return rows;
}

static void write_checkpoint(const struct lr_parquet_writer_options *o, const json_t *rows,
                             struct lr_buf *out)
{
    struct lr_error err;
    struct lr_parquet_writer *w = NULL;
    if (lr_parquet_writer_new(&w, o, &err) < 0)
        fail_msg("new: %s", err.message);
    pqw_declare_checkpoint(w);
    pqw_append_all(w, rows);
    if (lr_parquet_writer_finish(w, out, &err) < 0)
        fail_msg("finish: %s", err.message);
    lr_parquet_writer_free(w);
}

static void test_checkpoint_rows_read_back_in_duckdb_with_each_codec(void **state)
{
    (void)state;
    static const enum lr_parquet_wcodec codecs[] = {LR_PQW_SNAPPY, LR_PQW_UNCOMPRESSED,
                                                   LR_PQW_GZIP, LR_PQW_ZSTD, LR_PQW_LZ4_RAW};
    enum { NCODECS = sizeof codecs / sizeof codecs[0] };
    json_t *rows = checkpoint_rows(400);
    for (size_t c = 0; c < NCODECS; c++) {
        struct lr_parquet_writer_options o = {0};
        o.codec = codecs[c];
        o.row_group_rows = 150;
        o.page_rows = 64;
        struct lr_buf b = LR_BUF_INIT;
        write_checkpoint(&o, rows, &b);
        char name[64];
        snprintf(name, sizeof name, "checkpoint_%zu.parquet", c);
        char *path = pqw_save(dir, name, &b);
        json_t *got = pqw_read_ours(&b, name);
        pqw_assert_rows(rows, got);
        json_decref(got);
        /* arrow-rs is the reader of delta-rs; hyparquet has no GZIP/ZSTD/LZ4 built in */
        got = pqw_other_reader("arrow-rs", path);
        pqw_assert_rows(rows, got);
        json_decref(got);
        if (codecs[c] == LR_PQW_SNAPPY || codecs[c] == LR_PQW_UNCOMPRESSED) {
            got = pqw_other_reader("hyparquet", path);
            pqw_assert_rows(rows, got);
            json_decref(got);
        }
        free(path);
        lr_buf_free(&b);
    }
    /* DuckDB: every codec's file in one run (checkpoint_0 .. checkpoint_4 sort as codecs[]) */
    char *sql = lr_asprintf("SELECT txn, add, remove, metaData, protocol FROM "
                            "read_parquet('%s/checkpoint_*.parquet', filename = true, "
                            "file_row_number = true) ORDER BY filename, file_row_number", dir);
    json_t *got = pqw_duckdb(sql);
    size_t n = json_array_size(rows);
    assert_int_equal(json_array_size(got), NCODECS * n);
    for (size_t c = 0; c < NCODECS; c++) {
        json_t *part = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append(part, json_array_get(got, c * n + i));
        pqw_assert_rows(rows, part);
        json_decref(part);
    }
    json_decref(got);
    free(sql);
    sql = lr_asprintf("SELECT num_row_groups AS g FROM "
                      "parquet_file_metadata('%s/checkpoint_*.parquet')", dir);
    got = pqw_duckdb(sql);
    assert_int_equal(json_array_size(got), NCODECS);
    for (size_t c = 0; c < NCODECS; c++)
        assert_int_equal(json_integer_value(json_object_get(json_array_get(got, c), "g")),
                         (n + 149) / 150);
    json_decref(got);
    free(sql);
    json_decref(rows);
}

/* What a Delta reader queries: DuckDB's types for the checkpoint columns. */
static void test_checkpoint_columns_have_delta_types(void **state)
{
    (void)state;
    json_t *rows = checkpoint_rows(10);
    struct lr_buf b = LR_BUF_INIT;
    write_checkpoint(NULL, rows, &b);
    char *path = pqw_save(dir, "types.parquet", &b);
    char *sql = lr_asprintf(
        "SELECT typeof(add.partitionValues) AS pv, typeof(add.tags) AS tags, "
        "typeof(add.deletionVector) AS dv, typeof(metaData.partitionColumns) AS pc, "
        "typeof(protocol.readerFeatures) AS rf, typeof(add.size) AS sz "
        "FROM read_parquet('%s') LIMIT 1", path);
    json_t *got = pqw_duckdb(sql);
    json_t *want = load("[{\"pv\": \"MAP(VARCHAR, VARCHAR)\", \"tags\": \"MAP(VARCHAR, VARCHAR)\","
                        " \"dv\": \"STRUCT(storageType VARCHAR, pathOrInlineDv VARCHAR, "
                        "\\\"offset\\\" INTEGER, sizeInBytes INTEGER, cardinality BIGINT)\","
                        " \"pc\": \"VARCHAR[]\", \"rf\": \"VARCHAR[]\", \"sz\": \"BIGINT\"}]");
    pqw_assert_rows(want, got);
    json_decref(want);
    json_decref(got);
    free(sql);
    /* projection of a few leaves, the way the console reads a snapshot */
    sql = lr_asprintf("SELECT add.path AS p, add.partitionValues['region'] AS r, "
                      "cardinality(add.partitionValues) AS n FROM read_parquet('%s') "
                      "WHERE add IS NOT NULL ORDER BY add.path LIMIT 3", path);
    got = pqw_duckdb(sql);
    assert_int_equal(json_array_size(got), 3);
    const char *p0 = json_string_value(json_object_get(json_array_get(got, 0), "p"));
    assert_non_null(strstr(p0, "part-00000"));
    assert_string_equal(json_string_value(json_object_get(json_array_get(got, 0), "r")), "eu");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(got, 0), "n")), 2);
    assert_true(json_is_null(json_object_get(json_array_get(got, 1), "r")));
    json_decref(got);
    free(sql);
    free(path);
    lr_buf_free(&b);
    json_decref(rows);
}

/* parquet-notes 8.2: five rows of add.partitionValues, each shape once. */
static void test_map_null_empty_and_null_values_per_notes_example(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_parquet_writer *w = NULL;
    assert_int_equal(lr_parquet_writer_new(&w, NULL, &err), 0);
    int add = lr_parquet_writer_add(w, 0, "add", LR_PQW_STRUCT, false, 0, &err);
    assert_true(lr_parquet_writer_add(w, add, "partitionValues", LR_PQW_MAP, false,
                                      LR_PQW_STRING, &err) > 0);
    assert_true(lr_parquet_writer_add(w, add, "size", LR_PQW_INT64, true, 0, &err) > 0);
    json_t *rows = load(
        "[{\"add\": null},"
        " {\"add\": {\"partitionValues\": null, \"size\": 1}},"
        " {\"add\": {\"partitionValues\": {}, \"size\": 2}},"
        " {\"add\": {\"partitionValues\": {\"region\": \"eu\", \"date\": \"2024-01-01\"},"
        "  \"size\": 3}},"
        " {\"add\": {\"partitionValues\": {\"region\": null, \"date\": \"2024-01-02\"},"
        "  \"size\": 4}}]");
    pqw_append_all(w, rows);
    /* the levels the notes give for these rows (key: max_def 3, value: max_def 4) */
    static const uint8_t reps[7] = {0, 0, 0, 0, 1, 0, 1};
    static const uint8_t key_defs[7] = {0, 1, 2, 3, 3, 3, 3};
    static const uint8_t value_defs[7] = {0, 1, 2, 4, 4, 3, 4};
    const struct wcol *kc = &w->cols[0];
    const struct wcol *vc = &w->cols[1];
    assert_int_equal(kc->max_def, 3);
    assert_int_equal(kc->max_rep, 1);
    assert_int_equal(vc->max_def, 4);
    assert_int_equal(kc->n, 7);
    assert_int_equal(vc->n, 7);
    assert_memory_equal(kc->reps, reps, 7);
    assert_memory_equal(vc->reps, reps, 7);
    assert_memory_equal(kc->defs, key_defs, 7);
    assert_memory_equal(vc->defs, value_defs, 7);
    assert_int_equal(w->cols[2].max_def, 1); /* add.size: required inside optional add */
    struct lr_buf b = LR_BUF_INIT;
    assert_int_equal(lr_parquet_writer_finish(w, &b, &err), 0);
    lr_parquet_writer_free(w);
    char *path = pqw_save(dir, "notes_8_2.parquet", &b);
    char *sql = lr_asprintf("SELECT * FROM read_parquet('%s')", path);
    json_t *got = pqw_duckdb(sql);
    pqw_assert_rows(rows, got);
    json_decref(got);
    got = pqw_read_ours(&b, path);
    pqw_assert_rows(rows, got);
    json_decref(got);
    free(sql);
    sql = lr_asprintf("SELECT path_in_schema AS p, num_values AS n, stats_null_count AS nc "
                      "FROM parquet_metadata('%s')", path);
    got = pqw_duckdb(sql);
    json_t *want = load("[{\"p\": \"add, partitionValues, key_value, key\", \"n\": 7, \"nc\": 3},"
                        " {\"p\": \"add, partitionValues, key_value, value\", \"n\": 7,"
                        "  \"nc\": 4},"
                        " {\"p\": \"add, size\", \"n\": 5, \"nc\": 1}]");
    pqw_assert_rows(want, got);
    json_decref(want);
    json_decref(got);
    free(sql);
    free(path);
    lr_buf_free(&b);
    json_decref(rows);
}

/* Checkpoint rows as our reader returns them go back into the writer unchanged. */
static void test_checkpoint_rows_from_our_reader_write_the_same_file(void **state)
{
    (void)state;
    json_t *rows = checkpoint_rows(300);
    struct lr_parquet_writer_options o = {0};
    o.row_group_rows = 120;
    struct lr_buf first = LR_BUF_INIT;
    write_checkpoint(&o, rows, &first);
    json_t *back = pqw_read_ours(&first, "first.parquet");
    struct lr_buf second = LR_BUF_INIT;
    write_checkpoint(&o, back, &second);
    assert_int_equal(second.len, first.len);
    assert_memory_equal(second.data, first.data, first.len);
    json_decref(back);
    json_decref(rows);
    lr_buf_free(&first);
    lr_buf_free(&second);
}

static void test_nested_rows_are_checked_before_anything_is_written(void **state)
{
    (void)state;
    struct lr_error err;
    json_t *good = checkpoint_rows(5);
    struct lr_buf clean = LR_BUF_INIT;
    write_checkpoint(NULL, good, &clean);

    struct lr_parquet_writer *w = NULL;
    assert_int_equal(lr_parquet_writer_new(&w, NULL, &err), 0);
    pqw_declare_checkpoint(w);
    static const struct {
        const char *row;
        const char *says;
    } bad[] = {
        /* the size is checked after path and partitionValues were seen */
        {"{\"add\": {\"path\": \"x\", \"partitionValues\": {\"a\": \"b\"}, \"size\": null,"
         " \"modificationTime\": 1, \"dataChange\": true}}", "required column add.size"},
        {"{\"add\": {\"path\": \"x\", \"size\": 1, \"modificationTime\": 1, \"dataChange\": true,"
         " \"partitionValues\": {\"a\": 5}}}", "add.partitionValues.key_value.value: expected a"},
        {"{\"metaData\": {\"partitionColumns\": \"date\"}}",
         "metaData.partitionColumns: expected an array"},
        {"{\"metaData\": {\"partitionColumns\": [\"a\", 1]}}",
         "metaData.partitionColumns.list.element: expected a string"},
        {"{\"protocol\": {\"minReaderVersion\": 1}}", "required column protocol.minWriterVersion"},
        {"{\"add\": {\"path\": \"x\", \"size\": 1, \"modificationTime\": 1, \"dataChange\": true,"
         " \"deletionVector\": {\"storageType\": \"u\"}}}",
         "required column add.deletionVector.pathOrInlineDv"},
        {"{\"add\": {\"path\": \"x\", \"size\": 1, \"modificationTime\": 1, \"dataChange\": true,"
         " \"clusteringProvider\": \"liquid\"}}", "\"add.clusteringProvider\" is not in the"},
        {"{\"txn\": [1]}", "column txn: expected an object"},
    };
    for (size_t j = 0; j < sizeof bad / sizeof bad[0]; j++) {
        json_t *r = load(bad[j].row);
        assert_int_equal(lr_parquet_writer_append_json(w, r, &err), LR_EINVAL);
        json_decref(r);
        if (!strstr(err.message, bad[j].says))
            fail_msg("row %zu: message \"%s\" lacks \"%s\"", j, err.message, bad[j].says);
    }
    pqw_append_all(w, good);
    struct lr_buf b = LR_BUF_INIT;
    assert_int_equal(lr_parquet_writer_finish(w, &b, &err), 0);
    lr_parquet_writer_free(w);
    assert_int_equal(b.len, clean.len);
    assert_memory_equal(b.data, clean.data, b.len);
    lr_buf_free(&b);
    lr_buf_free(&clean);

    /* with is_unknown_field_ignored, the extra field is dropped instead */
    struct lr_parquet_writer_options o = {0};
    o.is_unknown_field_ignored = true;
    assert_int_equal(lr_parquet_writer_new(&w, &o, &err), 0);
    pqw_declare_checkpoint(w);
    json_t *r = load("{\"add\": {\"path\": \"x\", \"size\": 1, \"modificationTime\": 1,"
                     " \"dataChange\": true, \"clusteringProvider\": \"liquid\"},"
                     " \"commitInfo\": {\"operation\": \"WRITE\"}}");
    assert_int_equal(lr_parquet_writer_append_json(w, r, &err), 0);
    json_decref(r);
    lr_parquet_writer_free(w);
    json_decref(good);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checkpoint_rows_read_back_in_duckdb_with_each_codec),
        cmocka_unit_test(test_checkpoint_columns_have_delta_types),
        cmocka_unit_test(test_map_null_empty_and_null_values_per_notes_example),
        cmocka_unit_test(test_checkpoint_rows_from_our_reader_write_the_same_file),
        cmocka_unit_test(test_nested_rows_are_checked_before_anything_is_written),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
