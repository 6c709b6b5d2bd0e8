/* test_duckdb_flat.c - flat files written by our writer, read back by DuckDB (an independent
 * engine, through tests/support/duckdb.js), by arrow-rs (parquet-wasm, as delta-rs reads) and
 * by our reader with identical rows: every type, nulls, several row groups and pages, each
 * codec; plus what DuckDB sees of the metadata (statistics, dictionary use, key/value
 * metadata, created_by), the typed-append API, and refused rows. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/str.h"
#include "pqw_support.h"
#include "testsupport.h"

static char *dir;

static int setup(void **state)
{
    (void)state;
    dir = lr_test_tmpdir("pqw-flat");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(dir);
    return 0;
}

enum { C_B = 1, C_I, C_L, C_D, C_S, C_U, C_DT, C_TS };

static struct lr_parquet_writer *flat_writer(const struct lr_parquet_writer_options *o)
{
    struct lr_error err;
    struct lr_parquet_writer *w = NULL;
    if (lr_parquet_writer_new(&w, o, &err) < 0)
        fail_msg("new: %s", err.message);
    assert_int_equal(lr_parquet_writer_add(w, 0, "b", LR_PQW_BOOLEAN, false, 0, &err), C_B);
    assert_int_equal(lr_parquet_writer_add(w, 0, "i", LR_PQW_INT32, true, 0, &err), C_I);
    assert_int_equal(lr_parquet_writer_add(w, 0, "l", LR_PQW_INT64, false, 0, &err), C_L);
    assert_int_equal(lr_parquet_writer_add(w, 0, "d", LR_PQW_DOUBLE, false, 0, &err), C_D);
    assert_int_equal(lr_parquet_writer_add(w, 0, "s", LR_PQW_STRING, false, 0, &err), C_S);
    assert_int_equal(lr_parquet_writer_add(w, 0, "u", LR_PQW_STRING, true, 0, &err), C_U);
    assert_int_equal(lr_parquet_writer_add(w, 0, "dt", LR_PQW_DATE, false, 0, &err), C_DT);
    assert_int_equal(lr_parquet_writer_add(w, 0, "ts", LR_PQW_TIMESTAMP, false, 0, &err), C_TS);
    return w;
}

static const char *const words[] = {"", "cat", "dog", "émeu", "zebra-with-a-long-name", "a b",
                                    "ÿ", "tab\there"};

static int64_t row_days(int k)
{
    return (int64_t)k * 37 - 20000;
}

static int64_t row_micros(int k)
{
    int64_t us = (int64_t)k * 1234567891LL - 600000000000LL;
    return k % 10 == 3 ? us - us % 1000000 : us;
}

/* Row k of the flat data set, as the writer's input (JSON) and as DuckDB prints it. */
static void flat_row(int k, json_t **in, json_t **want)
{
    *in = json_object();
    *want = json_object();
    if (k % 3 != 0) {
        json_object_set_new(*in, "b", json_boolean(k % 2));
        json_object_set_new(*want, "b", json_boolean(k % 2));
    }
    int32_t i = (int32_t)((uint32_t)k * 2654435761u);
    if (k == 1)
        i = INT32_MIN;
    if (k == 2)
        i = INT32_MAX;
    json_object_set_new(*in, "i", json_integer(i));
    json_object_set_new(*want, "i", json_integer(i));
    if (k % 5 != 0) {
        int64_t l = (int64_t)k * 7919 * 1000003 * (k % 2 ? -1 : 1);
        if (k == 7)
            l = INT64_MIN;
        if (k == 11)
            l = INT64_MAX;
        json_object_set_new(*in, "l", json_integer(l));
        json_object_set_new(*want, "l", json_integer(l));
    }
    if (k % 7 != 0) {
        double d = k * 0.25 - 100.0;
        if (k == 3)
            d = 1e300;
        if (k == 6)
            d = -1.5e-300;
        json_object_set_new(*in, "d", json_real(d));
        json_object_set_new(*want, "d", json_real(d));
    }
    if (k % 4 != 0) {
        const char *s = words[k % 8];
        json_object_set_new(*in, "s", json_string(s));
        json_object_set_new(*want, "s", json_string(s));
    }
    char u[64];
    snprintf(u, sizeof u, "unique-%d-%08x", k, (unsigned)(k * 40503u));
    json_object_set_new(*in, "u", json_string(u));
    json_object_set_new(*want, "u", json_string(u));
    if (k % 6 != 1) {
        int64_t days = row_days(k);
        char text[32];
        pqw_format_date(days, text, sizeof text);
        /* both input forms: a day number and the ISO text */
        json_object_set_new(*in, "dt", k % 2 ? json_integer(days) : json_string(text));
        json_object_set_new(*want, "dt", json_string(text));
    }
    if (k % 9 != 2) {
        int64_t us = row_micros(k);
        char text[48];
        pqw_format_timestamp(us, text, sizeof text);
        json_object_set_new(*in, "ts", k % 2 ? json_integer(us) : json_string(text));
        json_object_set_new(*want, "ts", json_string(text));
    }
}

