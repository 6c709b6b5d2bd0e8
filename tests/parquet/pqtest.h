/* pqtest.h - helpers shared by the Parquet reader tests (header-only, static functions). */
#ifndef LR_PQTEST_H
#define LR_PQTEST_H

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/parquet.h"
#include "lakerewind/store.h"
#include "lakerewind/str.h"

/* Read every row of `f` with the given projection into a JSON array (new reference), or
 * NULL with `err` set. */
static inline json_t *pqt_read_rows(struct lr_parquet_file *f, const char *const *cols,
                                    size_t ncols, struct lr_error *err)
{
    struct lr_parquet_rows *r = NULL;
    if (lr_parquet_rows_open(&r, f, cols, ncols, err) < 0)
        return NULL;
    json_t *all = json_array();
    for (;;) {
        json_t *row = NULL;
        int rc = lr_parquet_rows_next(r, &row, err);
        if (rc < 0) {
            json_decref(all);
            all = NULL;
            break;
        }
        if (rc == 0)
            break;
        json_array_append_new(all, row);
    }
    lr_parquet_rows_close(r);
    return all;
}

/* Read all rows as text lines through the text emitter, each parsed back, into an array. */
static inline json_t *pqt_read_text_rows(struct lr_parquet_file *f, struct lr_error *err)
{
    struct lr_parquet_rows *r = NULL;
    if (lr_parquet_rows_open(&r, f, NULL, 0, err) < 0)
        return NULL;
    json_t *all = json_array();
    struct lr_buf b = LR_BUF_INIT;
    for (;;) {
        lr_buf_reset(&b);
        int rc = lr_parquet_rows_next_text(r, &b, err);
        if (rc < 0) {
            json_decref(all);
            all = NULL;
            break;
        }
        if (rc == 0)
            break;
        json_error_t je;
        json_t *row = json_loadb((const char *)b.data, b.len, JSON_DECODE_ANY, &je);
        if (!row) {
            lr_error_set(err, LR_ECORRUPT, "text row is not JSON: %s: %.200s", je.text,
                         (const char *)b.data);
            json_decref(all);
            all = NULL;
            break;
        }
        json_array_append_new(all, row);
    }
    lr_buf_free(&b);
    lr_parquet_rows_close(r);
    return all;
}

#endif
