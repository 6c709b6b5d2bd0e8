/* test_thrift_write.c - the writer's encoders against known bytes: the Thrift compact encoder
 * (byte sequences from the Thrift compact spec and from the DuckDB footer and page header worked
 * through in parquet-notes.md section 2.4), the RLE/bit-packed hybrid encoder (the example of
 * Encodings.md, and a round trip through an independent decoder written here from the spec),
 * PLAIN boolean packing, and the pages of written files walked with an independent header
 * decoder (sizes add up to the footer, every page's CRC-32 matches its stored body). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "parquet/thrift_write.h"
#include "parquet/write_internal.h"
#include "testsupport.h"

#define BYTES(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

static void expect_bytes(const struct lr_buf *b, const uint8_t *want, size_t n)
{
    if (b->len != n || memcmp(b->data, want, n) != 0) {
        char got[512] = "";
        size_t pos = 0;
        for (size_t i = 0; i < b->len && pos + 4 < sizeof got; i++)
            pos += (size_t)snprintf(got + pos, sizeof got - pos, "%02x ", b->data[i]);
        fail_msg("encoded %zu bytes, want %zu: got %s", b->len, n, got);
    }
}

static void test_varint_and_zigzag_edges(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_buf b = LR_BUF_INIT;
    assert_int_equal(lr_tw_put_varint(&b, 0, &err), 0);
    assert_int_equal(lr_tw_put_varint(&b, 127, &err), 0);
    assert_int_equal(lr_tw_put_varint(&b, 128, &err), 0);
    assert_int_equal(lr_tw_put_varint(&b, 300, &err), 0);
    expect_bytes(&b, BYTES(0x00, 0x7f, 0x80, 0x01, 0xac, 0x02));
    lr_buf_reset(&b);
    assert_int_equal(lr_tw_put_varint(&b, UINT64_MAX, &err), 0);
    expect_bytes(&b, BYTES(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01));
    assert_int_equal(lr_tw_zigzag(0), 0);
    assert_int_equal(lr_tw_zigzag(-1), 1);
    assert_int_equal(lr_tw_zigzag(1), 2);
    assert_int_equal(lr_tw_zigzag(-2), 3);
    assert_true(lr_tw_zigzag(INT64_MIN) == UINT64_MAX);
    assert_true(lr_tw_zigzag(INT64_MAX) == UINT64_MAX - 1);
    lr_buf_free(&b);
}

/* parquet-notes 2.4: the first data page header of duckdb_kv_metadata_uncompressed.parquet. */
static void test_page_header_matches_duckdb_bytes(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_buf b = LR_BUF_INIT;
    struct lr_tw tw;
    lr_tw_init(&tw, &b, &err);
    lr_tw_field_i32(&tw, 1, 0);
    lr_tw_field_i32(&tw, 2, 10);
    lr_tw_field_i32(&tw, 3, 10);
    lr_tw_field_struct(&tw, 5);
    lr_tw_field_i32(&tw, 1, 1);
    lr_tw_field_i32(&tw, 2, 0);
    lr_tw_field_i32(&tw, 3, 3);
    lr_tw_field_i32(&tw, 4, 3);
    lr_tw_struct_end(&tw);
    assert_int_equal(lr_tw_finish(&tw), 0);
    expect_bytes(&b, BYTES(0x15, 0x00, 0x15, 0x14, 0x15, 0x14, 0x2c, 0x15, 0x02, 0x15, 0x00,
                           0x15, 0x06, 0x15, 0x06, 0x00, 0x00));
    lr_buf_free(&b);
}