static void write_flat(const struct lr_parquet_writer_options *o, int nrows, struct lr_buf *out,
                       json_t *want)
{
    struct lr_error err;
    struct lr_parquet_writer *w = flat_writer(o);
    for (int k = 0; k < nrows; k++) {
        json_t *in;
        json_t *row;
        flat_row(k, &in, &row);
        if (lr_parquet_writer_append_json(w, in, &err) < 0)
            fail_msg("row %d: %s", k, err.message);
        json_decref(in);
        if (want)
            json_array_append_new(want, row);
        else
            json_decref(row);
    }
    assert_int_equal(lr_parquet_writer_rows(w), nrows);
    if (lr_parquet_writer_finish(w, out, &err) < 0)
        fail_msg("finish: %s", err.message);
    lr_parquet_writer_free(w);
}

static int64_t meta_int(const char *sql, const char *key)
{
    json_t *rows = pqw_duckdb(sql);
    assert_int_equal(json_array_size(rows), 1);
    json_t *v = json_object_get(json_array_get(rows, 0), key);
    assert_true(json_is_integer(v));
    int64_t x = json_integer_value(v);
    json_decref(rows);
    return x;
}

/* One DuckDB run reads every codec's file (node start-up dominates these tests). */
static void test_every_type_reads_back_identically_with_each_codec(void **state)
{
    (void)state;
    static const struct {
        enum lr_parquet_wcodec codec;
        const char *name;
    } codecs[] = {{LR_PQW_GZIP, "GZIP"}, {LR_PQW_LZ4_RAW, "LZ4_RAW"}, {LR_PQW_SNAPPY, "SNAPPY"},
                  {LR_PQW_UNCOMPRESSED, "UNCOMPRESSED"}, {LR_PQW_ZSTD, "ZSTD"}};
    enum { NCODECS = sizeof codecs / sizeof codecs[0] };
    json_t *want = json_array();
    char *paths[NCODECS];
    for (size_t c = 0; c < NCODECS; c++) {
        struct lr_parquet_writer_options o = {0};
        o.codec = codecs[c].codec;
        o.row_group_rows = 1000;
        o.page_rows = 300;
        struct lr_buf b = LR_BUF_INIT;
        json_array_clear(want);
        write_flat(&o, 2500, &b, want);
        char name[64];
        snprintf(name, sizeof name, "codec_%s.parquet", codecs[c].name);
        paths[c] = pqw_save(dir, name, &b);
        json_t *ours = pqw_read_ours(&b, name);
        pqw_assert_rows_forms(want, ours, PQW_TS_FORMS);
        json_decref(ours);
        json_t *arrow = pqw_other_reader("arrow-rs", paths[c]);
        pqw_assert_rows_forms(want, arrow, PQW_TS_FORMS);
        json_decref(arrow);
        lr_buf_free(&b);
    }
    /* the rows of all five files, in file order (the glob sorts by name, as codecs[] is) */
    char *sql = lr_asprintf("SELECT * EXCLUDE (filename, file_row_number) FROM "
                            "read_parquet('%s/codec_*.parquet', filename = true, "
                            "file_row_number = true) ORDER BY filename, file_row_number", dir);
    json_t *got = pqw_duckdb(sql);
    assert_int_equal(json_array_size(got), NCODECS * json_array_size(want));
    for (size_t c = 0; c < NCODECS; c++) {
        json_t *part = json_array();
        for (size_t i = 0; i < json_array_size(want); i++)
            json_array_append(part, json_array_get(got, c * json_array_size(want) + i));
        pqw_assert_rows(want, part);
        json_decref(part);
    }
    json_decref(got);
    free(sql);
    sql = lr_asprintf("SELECT count(DISTINCT row_group_id) AS g, min(compression) AS c1, "
                      "max(compression) AS c2, count(DISTINCT data_page_offset) AS chunks "
                      "FROM parquet_metadata('%s/codec_*.parquet') GROUP BY file_name "
                      "ORDER BY file_name", dir);
    json_t *meta = pqw_duckdb(sql);
    assert_int_equal(json_array_size(meta), NCODECS);
    for (size_t c = 0; c < NCODECS; c++) {
        json_t *m = json_array_get(meta, c);
        assert_int_equal(json_integer_value(json_object_get(m, "g")), 3);
        assert_int_equal(json_integer_value(json_object_get(m, "chunks")), 3 * 8);
        assert_string_equal(json_string_value(json_object_get(m, "c1")), codecs[c].name);
        assert_string_equal(json_string_value(json_object_get(m, "c2")), codecs[c].name);
        free(paths[c]);
    }
    json_decref(meta);
    json_decref(want);
    free(sql);
}

