/* test_duckdb_written.c - files written by DuckDB, read by our reader (lakerewind/parquet.h)
 * with the same rows DuckDB reads from them: a flat table of every common type and a nested
 * checkpoint-like table (struct, map with null values, empty and null maps and lists,
 * list<list>), each with every codec DuckDB writes (SNAPPY, GZIP, ZSTD, LZ4_RAW,
 * UNCOMPRESSED), format version V1 and V2 (V2: DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY,
 * RLE_DICTIONARY), and dictionaries on and off. The files are generated at test time; DuckDB's
 * own reading of them is the expected result. Form differences between the two JSON renderings
 * (timestamp text, float32 widening, DECIMAL as text) are forgiven by PQW_TS_FORMS and
 * PQW_NUM_FORMS; values are not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/str.h"
#include "pqw_support.h"
#include "testsupport.h"

static char *dir;

static const struct variant {
    const char *tag;
    const char *options;
} variants[] = {
    {"v1_snappy", "COMPRESSION snappy"},
    {"v1_gzip", "COMPRESSION gzip"},
    {"v1_zstd", "COMPRESSION zstd"},
    {"v1_lz4raw", "COMPRESSION lz4_raw"},
    {"v1_none", "COMPRESSION uncompressed"},
    {"v1_snappy_nodict", "COMPRESSION snappy, DICTIONARY_SIZE_LIMIT 0"},
    {"v2_snappy", "COMPRESSION snappy, PARQUET_VERSION 'V2'"},
    {"v2_zstd", "COMPRESSION zstd, PARQUET_VERSION 'V2'"},
    {"v2_gzip_nodict", "COMPRESSION gzip, PARQUET_VERSION 'V2', DICTIONARY_SIZE_LIMIT 0"},
    {"v2_lz4raw", "COMPRESSION lz4_raw, PARQUET_VERSION 'V2'"},
};
#define NVARIANTS (sizeof variants / sizeof variants[0])

static const char flat_table[] =
    "CREATE TABLE flat AS SELECT i::INTEGER AS id,"
    " CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 100)::TINYINT END AS tiny,"
    " (i * 7 % 30000)::SMALLINT AS small,"
    " CASE WHEN i % 7 = 0 THEN NULL ELSE i::BIGINT * 1000000007 * (1 - 2 * (i % 2)) END AS big,"
    " CASE WHEN i % 11 = 0 THEN NULL ELSE i % 3 = 0 END AS flag,"
    " CASE WHEN i % 4 = 0 THEN NULL ELSE 'name-' || (i % 13) END AS name,"
    " 'unique-' || i || '-' || md5(i::VARCHAR) AS u,"
    " CASE WHEN i % 9 = 0 THEN NULL ELSE (i * 0.5 - 7.25)::FLOAT END AS f,"
    " i / 3.0 AS dbl,"
    " (i * 1.25)::DECIMAL(9, 2) AS dec9, (i * -123.4567)::DECIMAL(18, 4) AS dec18,"
    " (i * 1.1)::DECIMAL(38, 10) AS dec38,"
    " DATE '1960-01-01' + (i * 17 % 40000)::INTEGER AS d,"
    " TIMESTAMP '2024-01-01 00:00:00' + to_microseconds(i::BIGINT * 1234567891) AS ts,"
    " (TIMESTAMP '2024-01-01 00:00:00' + to_microseconds(i::BIGINT * 777))::TIMESTAMP_MS"
    "   AS ts_ms,"
    " TIMESTAMPTZ '1999-12-31 23:00:00+00' + to_microseconds(i::BIGINT * 999) AS tstz"
    " FROM range(3000) r(i);";

static const char nested_table[] =
    "CREATE TABLE nested AS SELECT i::INTEGER AS id,"
    " CASE WHEN i % 3 = 0 THEN NULL ELSE {"
    "   'path': 'date=2024-01-' || (i % 28 + 1) || '/part-' || i || '.parquet',"
    "   'partitionValues': CASE i % 4"
    "     WHEN 0 THEN MAP {'date': '2024-01-02', 'region': NULL}::MAP(VARCHAR, VARCHAR)"
    "     WHEN 1 THEN MAP([]::VARCHAR[], []::VARCHAR[])"
    "     WHEN 2 THEN NULL"
    "     ELSE MAP {'date': '2024-01-' || (i % 28 + 1), 'region': 'eu'} END,"
    "   'size': i::BIGINT * 10, 'dataChange': i % 2 = 0,"
    "   'stats': CASE WHEN i % 5 = 0 THEN NULL ELSE '{\"numRecords\":' || i || '}' END,"
    "   'deletionVector': CASE WHEN i % 7 = 0 THEN {'storageType': 'u',"
    "     'pathOrInlineDv': 'dv' || i, 'offset': i::INTEGER, 'sizeInBytes': 40,"
    "     'cardinality': i::BIGINT} ELSE NULL END} END AS add,"
    " CASE WHEN i % 3 = 0 THEN {'minReaderVersion': 3, 'minWriterVersion': 7,"
    "   'readerFeatures': CASE i % 2 WHEN 0 THEN ['deletionVectors'] ELSE [] END,"
    "   'writerFeatures': CASE WHEN i % 9 = 0 THEN NULL"
    "     ELSE ['deletionVectors', NULL, 'appendOnly'] END} ELSE NULL END AS protocol,"
    " CASE WHEN i % 10 = 0 THEN NULL ELSE [[i, NULL], [], [i * 2]] END AS ll"
    " FROM range(2500) r(i);";

static int setup(void **state)
{
    (void)state;
    dir = lr_test_tmpdir("pqw-duckdb-written");
    struct lr_buf sql = LR_BUF_INIT;
    struct lr_error err;
    assert_int_equal(lr_buf_append_str(&sql, "SET threads = 1;", &err), 0);
    assert_int_equal(lr_buf_append_str(&sql, flat_table, &err), 0);
    assert_int_equal(lr_buf_append_str(&sql, nested_table, &err), 0);
    for (size_t v = 0; v < NVARIANTS; v++) {
        assert_int_equal(lr_buf_printf(&sql, &err,
                                       "COPY flat TO '%s/flat_%s.parquet' (FORMAT parquet, %s);"
                                       "COPY nested TO '%s/nested_%s.parquet' "
                                       "(FORMAT parquet, %s);",
                                       dir, variants[v].tag, variants[v].options, dir,
                                       variants[v].tag, variants[v].options),
                         0);
    }
    assert_int_equal(lr_buf_append_str(&sql, "SELECT 1 AS done", &err), 0);
    json_decref(pqw_duckdb((const char *)sql.data));
    lr_buf_free(&sql);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(dir);
    return 0;
}

/* DuckDB's rows of every variant of `table` in one query, split per file in variant order. */
static json_t *duckdb_rows(const char *table)
{
    struct lr_buf sql = LR_BUF_INIT;
    struct lr_error err;
    assert_int_equal(lr_buf_append_str(&sql, "SELECT * FROM read_parquet([", &err), 0);
    for (size_t v = 0; v < NVARIANTS; v++)
        assert_int_equal(lr_buf_printf(&sql, &err, "%s'%s/%s_%s.parquet'", v ? ", " : "", dir,
                                       table, variants[v].tag),
                         0);
    assert_int_equal(lr_buf_append_str(&sql, "], filename = true, file_row_number = true)"
                                              " ORDER BY filename, file_row_number", &err),
                     0);
    json_t *all = pqw_duckdb((const char *)sql.data);
    lr_buf_free(&sql);
    json_t *per = json_array();
    for (size_t v = 0; v < NVARIANTS; v++)
        json_array_append_new(per, json_array());
    size_t i;
    json_t *row;
    json_array_foreach(all, i, row) {
        const char *fn = json_string_value(json_object_get(row, "filename"));
        assert_non_null(fn);
        size_t v = 0;
        for (; v < NVARIANTS; v++) {
            char *want = lr_asprintf("%s/%s_%s.parquet", dir, table, variants[v].tag);
            bool is_it = strcmp(fn, want) == 0;
            free(want);
            if (is_it)
                break;
        }
        assert_true(v < NVARIANTS);
        json_object_del(row, "filename");
        json_object_del(row, "file_row_number");
        json_array_append(json_array_get(per, v), row);
    }
    json_decref(all);
    return per;
}

