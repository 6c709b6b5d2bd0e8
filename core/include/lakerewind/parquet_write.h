/* parquet_write.h - writing Parquet files: flat tables and Delta-checkpoint-shaped nesting.
 *
 * Use: declare a schema tree on a new writer (columns, optional/required structs,
 * map<string, T>, list<T>), then append rows, then finish into a struct lr_buf that the caller
 * stores with lr_store_put(). Rows come either as jansson objects shaped like the reader's rows
 * (parquet.h: structs and maps as objects, lists as arrays, null for absent values), or, for
 * flat top-level columns, as typed values set one column at a time and closed with
 * lr_parquet_writer_end_row().
 *
 * What is written: DATA_PAGE (v1) pages; PLAIN values, or a dictionary page plus RLE_DICTIONARY
 * pages for strings when the dictionary makes the chunk smaller; RLE/bit-packed levels; column
 * statistics (null_count, min_value/max_value, and the old min/max for the signed-order types);
 * column_orders; encoding_stats; a CRC-32 in every page header; key/value metadata; created_by
 * "lakerewind version X". Rows read by lr_parquet_rows_next() can be appended back as they
 * are (timestamps as "...Z" text, dates as "YYYY-MM-DD"). Row groups close at a
 * row count or a buffered-size threshold, pages at about 1 MiB or 20,000 entries (on a record
 * boundary). The whole file is built in memory.
 *
 * Ownership: lr_parquet_writer_new() returns a writer freed with lr_parquet_writer_free()
 * (also after lr_parquet_writer_finish()). Strings passed in are copied. Errors name the column
 * path and the row number. */
#ifndef LAKEREWIND_PARQUET_WRITE_H
#define LAKEREWIND_PARQUET_WRITE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/buf.h"
#include "lakerewind/error.h"

struct lr_parquet_writer;

/* Column types. The first seven are leaves; STRUCT, MAP and LIST are groups. */
enum lr_parquet_wtype {
    LR_PQW_BOOLEAN = 0,
    LR_PQW_INT32,
    LR_PQW_INT64,
    LR_PQW_DOUBLE,
    LR_PQW_STRING,    /* BYTE_ARRAY + STRING/UTF8; values are UTF-8 (not checked) */
    LR_PQW_DATE,      /* INT32 + DATE: days since 1970-01-01 */
    LR_PQW_TIMESTAMP, /* INT64 + TIMESTAMP(isAdjustedToUTC, MICROS): microseconds since epoch */
    LR_PQW_STRUCT,    /* group; children added with it as their parent */
    LR_PQW_MAP,       /* group (MAP) → repeated key_value { required string key; opt. value } */
    LR_PQW_LIST,      /* group (LIST) → repeated list { optional element } */
};

enum lr_parquet_wcodec {
    LR_PQW_SNAPPY = 0, /* the default (0 so that a zeroed options struct means SNAPPY) */
    LR_PQW_UNCOMPRESSED,
    LR_PQW_GZIP,
    LR_PQW_ZSTD,
    LR_PQW_LZ4_RAW,
};

/* A key/value pair for the footer's key_value_metadata; value NULL means "absent". */
struct lr_parquet_writer_kv {
    const char *key;
    const char *value;
};

/* Zero-initialise, then set what you need: every 0 picks the default shown. */
struct lr_parquet_writer_options {
    enum lr_parquet_wcodec codec;  /* SNAPPY */
    int64_t row_group_rows;        /* 0: 1,048,576 rows per row group */
    size_t row_group_bytes;        /* 0: 128 MiB of buffered (uncompressed) data per row group */
    size_t page_bytes;             /* 0: 1 MiB of values per data page */
    int32_t page_rows;             /* 0: 20,000 level entries per data page */
    bool is_dictionary_off;        /* never write dictionary pages */
    bool is_unknown_field_ignored; /* JSON rows: skip object keys the schema lacks (else error) */
    bool is_statistics_off;        /* write no column chunk statistics, as some writers do */
    int zstd_level;                /* 0: 3 */
    const struct lr_parquet_writer_kv *kv; /* borrowed during lr_parquet_writer_new() */
    size_t kv_count;
};