static void test_duckdb_sees_the_declared_types(void **state)
{
    (void)state;
    struct lr_buf b = LR_BUF_INIT;
    write_flat(NULL, 20, &b, NULL);
    char *path = pqw_save(dir, "types.parquet", &b);
    char *sql = lr_asprintf("DESCRIBE SELECT * FROM read_parquet('%s')", path);
    json_t *rows = pqw_duckdb(sql);
    static const char *const want[][2] = {
        {"b", "BOOLEAN"}, {"i", "INTEGER"}, {"l", "BIGINT"}, {"d", "DOUBLE"}, {"s", "VARCHAR"},
        {"u", "VARCHAR"}, {"dt", "DATE"}, {"ts", "TIMESTAMP WITH TIME ZONE"}};
    assert_int_equal(json_array_size(rows), 8);
    for (size_t i = 0; i < 8; i++) {
        json_t *r = json_array_get(rows, i);
        assert_string_equal(json_string_value(json_object_get(r, "column_name")), want[i][0]);
        assert_string_equal(json_string_value(json_object_get(r, "column_type")), want[i][1]);
    }
    json_decref(rows);
    free(sql);
    sql = lr_asprintf("SELECT name, repetition_type FROM parquet_schema('%s') "
                      "WHERE name IN ('i', 'u', 's')", path);
    rows = pqw_duckdb(sql);
    assert_int_equal(json_array_size(rows), 3);
    for (size_t i = 0; i < 3; i++) {
        json_t *r = json_array_get(rows, i);
        const char *n = json_string_value(json_object_get(r, "name"));
        assert_string_equal(json_string_value(json_object_get(r, "repetition_type")),
                            strcmp(n, "s") == 0 ? "OPTIONAL" : "REQUIRED");
    }
    json_decref(rows);
    free(sql);
    free(path);
    lr_buf_free(&b);
}

static void test_row_groups_close_at_the_size_threshold(void **state)
{
    (void)state;
    struct lr_parquet_writer_options o = {0};
    o.row_group_bytes = 64 * 1024;
    struct lr_buf b = LR_BUF_INIT;
    json_t *want = json_array();
    write_flat(&o, 6000, &b, want);
    char *path = pqw_save(dir, "by_size.parquet", &b);
    char *sql = lr_asprintf("SELECT num_row_groups AS g, num_rows AS n "
                            "FROM parquet_file_metadata('%s')", path);
    int64_t groups = meta_int(sql, "g");
    assert_true(groups >= 4);
    assert_true(groups <= 12);
    assert_int_equal(meta_int(sql, "n"), 6000);
    free(sql);
    sql = lr_asprintf("SELECT * FROM read_parquet('%s')", path);
    json_t *got = pqw_duckdb(sql);
    pqw_assert_rows(want, got);
    json_decref(got);
    got = pqw_read_ours(&b, path);
    pqw_assert_rows_forms(want, got, PQW_TS_FORMS);
    json_decref(got);
    json_decref(want);
    free(sql);
    free(path);
    lr_buf_free(&b);
}

