/* test_encodings.c - encodings, codecs, types and shapes the corpus lacks, built by hand with
 * pqbuild.h: INT96, BYTE_STREAM_SPLIT, Hadoop-framed LZ4, BIT_PACKED levels, two-level and
 * bare repeated lists, unsigned ints, decimals on byte arrays (38 digits), binary as base64,
 * invalid UTF-8, UUID, FLOAT16, pre-epoch nanosecond timestamps; and bad dictionary indices
 * reported with the file and column. Rows are compared as exact JSON text. */
#include "testsupport.h"

#include <lz4.h>

#include "pqbuild.h"
#include "pqtest.h"

#define ROOT(n) {"schema", -1, -1, n, -1, 0, 0, 0, 0, 0}
#define REQ 0
#define OPT 1
#define REP 2

static struct lr_buf file;

/* all rows as text lines joined by '\n' into out; returns the rows call's code */
static int rows_text(const struct lr_buf *f, char *out, size_t n, struct lr_error *err)
{
    struct lr_parquet_file *pf = NULL;
    int rc = lr_parquet_open_buffer(&pf, f->data, f->len, "built.parquet", err);
    if (rc < 0)
        return rc;
    struct lr_parquet_rows *r = NULL;
    rc = lr_parquet_rows_open(&r, pf, NULL, 0, err);
    struct lr_buf b = LR_BUF_INIT;
    out[0] = '\0';
    while (rc >= 0) {
        lr_buf_reset(&b);
        rc = lr_parquet_rows_next_text(r, &b, err);
        if (rc <= 0)
            break;
        size_t l = strlen(out);
        snprintf(out + l, n - l, "%s%s", l ? "\n" : "", (const char *)b.data);
    }
    lr_buf_free(&b);
    lr_parquet_rows_close(r);
    lr_parquet_close(pf);
    return rc;
}

static void expect_rows(const char *want)
{
    char got[8192];
    struct lr_error err;
    lr_error_clear(&err);
    int rc = rows_text(&file, got, sizeof got, &err);
    if (rc < 0)
        fail_msg("decode failed: %s", err.message);
    if (strcmp(got, want) != 0)
        fail_msg("rows differ\n got: %s\nwant: %s", got, want);
    lr_buf_free(&file);
}

static void one_column(const struct pqb_elem *leaf, int codec, int encoding, const void *body,
                       size_t len, size_t ulen, int nvals, int64_t rows)
{
    struct pqb_elem els[2] = {ROOT(1), *leaf};
    struct pqb_chunk ch = {{leaf->name}, 1, leaf->type, codec, nvals, {{0}}, 1};
    ch.pages[0] = (struct pqb_page){0, encoding, nvals, 3, 0, 0, 0, body, len, ulen};
    pqb_file(&file, els, 2, &ch, 1, rows);
}

static void test_int96_timestamps(void **state)
{
    (void)state;
    uint8_t body[24];
    uint64_t nanos = 123456789;
    int32_t jd = 2460311; /* 2024-01-01 */
    memcpy(body, &nanos, 8);
    memcpy(body + 8, &jd, 4);
    nanos = 0;
    jd = 2440588;
    memcpy(body + 12, &nanos, 8);
    memcpy(body + 20, &jd, 4);
    struct pqb_elem e = {"ts", 3, REQ, 0, -1, 0, 0, 0, 0, 0};
    one_column(&e, 0, 0, body, sizeof body, 0, 2, 2);
    expect_rows("{\"ts\":\"2024-01-01T00:00:00.123456789Z\"}\n"
                "{\"ts\":\"1970-01-01T00:00:00.000000000Z\"}");
}

static void test_byte_stream_split_double_and_float(void **state)
{
    (void)state;
    double dv[3] = {1.5, -2.25, 3e100};
    uint8_t raw[24], body[24];
    memcpy(raw, dv, 24);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 8; j++)
            body[j * 3 + i] = raw[i * 8 + j];
    struct pqb_elem e = {"d", 5, REQ, 0, -1, 0, 0, 0, 0, 0};
    one_column(&e, 0, 9, body, sizeof body, 0, 3, 3);
    expect_rows("{\"d\":1.5}\n{\"d\":-2.25}\n{\"d\":3e+100}");

    float fv[2] = {0.1f, -7.0f};
    uint8_t fr[8], fb[8];
    memcpy(fr, fv, 8);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 4; j++)
            fb[j * 2 + i] = fr[i * 4 + j];
    struct pqb_elem f = {"f", 4, REQ, 0, -1, 0, 0, 0, 0, 0};
    one_column(&f, 0, 9, fb, sizeof fb, 0, 2, 2);
    expect_rows("{\"f\":0.1}\n{\"f\":-7.0}");
}