/* A new writer with an empty schema. `opts` may be NULL (all defaults). Caller frees with
 * lr_parquet_writer_free(). Errors: LR_EINVAL (bad option), LR_ENOMEM. */
int lr_parquet_writer_new(struct lr_parquet_writer **out,
                          const struct lr_parquet_writer_options *opts, struct lr_error *err);
void lr_parquet_writer_free(struct lr_parquet_writer *w);

/* The root group's id, the parent of top-level columns. */
#define LR_PQW_ROOT 0

/* Declare a node under `parent` (LR_PQW_ROOT or a STRUCT id) before the first row. For MAP,
 * `elem` is the value type (keys are always required strings; values optional); for LIST, the
 * element type (elements optional); both must be leaf types. `elem` is ignored otherwise.
 * Returns the new node's id (> 0), which typed appends use for top-level leaves and which is the
 * parent for a STRUCT's children. Errors: LR_EINVAL (duplicate or empty name, bad parent, bad
 * type, schema already frozen by a row), LR_ELIMIT (nesting deeper than 16). */
int lr_parquet_writer_add(struct lr_parquet_writer *w, int parent, const char *name,
                          enum lr_parquet_wtype type, bool is_required, enum lr_parquet_wtype elem,
                          struct lr_error *err);

/* Append one row given as a JSON object: keys are column names, nested the same way as the
 * schema. A missing key or JSON null means null; for a required node that is LR_EINVAL naming
 * the path. Values: BOOLEAN true/false; INT32/INT64 integers (range-checked); DOUBLE any
 * number; STRING a string; DATE an integer (days) or "YYYY-MM-DD"; TIMESTAMP an integer
 * (microseconds) or "YYYY-MM-DD[T ]HH:MM:SS[.ffffff][Z|+HH:MM]". `row` is borrowed. */
int lr_parquet_writer_append_json(struct lr_parquet_writer *w, const json_t *row,
                                  struct lr_error *err);

/* Typed appends for leaves directly under the root: set some columns of the current row, then
 * end it. A column not set in a row is null (LR_EINVAL for a required one at end_row); setting
 * one twice is LR_EINVAL. The value's kind must match the column (BOOLEAN: set_bool; INT32,
 * DATE: set_int32; INT64, TIMESTAMP: set_int64; DOUBLE: set_double; STRING: set_string with
 * `len` bytes, copied). */
int lr_parquet_writer_set_null(struct lr_parquet_writer *w, int col, struct lr_error *err);
int lr_parquet_writer_set_bool(struct lr_parquet_writer *w, int col, bool v, struct lr_error *err);
int lr_parquet_writer_set_int32(struct lr_parquet_writer *w, int col, int32_t v,
                                struct lr_error *err);
int lr_parquet_writer_set_int64(struct lr_parquet_writer *w, int col, int64_t v,
                                struct lr_error *err);
int lr_parquet_writer_set_double(struct lr_parquet_writer *w, int col, double v,
                                 struct lr_error *err);
int lr_parquet_writer_set_string(struct lr_parquet_writer *w, int col, const char *v, size_t len,
                                 struct lr_error *err);
int lr_parquet_writer_end_row(struct lr_parquet_writer *w, struct lr_error *err);

/* Rows appended so far. */
int64_t lr_parquet_writer_rows(const struct lr_parquet_writer *w);

/* Close the last row group and write the footer; the whole file is appended to `out`
 * (caller-owned, honouring out->limit). The writer accepts no more rows afterwards; free it.
 * A writer with zero rows still produces a valid file (no row groups, full schema). */
int lr_parquet_writer_finish(struct lr_parquet_writer *w, struct lr_buf *out,
                             struct lr_error *err);

#endif