/* Column s repeats 8 words (a dictionary pays), u is unique (it would not). */
static void test_dictionary_only_where_it_pays(void **state)
{
    (void)state;
    for (int off = 0; off < 2; off++) {
        struct lr_parquet_writer_options o = {0};
        o.is_dictionary_off = off;
        struct lr_buf b = LR_BUF_INIT;
        json_t *want = json_array();
        write_flat(&o, 3000, &b, want);
        char *path = pqw_save(dir, off ? "dict_off.parquet" : "dict_on.parquet", &b);
        char *sql = lr_asprintf("SELECT path_in_schema AS p, encodings AS e, "
                                "dictionary_page_offset AS dpo FROM parquet_metadata('%s') "
                                "WHERE path_in_schema IN ('s', 'u') ORDER BY p", path);
        json_t *rows = pqw_duckdb(sql);
        assert_int_equal(json_array_size(rows), 2);
        json_t *s = json_array_get(rows, 0);
        json_t *u = json_array_get(rows, 1);
        const char *se = json_string_value(json_object_get(s, "e"));
        const char *ue = json_string_value(json_object_get(u, "e"));
        assert_true(off ? strstr(se, "DICTIONARY") == NULL : strstr(se, "RLE_DICTIONARY") != NULL);
        assert_true(off ? json_is_null(json_object_get(s, "dpo"))
                        : json_is_integer(json_object_get(s, "dpo")));
        assert_null(strstr(ue, "DICTIONARY"));
        assert_true(json_is_null(json_object_get(u, "dpo")));
        json_decref(rows);
        free(sql);
        sql = lr_asprintf("SELECT * FROM read_parquet('%s')", path);
        json_t *got = pqw_duckdb(sql);
        pqw_assert_rows(want, got);
        json_decref(got);
        got = pqw_read_ours(&b, path);
        pqw_assert_rows_forms(want, got, PQW_TS_FORMS);
        json_decref(got);
        json_decref(want);
        free(sql);
        free(path);
        lr_buf_free(&b);
    }
}