static void test_hadoop_lz4_codec(void **state)
{
    (void)state;
    int64_t vals[3] = {42, -1, INT64_MAX};
    char comp[128];
    int cl = LZ4_compress_default((const char *)vals, comp, 24, sizeof comp);
    assert_true(cl > 0);
    uint8_t framed[160];
    uint32_t raw = 24, c = (uint32_t)cl;
    uint8_t hdr[8] = {(uint8_t)(raw >> 24), (uint8_t)(raw >> 16), (uint8_t)(raw >> 8),
                      (uint8_t)raw,         (uint8_t)(c >> 24),   (uint8_t)(c >> 16),
                      (uint8_t)(c >> 8),    (uint8_t)c};
    memcpy(framed, hdr, 8);
    memcpy(framed + 8, comp, (size_t)cl);
    struct pqb_elem e = {"v", 2, REQ, 0, -1, 0, 0, 0, 0, 0};
    one_column(&e, 5, 0, framed, 8 + (size_t)cl, 24, 3, 3);
    expect_rows("{\"v\":42}\n{\"v\":-1}\n{\"v\":9223372036854775807}");
    /* and a bare LZ4 block under the same codec id (old writers) */
    one_column(&e, 5, 0, comp, (size_t)cl, 24, 3, 3);
    expect_rows("{\"v\":42}\n{\"v\":-1}\n{\"v\":9223372036854775807}");
    /* LZ4_RAW */
    one_column(&e, 7, 0, comp, (size_t)cl, 24, 3, 3);
    expect_rows("{\"v\":42}\n{\"v\":-1}\n{\"v\":9223372036854775807}");
}

static void test_bit_packed_definition_levels(void **state)
{
    (void)state;
    /* levels 1,0,1 MSB-first in one byte, then PLAIN 7, 9 */
    uint8_t body[] = {0xa0, 7, 0, 0, 0, 9, 0, 0, 0};
    struct pqb_elem els[2] = {ROOT(1), {"x", 1, OPT, 0, -1, 0, 0, 0, 0, 0}};
    struct pqb_chunk ch = {{"x"}, 1, 1, 0, 3, {{0}}, 1};
    ch.pages[0] = (struct pqb_page){0, 0, 3, 4, 0, 0, 0, body, sizeof body, 0};
    pqb_file(&file, els, 2, &ch, 1, 3);
    expect_rows("{\"x\":7}\n{\"x\":null}\n{\"x\":9}");
}

/* levels: u32 length + one bit-packed run of width w */
static void levels(struct lr_buf *b, const uint8_t *v, size_t n, int w)
{
    size_t groups = (n + 7) / 8;
    uint8_t packed[64] = {0};
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < w; k++) {
            size_t bit = i * (size_t)w + (size_t)k;
            if (v[i] >> k & 1)
                packed[bit / 8] |= (uint8_t)(1u << (bit % 8));
        }
    }
    pqb_u32(b, (uint32_t)(1 + groups * (size_t)w));
    uint8_t h = (uint8_t)(groups << 1 | 1);
    lr_buf_append(b, &h, 1, NULL);
    lr_buf_append(b, packed, groups * (size_t)w, NULL);
}

static void test_legacy_two_level_and_bare_repeated_lists(void **state)
{
    (void)state;
    /* optional group l (LIST) { repeated int32 element; } rows: [1,2], [], null */
    uint8_t rep[] = {0, 1, 0, 0}, def[] = {2, 2, 1, 0};
    struct lr_buf body = LR_BUF_INIT;
    levels(&body, rep, 4, 1);
    levels(&body, def, 4, 2);
    int32_t vals[2] = {1, 2};
    lr_buf_append(&body, vals, 8, NULL);
    struct pqb_elem els[3] = {ROOT(1), {"l", -1, OPT, 1, 3, 0, 0, 0, 0, 0},
                              {"element", 1, REP, 0, -1, 0, 0, 0, 0, 0}};
    struct pqb_chunk ch = {{"l", "element"}, 2, 1, 0, 4, {{0}}, 1};
    ch.pages[0] = (struct pqb_page){0, 0, 4, 3, 0, 0, 0, body.data, body.len, 0};
    pqb_file(&file, els, 3, &ch, 1, 3);
    expect_rows("{\"l\":[1,2]}\n{\"l\":[]}\n{\"l\":null}");
    lr_buf_free(&body);

    /* repeated int32 r (no annotation): rows [5], [], [6,7] */
    uint8_t rep2[] = {0, 0, 0, 1}, def2[] = {1, 0, 1, 1};
    levels(&body, rep2, 4, 1);
    levels(&body, def2, 4, 1);
    int32_t v2[3] = {5, 6, 7};
    lr_buf_append(&body, v2, 12, NULL);
    struct pqb_elem e2[2] = {ROOT(1), {"r", 1, REP, 0, -1, 0, 0, 0, 0, 0}};
    struct pqb_chunk c2 = {{"r"}, 1, 1, 0, 4, {{0}}, 1};
    c2.pages[0] = (struct pqb_page){0, 0, 4, 3, 0, 0, 0, body.data, body.len, 0};
    pqb_file(&file, e2, 2, &c2, 1, 3);
    expect_rows("{\"r\":[5]}\n{\"r\":[]}\n{\"r\":[6,7]}");
    lr_buf_free(&body);
}

