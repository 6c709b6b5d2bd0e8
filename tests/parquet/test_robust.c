/* test_robust.c - hostile input never crashes, hangs or misreports: truncation at every byte
 * of a small file (both cutting the tail and cutting the body under an intact footer), and
 * 10,000 seeded random bit flips over several corpus files, decoded through both row APIs.
 * Each buffer is an exact-size heap copy so AddressSanitizer sees any overread. Errors must be
 * one of the bad-input codes and name the file. */
#include "testsupport.h"

#include "pqtest.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng_state = x;
    return x;
}

static char *load(const char *name, size_t *len)
{
    char *dir = lr_path_join(lr_test_corpus(), "parquet");
    char *p = lr_path_join(dir, name);
    char *d = lr_test_read_file(p, len);
    if (!d)
        fail_msg("cannot read %s", p);
    free(p);
    free(dir);
    return d;
}

/* Open and read every row; returns the first error code (0 when all went well). */
static int decode_all(const uint8_t *data, size_t len, const char *name, struct lr_error *err)
{
    struct lr_parquet_file *f = NULL;
    int rc = lr_parquet_open_buffer(&f, data, len, name, err);
    if (rc < 0)
        return rc;
    json_t *rows = pqt_read_rows(f, NULL, 0, err);
    if (!rows) {
        rc = err->code;
    } else {
        json_decref(rows);
        /* the text emitter too (its output is not parsed: keys may hold escaped NULs) */
        struct lr_parquet_rows *r = NULL;
        rc = lr_parquet_rows_open(&r, f, NULL, 0, err);
        struct lr_buf b = LR_BUF_INIT;
        while (rc >= 0) {
            lr_buf_reset(&b);
            rc = lr_parquet_rows_next_text(r, &b, err);
            if (rc == 0)
                break;
        }
        lr_buf_free(&b);
        lr_parquet_rows_close(r);
    }
    lr_parquet_close(f);
    return rc;
}

static void expect_bad_input(int rc, const struct lr_error *err, const char *name)
{
    if (rc == 0)
        return;
    if (rc != LR_ECORRUPT && rc != LR_ELIMIT && rc != LR_EUNSUPPORTED)
        fail_msg("unexpected code %s: %s", lr_code_name(rc), err->message);
    if (!strstr(err->message, name))
        fail_msg("error does not name the file: %s", err->message);
}

static void test_truncation_at_every_byte(void **state)
{
    (void)state;
    const char *name = "duckdb_nested_edge_cases_snappy.parquet";
    size_t len;
    char *full = load(name, &len);
    struct lr_error err;
    uint32_t flen;
    memcpy(&flen, full + len - 8, 4);
    size_t tail = (size_t)flen + 8;
    assert_true(tail < len);
    size_t corrupt_seen = 0;
    for (size_t k = 0; k < len; k++) {
        /* 1: the first k bytes */
        uint8_t *d = malloc(k ? k : 1);
        memcpy(d, full, k);
        lr_error_clear(&err);
        int rc = decode_all(d, k, name, &err);
        assert_true(rc < 0); /* no footer: must fail */
        expect_bad_input(rc, &err, name);
        free(d);
        /* 2: the body cut at k (k < footer start), footer intact after it */
        if (k < len - tail) {
            size_t n = k + tail;
            d = malloc(n);
            memcpy(d, full, k);
            memcpy(d + k, full + len - tail, tail);
            lr_error_clear(&err);
            rc = decode_all(d, n, name, &err);
            expect_bad_input(rc, &err, name);
            corrupt_seen += rc < 0;
            free(d);
        }
    }
    /* every body cut loses data the footer points at */
    assert_int_equal(corrupt_seen, len - tail);
    free(full);
}