static void test_statistics_as_duckdb_reads_them(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_parquet_writer *w = flat_writer(NULL);
    const char *rows[] = {
        "{\"b\": false, \"i\": 5, \"l\": -7, \"d\": 2.5, \"s\": \"pear\", \"u\": \"x\","
        " \"dt\": \"2024-02-29\", \"ts\": \"2024-01-02T03:04:05.5Z\"}",
        "{\"i\": -5, \"u\": \"\", \"d\": -0.0}",
        "{\"b\": true, \"i\": 9, \"l\": 40000000000, \"s\": \"apple\", \"u\": \"\\u00ff\","
        " \"dt\": -1, \"ts\": \"1969-12-31 23:59:59+01:00\"}",
    };
    for (size_t k = 0; k < 3; k++) {
        json_error_t je;
        json_t *r = json_loads(rows[k], 0, &je);
        assert_non_null(r);
        if (lr_parquet_writer_append_json(w, r, &err) < 0)
            fail_msg("row %zu: %s", k, err.message);
        json_decref(r);
    }
    struct lr_buf b = LR_BUF_INIT;
    assert_int_equal(lr_parquet_writer_finish(w, &b, &err), 0);
    lr_parquet_writer_free(w);
    char *path = pqw_save(dir, "stats.parquet", &b);
    char *sql = lr_asprintf("SELECT path_in_schema AS p, stats_null_count AS n, "
                            "stats_min_value AS lo, stats_max_value AS hi, stats_min AS olo, "
                            "stats_max AS ohi FROM parquet_metadata('%s')", path);
    json_t *got = pqw_duckdb(sql);
    json_error_t je;
    json_t *want = json_loads(
        "[{\"p\":\"b\",\"n\":1,\"lo\":\"false\",\"hi\":\"true\",\"olo\":\"false\","
        "\"ohi\":\"true\"},"
        "{\"p\":\"i\",\"n\":0,\"lo\":\"-5\",\"hi\":\"9\",\"olo\":\"-5\",\"ohi\":\"9\"},"
        "{\"p\":\"l\",\"n\":1,\"lo\":\"-7\",\"hi\":\"40000000000\",\"olo\":\"-7\","
        "\"ohi\":\"40000000000\"},"
        "{\"p\":\"d\",\"n\":1,\"lo\":\"-0.0\",\"hi\":\"2.5\",\"olo\":\"-0.0\",\"ohi\":\"2.5\"},"
        "{\"p\":\"s\",\"n\":1,\"lo\":\"apple\",\"hi\":\"pear\",\"olo\":null,\"ohi\":null},"
        "{\"p\":\"u\",\"n\":0,\"lo\":\"\",\"hi\":\"\u00ff\",\"olo\":null,\"ohi\":null},"
        "{\"p\":\"dt\",\"n\":1,\"lo\":\"1969-12-31\",\"hi\":\"2024-02-29\",\"olo\":\"1969-12-31\","
        "\"ohi\":\"2024-02-29\"},"
        "{\"p\":\"ts\",\"n\":1,\"lo\":\"1969-12-31 22:59:59+00\","
        "\"hi\":\"2024-01-02 03:04:05.5+00\",\"olo\":\"1969-12-31 22:59:59+00\","
        "\"ohi\":\"2024-01-02 03:04:05.5+00\"}]", 0, &je);
    assert_non_null(want);
    pqw_assert_rows(want, got);
    json_decref(want);
    json_decref(got);
    free(sql);
    /* DuckDB prunes row groups with these statistics; the rows still come back right */
    sql = lr_asprintf("SELECT i FROM read_parquet('%s') WHERE s = 'apple'", path);
    got = pqw_duckdb(sql);
    assert_int_equal(json_array_size(got), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(got, 0), "i")), 9);
    json_decref(got);
    free(sql);
    free(path);
    lr_buf_free(&b);
}

static void test_key_value_metadata_and_created_by(void **state)
{
    (void)state;
    struct lr_parquet_writer_kv kv[] = {{"lakerewind.table", "CheckpointHistory"},
                                 {"empty", ""},
                                 {"utf8 ✓", "värde"}};
    struct lr_parquet_writer_options o = {0};
    o.kv = kv;
    o.kv_count = 3;
    struct lr_buf b = LR_BUF_INIT;
    write_flat(&o, 5, &b, NULL);
    char *path = pqw_save(dir, "kv.parquet", &b);
    char *sql = lr_asprintf("SELECT decode(key) AS k, decode(value) AS v "
                            "FROM parquet_kv_metadata('%s')", path);
    json_t *got = pqw_duckdb(sql);
    json_error_t je;
    json_t *want = json_loads("[{\"k\":\"lakerewind.table\",\"v\":\"CheckpointHistory\"},"
                              "{\"k\":\"empty\",\"v\":\"\"},{\"k\":\"utf8 ✓\",\"v\":\"värde\"}]",
                              0, &je);
    pqw_assert_rows(want, got);
    json_decref(want);
    json_decref(got);
    free(sql);
    sql = lr_asprintf("SELECT created_by AS c, num_rows AS n FROM parquet_file_metadata('%s')",
                      path);
    got = pqw_duckdb(sql);
    char *expect = lr_asprintf("lakerewind version %s", LR_VERSION_STRING);
    assert_string_equal(json_string_value(json_object_get(json_array_get(got, 0), "c")), expect);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(got, 0), "n")), 5);
    free(expect);
    json_decref(got);
    free(sql);
    free(path);
    lr_buf_free(&b);
}