/* parquet-notes 2.4: the statistics struct of column "one", and the schema list opening. */
static void test_statistics_and_schema_bytes(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_buf b = LR_BUF_INIT;
    struct lr_tw tw;
    const uint8_t one[4] = {1, 0, 0, 0};
    lr_tw_init(&tw, &b, &err);
    lr_tw_field_i64(&tw, 7, 27);
    lr_tw_field_i64(&tw, 9, 4);
    lr_tw_field_struct(&tw, 12);
    lr_tw_field_binary(&tw, 1, one, 4);
    lr_tw_field_binary(&tw, 2, one, 4);
    lr_tw_field_i64(&tw, 3, 0);
    lr_tw_field_binary(&tw, 5, one, 4);
    lr_tw_field_binary(&tw, 6, one, 4);
    lr_tw_field_bool(&tw, 7, true);
    lr_tw_field_bool(&tw, 8, true);
    lr_tw_struct_end(&tw);
    assert_int_equal(lr_tw_finish(&tw), 0);
    /* ... total_compressed_size 27, data_page_offset 4, then Statistics as in the notes */
    expect_bytes(&b, BYTES(0x76, 0x36, 0x26, 0x08, 0x3c, 0x18, 0x04, 0x01, 0x00, 0x00, 0x00,
                           0x18, 0x04, 0x01,
                           0x00, 0x00, 0x00, 0x16, 0x00, 0x28, 0x04, 0x01, 0x00, 0x00, 0x00,
                           0x18, 0x04, 0x01, 0x00, 0x00, 0x00, 0x11, 0x11, 0x00, 0x00));

    lr_buf_reset(&b);
    lr_tw_init(&tw, &b, &err);
    lr_tw_field_i32(&tw, 1, 1);
    lr_tw_field_list(&tw, 2, LR_TW_STRUCT, 3);
    lr_tw_elem_struct(&tw);
    lr_tw_field_i32(&tw, 3, 0);
    lr_tw_field_string(&tw, 4, "duckdb_schema");
    lr_tw_field_i32(&tw, 5, 2);
    lr_tw_struct_end(&tw);
    lr_tw_elem_struct(&tw);
    lr_tw_field_i32(&tw, 1, 1);
    lr_tw_field_i32(&tw, 3, 1);
    lr_tw_field_string(&tw, 4, "one");
    lr_tw_field_i32(&tw, 6, 17);
    lr_tw_struct_end(&tw);
    assert_int_equal(tw.rc, 0);
    expect_bytes(&b, BYTES(0x15, 0x02, 0x19, 0x3c, 0x35, 0x00, 0x18, 0x0d, 'd', 'u', 'c', 'k',
                           'd', 'b', '_', 's', 'c', 'h', 'e', 'm', 'a', 0x15, 0x04, 0x00, 0x15,
                           0x02, 0x25, 0x02, 0x18, 0x03, 'o', 'n', 'e', 0x25, 0x22, 0x00));
    lr_buf_free(&b);
}

/* Compact spec: long field ids, lists of 15+ elements, bool fields, doubles, i8, negatives. */
static void test_long_field_ids_big_lists_and_scalars(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_buf b = LR_BUF_INIT;
    struct lr_tw tw;
    lr_tw_init(&tw, &b, &err);
    lr_tw_field_i32(&tw, 20, -1);        /* delta 20 > 15: 05, zigzag(20) = 28 = 0x28, 01 */
    lr_tw_field_i64(&tw, 3, -64);        /* delta negative: long form 06 06, zigzag(-64)=127 */
    lr_tw_field_bool(&tw, 4, false);     /* 12 */
    lr_tw_field_bool(&tw, 5, true);      /* 11 */
    lr_tw_field_i8(&tw, 6, -2);          /* 13 fe */
    lr_tw_field_double(&tw, 7, 1.0);     /* 17 + 8 bytes LE */
    lr_tw_field_list(&tw, 8, LR_TW_I32, 16); /* 19 f5 10 then 16 elements */
    for (int i = 0; i < 16; i++)
        lr_tw_elem_i32(&tw, i);
    assert_int_equal(lr_tw_finish(&tw), 0);
    expect_bytes(&b, BYTES(0x05, 0x28, 0x01, 0x06, 0x06, 0x7f, 0x12, 0x11, 0x13, 0xfe, 0x17,
                           0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f, 0x19, 0xf5, 0x10, 0x00,
                           0x02, 0x04, 0x06, 0x08, 0x0a, 0x0c, 0x0e, 0x10, 0x12, 0x14, 0x16, 0x18,
                           0x1a, 0x1c, 0x1e, 0x00));
    lr_buf_free(&b);
}

static void test_unbalanced_structs_are_errors(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_buf b = LR_BUF_INIT;
    struct lr_tw tw;
    lr_tw_init(&tw, &b, &err);
    lr_tw_field_struct(&tw, 1);
    assert_int_equal(lr_tw_finish(&tw), LR_EINVAL);
    assert_non_null(strstr(err.message, "left open"));
    lr_buf_reset(&b);
    lr_tw_init(&tw, &b, &err);
    lr_tw_struct_end(&tw);
    assert_int_equal(lr_tw_finish(&tw), LR_EINVAL);
    lr_buf_reset(&b);
    lr_tw_init(&tw, &b, &err);
    for (int i = 0; i < LR_TW_MAX_DEPTH + 1; i++)
        lr_tw_field_struct(&tw, 1);
    assert_int_equal(lr_tw_finish(&tw), LR_ELIMIT);
    lr_buf_free(&b);
}

/* ---- RLE / bit-packed hybrid -------------------------------------------------------------- */