static void check_table(const char *table, size_t nrows)
{
    json_t *per = duckdb_rows(table);
    for (size_t v = 0; v < NVARIANTS; v++) {
        char *path = lr_asprintf("%s/%s_%s.parquet", dir, table, variants[v].tag);
        size_t len = 0;
        char *data = lr_test_read_file(path, &len);
        assert_non_null(data);
        struct lr_buf file = {(uint8_t *)data, len, len, 0};
        json_t *want = json_array_get(per, v);
        assert_int_equal(json_array_size(want), nrows);
        json_t *ours = pqw_read_ours(&file, path);
        print_message("%s: %zu rows\n", path, json_array_size(ours));
        pqw_assert_rows_forms(want, ours, PQW_TS_FORMS | PQW_NUM_FORMS);
        json_decref(ours);
        free(data);
        free(path);
    }
    json_decref(per);
}

static void test_flat_duckdb_files_read_identically_in_every_variant(void **state)
{
    (void)state;
    check_table("flat", 3000);
}

static void test_nested_duckdb_files_read_identically_in_every_variant(void **state)
{
    (void)state;
    check_table("nested", 2500);
}

/* The variants really differ where they should: codecs and V2 encodings as DuckDB reports. */
static void test_variants_cover_codecs_and_encodings(void **state)
{
    (void)state;
    char *sql = lr_asprintf(
        "SELECT string_agg(DISTINCT compression, ',' ORDER BY compression) AS codecs,"
        " string_agg(DISTINCT encodings, ',' ORDER BY encodings) AS encs"
        " FROM parquet_metadata('%s/flat_*.parquet')", dir);
    json_t *rows = pqw_duckdb(sql);
    const char *codecs = json_string_value(json_object_get(json_array_get(rows, 0), "codecs"));
    const char *encs = json_string_value(json_object_get(json_array_get(rows, 0), "encs"));
    assert_non_null(codecs);
    assert_non_null(encs);
    for (const char *c = "GZIP\0LZ4_RAW\0SNAPPY\0UNCOMPRESSED\0ZSTD\0"; *c; c += strlen(c) + 1)
        if (!strstr(codecs, c))
            fail_msg("no %s among %s", c, codecs);
    for (const char *e = "DELTA_BINARY_PACKED\0DELTA_LENGTH_BYTE_ARRAY\0RLE_DICTIONARY\0"
                         "PLAIN_DICTIONARY\0PLAIN\0"; *e; e += strlen(e) + 1)
        if (!strstr(encs, e))
            fail_msg("no %s among %s", e, encs);
    json_decref(rows);
    free(sql);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_variants_cover_codecs_and_encodings),
        cmocka_unit_test(test_flat_duckdb_files_read_identically_in_every_variant),
        cmocka_unit_test(test_nested_duckdb_files_read_identically_in_every_variant),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