/* The typed API writes the same bytes as JSON rows holding the same values. */
static void test_typed_appends_write_the_same_file_as_json_rows(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_parquet_writer_options o = {0};
    o.row_group_rows = 100;
    struct lr_buf from_json = LR_BUF_INIT;
    json_t *want = json_array();
    write_flat(&o, 250, &from_json, want);

    struct lr_parquet_writer *w = flat_writer(&o);
    for (int k = 0; k < 250; k++) {
        json_t *in;
        json_t *row;
        flat_row(k, &in, &row);
        json_t *v;
        int rc = 0;
        if ((v = json_object_get(in, "b")))
            rc |= lr_parquet_writer_set_bool(w, C_B, json_is_true(v), &err);
        else if (k % 2)
            rc |= lr_parquet_writer_set_null(w, C_B, &err); /* explicit null = unset */
        rc |= lr_parquet_writer_set_int32(w, C_I, (int32_t)json_integer_value(
                                                      json_object_get(in, "i")), &err);
        if ((v = json_object_get(in, "l")))
            rc |= lr_parquet_writer_set_int64(w, C_L, json_integer_value(v), &err);
        if ((v = json_object_get(in, "d")))
            rc |= lr_parquet_writer_set_double(w, C_D, json_real_value(v), &err);
        if ((v = json_object_get(in, "s")))
            rc |= lr_parquet_writer_set_string(w, C_S, json_string_value(v),
                                               json_string_length(v), &err);
        v = json_object_get(in, "u");
        rc |= lr_parquet_writer_set_string(w, C_U, json_string_value(v), json_string_length(v),
                                           &err);
        if (json_object_get(row, "dt"))
            rc |= lr_parquet_writer_set_int32(w, C_DT, (int32_t)row_days(k), &err);
        if (json_object_get(row, "ts"))
            rc |= lr_parquet_writer_set_int64(w, C_TS, row_micros(k), &err);
        if (rc)
            fail_msg("row %d: %s", k, err.message);
        if (lr_parquet_writer_end_row(w, &err) < 0)
            fail_msg("end row %d: %s", k, err.message);
        json_decref(in);
        json_decref(row);
    }
    struct lr_buf typed = LR_BUF_INIT;
    assert_int_equal(lr_parquet_writer_finish(w, &typed, &err), 0);
    lr_parquet_writer_free(w);
    assert_int_equal(typed.len, from_json.len);
    assert_memory_equal(typed.data, from_json.data, typed.len);

    char *path = pqw_save(dir, "typed.parquet", &typed);
    char *sql = lr_asprintf("SELECT * FROM read_parquet('%s')", path);
    json_t *got = pqw_duckdb(sql);
    pqw_assert_rows(want, got);
    json_decref(got);
    json_decref(want);
    free(sql);
    free(path);
    lr_buf_free(&typed);
    lr_buf_free(&from_json);
}

static void test_zero_rows_still_make_a_readable_file(void **state)
{
    (void)state;
    struct lr_buf b = LR_BUF_INIT;
    write_flat(NULL, 0, &b, NULL);
    char *path = pqw_save(dir, "empty.parquet", &b);
    char *sql = lr_asprintf("SELECT count(*) AS n FROM read_parquet('%s')", path);
    assert_int_equal(meta_int(sql, "n"), 0);
    free(sql);
    sql = lr_asprintf("SELECT count(*) AS n FROM parquet_schema('%s')", path);
    assert_int_equal(meta_int(sql, "n"), 9);
    free(sql);
    free(path);
    lr_buf_free(&b);
}