static void test_random_bit_flips(void **state)
{
    (void)state;
    const char *names[] = {"duckdb_nested_edge_cases_snappy.parquet",
                           "duckdb_nested_edge_cases_v2_zstd.parquet",
                           "duckdb_checkpoint_snappy.parquet",
                           "duckdb_flat_types_gzip.parquet",
                           "duckdb_flat_types_lz4_raw.parquet",
                           "arrowrs_flat_v2_zstd.parquet",
                           "arrowrs_checkpoint_v1_snappy.parquet",
                           "duckdb_dict_mixed_snappy.parquet",
                           "duckdb_checkpoint_v2_snappy.parquet",
                           "duckdb_kv_metadata_uncompressed.parquet"};
    enum { NF = sizeof names / sizeof *names };
    char *files[NF];
    size_t lens[NF];
    for (size_t i = 0; i < NF; i++)
        files[i] = load(names[i], &lens[i]);
    struct lr_error err;
    size_t failures = 0;
    for (int iter = 0; iter < 10000; iter++) {
        size_t fi = rng() % NF;
        size_t len = lens[fi];
        uint8_t *d = malloc(len);
        memcpy(d, files[fi], len);
        int flips = 1 + (int)(rng() % 3);
        for (int k = 0; k < flips; k++) {
            /* half the flips land in the footer, where one bit changes the most */
            uint32_t flen;
            memcpy(&flen, files[fi] + len - 8, 4);
            size_t pos = (rng() & 1) && flen + 8 < len ? len - 8 - flen + rng() % flen
                                                       : rng() % len;
            d[pos] ^= (uint8_t)(1u << (rng() % 8));
        }
        lr_error_clear(&err);
        int rc = decode_all(d, len, names[fi], &err);
        expect_bad_input(rc, &err, names[fi]);
        failures += rc < 0;
        free(d);
    }
    /* most flips must be caught, some land in slack (names, stats) and decode */
    assert_true(failures > 1000);
    for (size_t i = 0; i < NF; i++)
        free(files[i]);
}

/* Hand-built hostile footers: each must fail cleanly with the right code. */
static void test_hostile_footers(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_parquet_file *f = NULL;
    /* footer length larger than the file */
    const uint8_t big[] = {'P', 'A', 'R', '1', 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f,
                           'P', 'A', 'R', '1'};
    assert_int_equal(lr_parquet_open_buffer(&f, big, sizeof big, "big.parquet", &err),
                     LR_ECORRUPT);
    assert_non_null(strstr(err.message, "big.parquet"));
    /* encrypted footer */
    const uint8_t enc[] = {'P', 'A', 'R', 'E', 0, 0, 0, 0, 0, 0, 0, 0, 'P', 'A', 'R', 'E'};
    assert_int_equal(lr_parquet_open_buffer(&f, enc, sizeof enc, "enc.parquet", &err),
                     LR_EUNSUPPORTED);
    /* deeply nested unknown struct fields: depth limit, no stack overflow */
    uint8_t deep[4 + 2000 + 8];
    memcpy(deep, "PAR1", 4);
    for (int i = 0; i < 2000; i++)
        deep[4 + i] = 0xfc; /* unknown field 15, type struct, again and again */
    uint32_t fl = 2000;
    memcpy(deep + 4 + 2000, &fl, 4);
    memcpy(deep + 4 + 2000 + 4, "PAR1", 4);
    assert_int_equal(lr_parquet_open_buffer(&f, deep, sizeof deep, "deep.parquet", &err),
                     LR_ECORRUPT);
    if (!strstr(err.message, "nested"))
        fail_msg("%s", err.message);
    /* a list claiming 2^31 elements in a tiny footer */
    uint8_t lst[] = {'P', 'A', 'R', '1', 0x19, 0xfc, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00,
                     8, 0, 0, 0, 'P', 'A', 'R', '1'};
    assert_int_equal(lr_parquet_open_buffer(&f, lst, sizeof lst, "list.parquet", &err),
                     LR_ECORRUPT);
    assert_null(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truncation_at_every_byte),
        cmocka_unit_test(test_random_bit_flips),
        cmocka_unit_test(test_hostile_footers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