/* An independent decoder written from Encodings.md, for round trips. */
static size_t rle_decode(const uint8_t *p, size_t len, int width, uint32_t *out, size_t want)
{
    size_t pos = 0;
    size_t n = 0;
    while (n < want) {
        assert_true(pos < len);
        uint64_t h = 0;
        int shift = 0;
        while (p[pos] & 0x80) {
            h |= (uint64_t)(p[pos++] & 0x7f) << shift;
            shift += 7;
        }
        h |= (uint64_t)p[pos++] << shift;
        if (h & 1) {
            size_t count = (size_t)(h >> 1) * 8;
            uint64_t bitpos = 0;
            for (size_t i = 0; i < count; i++) {
                uint32_t v = 0;
                for (int k = 0; k < width; k++, bitpos++)
                    if (p[pos + bitpos / 8] & (1u << (bitpos % 8)))
                        v |= 1u << k;
                if (n < want)
                    out[n++] = v;
            }
            pos += (size_t)(h >> 1) * (size_t)width;
        } else {
            size_t count = (size_t)(h >> 1);
            assert_true(count > 0);
            uint32_t v = 0;
            for (int k = 0; k < (width + 7) / 8; k++)
                v |= (uint32_t)p[pos++] << (8 * k);
            for (size_t i = 0; i < count; i++) {
                assert_true(n < want);
                out[n++] = v;
            }
        }
    }
    assert_int_equal(pos, len);
    return n;
}

