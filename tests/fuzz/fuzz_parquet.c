/* fuzz_parquet.c - libFuzzer entry point for the Parquet reader: footer (Thrift), schema,
 * page headers, codecs, encodings, levels and record assembly, through the public API.
 * Built as a libFuzzer target with LR_BUILD_FUZZ=ON (clang), and as a plain replay program
 * (replay_main.c) that the test suite runs over tests/fuzz/seeds. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/parquet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void stats(const struct lr_parquet_file *f)
{
    const struct lr_parquet_meta *m = lr_parquet_metadata(f);
    struct lr_buf b = LR_BUF_INIT;
    for (size_t g = 0; g < m->num_row_groups; g++) {
        for (size_t c = 0; c < m->num_leaves; c++) {
            const struct lr_parquet_stats *s = &m->row_groups[g].columns[c].stats;
            if (s->has_min_value)
                lr_parquet_format_stat(&b, m->leaves[c], s->min_value, NULL);
            if (s->has_max)
                lr_parquet_format_stat(&b, m->leaves[c], s->max, NULL);
            lr_buf_reset(&b);
        }
    }
    lr_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lr_error err;
    struct lr_parquet_file *f = NULL;
    if (lr_parquet_open_buffer(&f, data, size, "fuzz.parquet", &err) < 0)
        return 0;
    stats(f);
    struct lr_parquet_rows *r = NULL;
    if (lr_parquet_rows_open(&r, f, NULL, 0, &err) == 0) {
        json_t *row = NULL;
        for (int i = 0; i < 100000 && lr_parquet_rows_next(r, &row, &err) > 0; i++)
            json_decref(row);
        lr_parquet_rows_close(r);
    }
    if (lr_parquet_rows_open(&r, f, NULL, 0, &err) == 0) {
        struct lr_buf b = LR_BUF_INIT;
        for (int i = 0; i < 100000 && lr_parquet_rows_next_text(r, &b, &err) > 0; i++)
            lr_buf_reset(&b);
        lr_buf_free(&b);
        lr_parquet_rows_close(r);
    }
    lr_parquet_close(f);
    return 0;
}