/* Bad rows are refused with the column named and leave no trace in the file. */
static void test_bad_rows_are_refused_and_leave_no_trace(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_buf clean = LR_BUF_INIT;
    write_flat(NULL, 40, &clean, NULL);

    struct lr_parquet_writer *w = flat_writer(NULL);
    static const struct {
        const char *row;
        int code;
        const char *says;
    } bad[] = {
        {"{\"u\": \"x\"}", LR_EINVAL, "required column i is missing"},
        {"{\"i\": 1}", LR_EINVAL, "required column u"},
        {"{\"i\": 1, \"u\": \"x\", \"b\": 1}", LR_EINVAL, "column b: expected true or false"},
        {"{\"i\": 4294967296, \"u\": \"x\"}", LR_ERANGE, "does not fit in 32 bits"},
        {"{\"i\": 1, \"u\": \"x\", \"s\": 5}", LR_EINVAL, "column s: expected a string"},
        {"{\"i\": 1, \"u\": \"x\", \"dt\": \"2024-13-01\"}", LR_EINVAL, "column dt"},
        {"{\"i\": 1, \"u\": \"x\", \"ts\": \"yesterday\"}", LR_EINVAL, "column ts"},
        {"{\"i\": 1, \"u\": \"x\", \"extra\": 1}", LR_EINVAL, "\"extra\" is not in the"},
        {"[1, 2]", LR_EINVAL, "must be a JSON object"},
    };
    int k = 0;
    for (size_t j = 0; j < sizeof bad / sizeof bad[0]; j++) {
        /* interleave good rows so a bad row's partial entries would show */
        for (int g = 0; g < 4; g++, k++) {
            json_t *in;
            json_t *row;
            flat_row(k, &in, &row);
            assert_int_equal(lr_parquet_writer_append_json(w, in, &err), 0);
            json_decref(in);
            json_decref(row);
        }
        json_error_t je;
        json_t *r = json_loads(bad[j].row, 0, &je);
        assert_non_null(r);
        int rc = lr_parquet_writer_append_json(w, r, &err);
        json_decref(r);
        assert_int_equal(rc, bad[j].code);
        if (!strstr(err.message, bad[j].says))
            fail_msg("row %s: message \"%s\" lacks \"%s\"", bad[j].row, err.message,
                     bad[j].says);
    }
    for (; k < 40; k++) {
        json_t *in;
        json_t *row;
        flat_row(k, &in, &row);
        assert_int_equal(lr_parquet_writer_append_json(w, in, &err), 0);
        json_decref(in);
        json_decref(row);
    }
    /* typed misuse */
    assert_int_equal(lr_parquet_writer_set_int64(w, C_I, 1, &err), LR_EINVAL);
    assert_int_equal(lr_parquet_writer_set_null(w, C_U, &err), LR_EINVAL);
    assert_int_equal(lr_parquet_writer_set_bool(w, 99, true, &err), LR_EINVAL);
    assert_int_equal(lr_parquet_writer_add(w, 0, "late", LR_PQW_INT32, false, 0, &err),
                     LR_EINVAL);
    struct lr_buf b = LR_BUF_INIT;
    assert_int_equal(lr_parquet_writer_finish(w, &b, &err), 0);
    json_t *empty = json_object();
    assert_int_equal(lr_parquet_writer_append_json(w, empty, &err), LR_ESTATE);
    json_decref(empty);
    lr_parquet_writer_free(w);
    assert_int_equal(b.len, clean.len);
    assert_memory_equal(b.data, clean.data, b.len);
    lr_buf_free(&b);
    lr_buf_free(&clean);
}

static void test_schema_declaration_errors(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_parquet_writer *w = NULL;
    assert_int_equal(lr_parquet_writer_new(&w, NULL, &err), 0);
    assert_int_equal(lr_parquet_writer_add(w, 0, "", LR_PQW_INT32, false, 0, &err), LR_EINVAL);
    int a = lr_parquet_writer_add(w, 0, "a", LR_PQW_INT32, false, 0, &err);
    assert_true(a > 0);
    assert_int_equal(lr_parquet_writer_add(w, 0, "A", LR_PQW_INT32, false, 0, &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "declared twice"));
    assert_int_equal(lr_parquet_writer_add(w, a, "x", LR_PQW_INT32, false, 0, &err), LR_EINVAL);
    assert_int_equal(lr_parquet_writer_add(w, 0, "m", LR_PQW_MAP, false, LR_PQW_STRUCT, &err),
                     LR_EINVAL);
    int parent = 0;
    int rc = 0;
    for (int d = 0; d < 20 && rc >= 0; d++) {
        char name[16];
        snprintf(name, sizeof name, "s%d", d);
        rc = lr_parquet_writer_add(w, parent, name, LR_PQW_STRUCT, false, 0, &err);
        parent = rc;
    }
    assert_int_equal(rc, LR_ELIMIT);
    lr_parquet_writer_free(w);

    assert_int_equal(lr_parquet_writer_new(&w, NULL, &err), 0);
    struct lr_buf b = LR_BUF_INIT;
    assert_int_equal(lr_parquet_writer_finish(w, &b, &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "at least one leaf"));
    lr_parquet_writer_free(w);
    struct lr_parquet_writer_options o = {0};
    o.codec = (enum lr_parquet_wcodec)42;
    assert_int_equal(lr_parquet_writer_new(&w, &o, &err), LR_EINVAL);
    assert_null(w);
}