static void test_rle_known_bytes(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_buf b = LR_BUF_INIT;
    /* notes 12: n present values at width 1 are one run: varint n << 1, then 01 */
    uint8_t ones[300];
    memset(ones, 1, sizeof ones);
    assert_int_equal(w_rle_u8(&b, ones, 300, 1, &err), 0);
    expect_bytes(&b, BYTES(0xd8, 0x04, 0x01));
    /* Encodings.md: 0..7 at width 3, bit-packed: header 03, bytes 88 c6 fa */
    lr_buf_reset(&b);
    const uint8_t seq[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    assert_int_equal(w_rle_u8(&b, seq, 8, 3, &err), 0);
    expect_bytes(&b, BYTES(0x03, 0x88, 0xc6, 0xfa));
    /* a short tail is zero-padded to a group of 8 */
    lr_buf_reset(&b);
    const uint8_t tail[3] = {1, 0, 1};
    assert_int_equal(w_rle_u8(&b, tail, 3, 1, &err), 0);
    expect_bytes(&b, BYTES(0x03, 0x05));
    /* a 16-bit value run stores two little-endian bytes */
    lr_buf_reset(&b);
    uint32_t big[10];
    for (int i = 0; i < 10; i++)
        big[i] = 0x1234;
    assert_int_equal(w_rle_u32(&b, big, 10, 13, &err), 0);
    expect_bytes(&b, BYTES(0x14, 0x34, 0x12));
    assert_int_equal(w_rle_u8(&b, seq, 8, 0, &err), LR_EINVAL);
    lr_buf_free(&b);
}

static void test_rle_round_trips_mixed_runs(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_buf b = LR_BUF_INIT;
    srand(7);
    size_t n = 20000;
    uint32_t *v = calloc(n, sizeof *v);
    uint32_t *back = calloc(n, sizeof *back);
    for (int width = 1; width <= 32; width += (width < 4 ? 1 : 7)) {
        uint32_t mask = width == 32 ? UINT32_MAX : (1u << width) - 1;
        size_t i = 0;
        while (i < n) {
            size_t run = (size_t)(rand() % 3 == 0 ? rand() % 40 + 1 : 1);
            uint32_t x = ((uint32_t)rand() * 2654435761u) & mask;
            for (size_t k = 0; k < run && i < n; k++)
                v[i++] = x;
        }
        lr_buf_reset(&b);
        assert_int_equal(w_rle_u32(&b, v, n, width, &err), 0);
        assert_int_equal(rle_decode(b.data, b.len, width, back, n), n);
        assert_memory_equal(v, back, n * sizeof *v);
    }
    free(v);
    free(back);
    lr_buf_free(&b);
}

static void test_boolean_bit_packing(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_buf b = LR_BUF_INIT;
    const uint8_t v[10] = {1, 0, 1, 1, 0, 0, 0, 1, 0, 1};
    assert_int_equal(w_bitpack_bools(&b, v, 10, &err), 0);
    expect_bytes(&b, BYTES(0x8d, 0x02));
    assert_int_equal(w_bit_width(0), 0);
    assert_int_equal(w_bit_width(1), 1);
    assert_int_equal(w_bit_width(4), 3);
    assert_int_equal(w_bit_width(UINT32_MAX), 32);
    lr_buf_free(&b);
}

/* ---- pages as written: headers, sizes and CRC-32 --------------------------------------------- */

static uint64_t read_varint(const uint8_t *p, size_t len, size_t *pos)
{
    uint64_t v = 0;
    for (int shift = 0; *pos < len && shift < 64; shift += 7) {
        uint8_t b = p[(*pos)++];
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
    fail_msg("bad varint at %zu", *pos);
    return 0;
}

/* A page header as the writer lays it out (i32 fields and nested structs of i32/bool), decoded
 * here independently: fills type, sizes and crc, returns the header length. */
static size_t page_header(const uint8_t *p, size_t len, int32_t f[5])
{
    size_t pos = 0;
    int depth = 0;
    int16_t last[4] = {0};
    for (;;) {
        assert_true(pos < len);
        uint8_t h = p[pos++];
        if (h == 0) {
            if (depth == 0)
                return pos;
            depth--;
            continue;
        }
        int type = h & 0x0f;
        int16_t id = (int16_t)(last[depth] + (h >> 4));
        assert_true(h >> 4); /* the writer's page headers only use short field headers */
        last[depth] = id;
        if (type == 12) {
            assert_true(depth < 3);
            last[++depth] = 0;
        } else if (type == 5) {
            uint64_t z = read_varint(p, len, &pos);
            int32_t v = (int32_t)((z >> 1) ^ (~(z & 1) + 1));
            if (depth == 0 && id >= 1 && id <= 4)
                f[id] = v;
        } else if (type != 1 && type != 2) {
            fail_msg("unexpected compact type %d in a page header", type);
        }
    }
}

static void test_every_page_carries_a_correct_crc(void **state)
{
    (void)state;
    struct lr_error err;
    for (int codec = LR_PQW_SNAPPY; codec <= LR_PQW_LZ4_RAW; codec++) {
        struct lr_parquet_writer_options o = {0};
        o.codec = (enum lr_parquet_wcodec)codec;
        o.page_rows = 100;
        o.row_group_rows = 700;
        struct lr_parquet_writer *w = NULL;
        assert_int_equal(lr_parquet_writer_new(&w, &o, &err), 0);
        int s = lr_parquet_writer_add(w, 0, "s", LR_PQW_STRING, false, 0, &err);
        int n = lr_parquet_writer_add(w, 0, "n", LR_PQW_INT64, true, 0, &err);
        for (int i = 0; i < 2000; i++) {
            char text[32];
            snprintf(text, sizeof text, "v%d", i % 37);
            if (i % 5)
                assert_int_equal(lr_parquet_writer_set_string(w, s, text, strlen(text), &err),
                                 0);
            assert_int_equal(lr_parquet_writer_set_int64(w, n, (int64_t)i * i, &err), 0);
            assert_int_equal(lr_parquet_writer_end_row(w, &err), 0);
        }
        struct lr_buf b = LR_BUF_INIT;
        assert_int_equal(lr_parquet_writer_finish(w, &b, &err), 0);
        lr_parquet_writer_free(w);
        uint32_t flen = (uint32_t)b.data[b.len - 8] | (uint32_t)b.data[b.len - 7] << 8 |
                        (uint32_t)b.data[b.len - 6] << 16 | (uint32_t)b.data[b.len - 5] << 24;
        size_t footer = b.len - 8 - flen;
        size_t pos = 4;
        int pages = 0;
        int dictionaries = 0;
        while (pos < footer) {
            int32_t f[5] = {-1, -1, -1, -1, -1};
            size_t hl = page_header(b.data + pos, footer - pos, f);
            assert_true(f[1] == 0 || f[1] == 2);
            assert_true(f[2] >= 0 && f[3] >= 0);
            assert_true(pos + hl + (size_t)f[3] <= footer);
            uLong crc = crc32(crc32(0L, Z_NULL, 0), b.data + pos + hl, (uInt)f[3]);
            assert_int_equal((uint32_t)f[4], (uint32_t)crc);
            if (codec == LR_PQW_UNCOMPRESSED)
                assert_int_equal(f[2], f[3]);
            dictionaries += f[1] == 2;
            pages++;
            pos += hl + (size_t)f[3];
        }
        assert_int_equal(pos, footer);
        /* 3 row groups (700 + 700 + 600 rows) x 2 columns x 7/7/6 pages, plus 3 dictionaries */
        assert_int_equal(dictionaries, 3);
        assert_int_equal(pages, 2 * (7 + 7 + 6) + 3);
        lr_buf_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_varint_and_zigzag_edges),
        cmocka_unit_test(test_page_header_matches_duckdb_bytes),
        cmocka_unit_test(test_statistics_and_schema_bytes),
        cmocka_unit_test(test_long_field_ids_big_lists_and_scalars),
        cmocka_unit_test(test_unbalanced_structs_are_errors),
        cmocka_unit_test(test_rle_known_bytes),
        cmocka_unit_test(test_rle_round_trips_mixed_runs),
        cmocka_unit_test(test_boolean_bit_packing),
        cmocka_unit_test(test_every_page_carries_a_correct_crc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