static void test_unsigned_decimal_binary_uuid_float16(void **state)
{
    (void)state;
    uint32_t u32 = 0xffffffffu;
    struct pqb_elem e = {"u", 1, REQ, 0, 13, 0, 0, 0, 0, 0}; /* UINT_32 */
    one_column(&e, 0, 0, &u32, 4, 0, 1, 1);
    expect_rows("{\"u\":4294967295}");

    uint64_t u64 = UINT64_MAX;
    struct pqb_elem e64 = {"u", 2, REQ, 0, 14, 0, 0, 0, 0, 0}; /* UINT_64 */
    one_column(&e64, 0, 0, &u64, 8, 0, 1, 1);
    expect_rows("{\"u\":18446744073709551615}");

    /* DECIMAL(4,2) on BYTE_ARRAY: -1.23; DECIMAL(38,6) on FLBA(16): +-(10^38-1) */
    uint8_t ba[] = {2, 0, 0, 0, 0xff, 0x85};
    struct pqb_elem ed = {"d", 6, REQ, 0, 5, 0, 0, 0, 2, 4};
    one_column(&ed, 0, 0, ba, sizeof ba, 0, 1, 1);
    expect_rows("{\"d\":-1.23}");
    uint8_t big[32] = {0x4b, 0x3b, 0x4c, 0xa8, 0x5a, 0x86, 0xc4, 0x7a, 0x09, 0x8a, 0x22,
                       0x3f, 0xff, 0xff, 0xff, 0xff, 0xb4, 0xc4, 0xb3, 0x57, 0xa5, 0x79,
                       0x3b, 0x85, 0xf6, 0x75, 0xdd, 0xc0, 0x00, 0x00, 0x00, 0x01};
    struct pqb_elem ef = {"d", 7, REQ, 0, 5, 0, 0, 16, 6, 38};
    one_column(&ef, 0, 0, big, sizeof big, 0, 2, 2);
    expect_rows("{\"d\":99999999999999999999999999999999.999999}\n"
                "{\"d\":-99999999999999999999999999999999.999999}");

    uint8_t bin[] = {5, 0, 0, 0, 0x00, 0xff, ' ', 'h', 'i'};
    struct pqb_elem eb = {"b", 6, REQ, 0, -1, 0, 0, 0, 0, 0};
    one_column(&eb, 0, 0, bin, sizeof bin, 0, 1, 1);
    expect_rows("{\"b\":\"AP8gaGk=\"}");

    uint8_t bad[] = {4, 0, 0, 0, 'a', 0xff, 'b', '"'};
    struct pqb_elem es = {"s", 6, REQ, 0, 0, 0, 0, 0, 0, 0};
    one_column(&es, 0, 0, bad, sizeof bad, 0, 1, 1);
    expect_rows("{\"s\":\"a\\ufffdb\\\"\"}");

    uint8_t uuid[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                        0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
    struct pqb_elem eu = {"id", 7, REQ, 0, -1, 14, 0, 16, 0, 0};
    one_column(&eu, 0, 0, uuid, 16, 0, 1, 1);
    expect_rows("{\"id\":\"00112233-4455-6677-8899-aabbccddeeff\"}");

    uint8_t half[2] = {0x00, 0x3c};
    struct pqb_elem eh = {"h", 7, REQ, 0, -1, 15, 0, 2, 0, 0};
    one_column(&eh, 0, 0, half, 2, 0, 1, 1);
    expect_rows("{\"h\":1.0}");

    int64_t ns = -1;
    struct pqb_elem et = {"t", 2, REQ, 0, -1, 8, 3, 0, 0, 0};
    one_column(&et, 0, 0, &ns, 8, 0, 1, 1);
    expect_rows("{\"t\":\"1969-12-31T23:59:59.999999999Z\"}");
}

static void test_bad_dictionary_index_names_file_and_column(void **state)
{
    (void)state;
    /* dictionary of 2 int32, data page with index 5 (bit width 3, one RLE run) */
    int32_t dict[2] = {10, 20};
    uint8_t data[] = {3, 0x02, 0x05};
    struct pqb_elem els[2] = {ROOT(1), {"c", 1, REQ, 0, -1, 0, 0, 0, 0, 0}};
    struct pqb_chunk ch = {{"c"}, 1, 1, 0, 1, {{0}}, 2};
    ch.pages[0] = (struct pqb_page){2, 0, 2, 0, 0, 0, 0, (const uint8_t *)dict, 8, 0};
    ch.pages[1] = (struct pqb_page){0, 8, 1, 3, 0, 0, 0, data, sizeof data, 0};
    pqb_file(&file, els, 2, &ch, 1, 1);
    char got[256];
    struct lr_error err;
    assert_int_equal(rows_text(&file, got, sizeof got, &err), LR_ECORRUPT);
    assert_non_null(strstr(err.message, "built.parquet"));
    assert_non_null(strstr(err.message, "column c"));
    assert_non_null(strstr(err.message, "byte offset"));
    lr_buf_free(&file);
    /* index 1 decodes */
    data[2] = 0x01;
    pqb_file(&file, els, 2, &ch, 1, 1);
    expect_rows("{\"c\":20}");
}

static void test_v2_page_uncompressed_values_and_levels(void **state)
{
    (void)state;
    /* DATA_PAGE_V2, optional int32: levels 1,0,1 (RLE hybrid, no length prefix), values in
     * a SNAPPY-less (UNCOMPRESSED) codec */
    struct lr_buf body = LR_BUF_INIT;
    uint8_t lv[] = {0x03, 0x05}; /* one bit-packed group: bits 1,0,1 */
    lr_buf_append(&body, lv, 2, NULL);
    int32_t v[2] = {-5, 6};
    lr_buf_append(&body, v, 8, NULL);
    struct pqb_elem els[2] = {ROOT(1), {"x", 1, OPT, 0, -1, 0, 0, 0, 0, 0}};
    struct pqb_chunk ch = {{"x"}, 1, 1, 0, 3, {{0}}, 1};
    ch.pages[0] = (struct pqb_page){3, 0, 3, 0, 2, 0, 1, body.data, body.len, 0};
    pqb_file(&file, els, 2, &ch, 1, 3);
    expect_rows("{\"x\":-5}\n{\"x\":null}\n{\"x\":6}");
    lr_buf_free(&body);
}

/* A data page with no values (fuzzing found it once) adds nothing and breaks nothing. */
static void test_empty_data_page_is_skipped(void **state)
{
    (void)state;
    int32_t v[2] = {3, 4};
    struct pqb_elem els[2] = {ROOT(1), {"c", 1, REQ, 0, -1, 0, 0, 0, 0, 0}};
    struct pqb_chunk ch = {{"c"}, 1, 1, 0, 2, {{0}}, 2};
    ch.pages[0] = (struct pqb_page){0, 0, 0, 3, 0, 0, 0, (const uint8_t *)v, 0, 0};
    ch.pages[1] = (struct pqb_page){0, 0, 2, 3, 0, 0, 0, (const uint8_t *)v, 8, 0};
    pqb_file(&file, els, 2, &ch, 1, 2);
    expect_rows("{\"c\":3}\n{\"c\":4}");
}

/* A column name that is not UTF-8 still gives rows (U+FFFD in the key), in both APIs. */
static void test_non_utf8_column_name(void **state)
{
    (void)state;
    int32_t v = 1;
    struct pqb_elem e = {"n\xff", 1, REQ, 0, -1, 0, 0, 0, 0, 0};
    one_column(&e, 0, 0, &v, 4, 0, 1, 1);
    struct lr_parquet_file *f = NULL;
    struct lr_error err;
    assert_int_equal(lr_parquet_open_buffer(&f, file.data, file.len, "name.parquet", &err), 0);
    json_t *rows = pqt_read_rows(f, NULL, 0, &err);
    if (!rows)
        fail_msg("%s", err.message);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0),
                                                        "n\xef\xbf\xbd")),
                     1);
    json_decref(rows);
    lr_parquet_close(f);
    expect_rows("{\"n\\ufffd\":1}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int96_timestamps),
        cmocka_unit_test(test_byte_stream_split_double_and_float),
        cmocka_unit_test(test_hadoop_lz4_codec),
        cmocka_unit_test(test_bit_packed_definition_levels),
        cmocka_unit_test(test_legacy_two_level_and_bare_repeated_lists),
        cmocka_unit_test(test_unsigned_decimal_binary_uuid_float16),
        cmocka_unit_test(test_bad_dictionary_index_names_file_and_column),
        cmocka_unit_test(test_v2_page_uncompressed_values_and_levels),
        cmocka_unit_test(test_empty_data_page_is_skipped),
        cmocka_unit_test(test_non_utf8_column_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