/* Rows as our reader returns them go back into the writer unchanged: same file, byte for byte. */
static void test_rows_from_our_reader_write_the_same_file(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_parquet_writer_options o = {0};
    o.row_group_rows = 1000;
    o.codec = LR_PQW_ZSTD;
    struct lr_buf first = LR_BUF_INIT;
    write_flat(&o, 2500, &first, NULL);
    json_t *rows = pqw_read_ours(&first, "first.parquet");
    struct lr_parquet_writer *w = flat_writer(&o);
    pqw_append_all(w, rows);
    struct lr_buf second = LR_BUF_INIT;
    assert_int_equal(lr_parquet_writer_finish(w, &second, &err), 0);
    lr_parquet_writer_free(w);
    assert_int_equal(second.len, first.len);
    assert_memory_equal(second.data, first.data, first.len);
    json_decref(rows);
    lr_buf_free(&first);
    lr_buf_free(&second);
}

/* The comparison the DuckDB tests rely on does tell rows apart. */
static void test_row_comparison_catches_differences(void **state)
{
    (void)state;
    static const char *const same[][2] = {
        {"{\"a\": 2}", "{\"a\": 2.0}"},
        {"{\"a\": 9223372036854775807}", "{\"a\": \"9223372036854775807\"}"},
        {"{\"a\": 1}", "{\"a\": 1, \"b\": null}"},
        {"{\"m\": {\"x\": \"1\", \"y\": null}}", "{\"m\": {\"y\": null, \"x\": \"1\"}}"},
    };
    static const char *const differ[][2] = {
        {"{\"a\": 2}", "{\"a\": 3}"},
        {"{\"a\": 9223372036854775807}", "{\"a\": \"9223372036854775806\"}"},
        {"{\"a\": 1}", "{\"a\": 1, \"b\": 0}"},
        {"{\"a\": null}", "{\"a\": 0}"},
        {"{\"l\": [\"x\"]}", "{\"l\": [\"x\", null]}"},
        {"{\"l\": []}", "{\"l\": null}"},
        {"{\"m\": {}}", "{\"m\": null}"},
        {"{\"s\": \"x\"}", "{\"s\": \"x \"}"},
        {"{\"b\": true}", "{\"b\": 1}"},
    };
    char why[256];
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        json_t *a = json_loads(same[i][0], 0, NULL);
        json_t *b = json_loads(same[i][1], 0, NULL);
        assert_true(pqw_same(a, b, why, sizeof why));
        json_decref(a);
        json_decref(b);
    }
    for (size_t i = 0; i < sizeof differ / sizeof differ[0]; i++) {
        json_t *a = json_loads(differ[i][0], 0, NULL);
        json_t *b = json_loads(differ[i][1], 0, NULL);
        assert_false(pqw_same(a, b, why, sizeof why));
        assert_false(pqw_same(b, a, why, sizeof why));
        json_decref(a);
        json_decref(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type_reads_back_identically_with_each_codec),
        cmocka_unit_test(test_duckdb_sees_the_declared_types),
        cmocka_unit_test(test_row_groups_close_at_the_size_threshold),
        cmocka_unit_test(test_dictionary_only_where_it_pays),
        cmocka_unit_test(test_statistics_as_duckdb_reads_them),
        cmocka_unit_test(test_key_value_metadata_and_created_by),
        cmocka_unit_test(test_typed_appends_write_the_same_file_as_json_rows),
        cmocka_unit_test(test_zero_rows_still_make_a_readable_file),
        cmocka_unit_test(test_bad_rows_are_refused_and_leave_no_trace),
        cmocka_unit_test(test_schema_declaration_errors),
        cmocka_unit_test(test_rows_from_our_reader_write_the_same_file),
        cmocka_unit_test(test_row_comparison_catches_differences),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
