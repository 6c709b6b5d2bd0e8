/* parquet.h - reading Parquet files (Delta checkpoints, data-file footers) through a store.
 *
 * Contract shared with core/delta: rows come out as jansson objects shaped exactly like
 * `lakerewind inspect parquet --json` (structs and maps as objects, lists as arrays, int64 exact,
 * strings as strings, nulls as null, absent optional structs as null), so a checkpoint row
 * decodes with the same code as a JSON commit line.
 *
 * Ownership: lr_parquet_open* return a file freed with lr_parquet_close(); row cursors are freed
 * with lr_parquet_rows_close() before their file; each row returned is a new reference the
 * caller releases with json_decref(). A file and its cursors/batches are used by one thread
 * at a time (they share the file's page-buffer pool); open the file once per thread. */
#ifndef LAKEREWIND_PARQUET_H
#define LAKEREWIND_PARQUET_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/error.h"
#include "lakerewind/store.h"

struct lr_parquet_file;
struct lr_parquet_rows;

/* Open `key` in `store`: reads the footer with range reads (no whole-file read).
 * Errors name the file and the byte offset: LR_ECORRUPT (bad magic, truncated, hostile
 * lengths), LR_EUNSUPPORTED (codec/encoding we lack), LR_ENOTFOUND. */
int lr_parquet_open(struct lr_parquet_file **out, struct lr_store *store, const char *key,
                    struct lr_error *err);

/* Open an in-memory file (borrowed: `data` must outlive the file). `name` is used in errors. */
int lr_parquet_open_buffer(struct lr_parquet_file **out, const uint8_t *data, size_t len,
                           const char *name, struct lr_error *err);

void lr_parquet_close(struct lr_parquet_file *f);

int64_t lr_parquet_num_rows(const struct lr_parquet_file *f);

/* Iterate the rows of the projected columns. `columns` are dotted paths from the root: a
 * top-level field ("add") selects its whole subtree, a nested path ("add.path",
 * "add.deletionVector") selects that subtree only, and the row object keeps the nesting
 * ({"add": {"path": ...}}). NULL/0 selects every column. Column chunks outside the
 * projection are never read or decoded. Unknown paths are LR_ENOTFOUND naming the path. */
int lr_parquet_rows_open(struct lr_parquet_rows **out, struct lr_parquet_file *f,
                         const char *const *columns, size_t ncolumns, struct lr_error *err);

/* 1 and a new row in *row_out; 0 at the end; negative on error (naming file, column, offset). */
int lr_parquet_rows_next(struct lr_parquet_rows *r, json_t **row_out, struct lr_error *err);

/* Step over up to `n` rows without assembling them (their levels and values are consumed),
 * never past the end of the current row group: the number skipped, 0 at the end, negative on
 * error. A row group skipped whole from its start is not read at all. For a caller that
 * knows from the columnar API which rows it wants. */
int64_t lr_parquet_rows_skip(struct lr_parquet_rows *r, int64_t n, struct lr_error *err);

void lr_parquet_rows_close(struct lr_parquet_rows *r);

/* ---- Footer inspection (for `inspect parquet`, data-file footers and statistics) ----------
 * Everything below is borrowed from the open file: valid until lr_parquet_close(). Byte
 * values (names excepted) point into the footer and are not NUL-terminated. */

enum lr_parquet_type {
    LR_PQ_BOOLEAN = 0,
    LR_PQ_INT32 = 1,
    LR_PQ_INT64 = 2,
    LR_PQ_INT96 = 3,
    LR_PQ_FLOAT = 4,
    LR_PQ_DOUBLE = 5,
    LR_PQ_BYTE_ARRAY = 6,
    LR_PQ_FIXED_LEN_BYTE_ARRAY = 7,
};

enum lr_parquet_repetition {
    LR_PQ_REQUIRED = 0,
    LR_PQ_OPTIONAL = 1,
    LR_PQ_REPEATED = 2,
};

/* LogicalType union members (parquet.thrift ids); LR_PQ_LT_NONE when absent. */
enum lr_parquet_logical {
    LR_PQ_LT_NONE = 0,
    LR_PQ_LT_STRING = 1,
    LR_PQ_LT_MAP = 2,
    LR_PQ_LT_LIST = 3,
    LR_PQ_LT_ENUM = 4,
    LR_PQ_LT_DECIMAL = 5,
    LR_PQ_LT_DATE = 6,
    LR_PQ_LT_TIME = 7,
    LR_PQ_LT_TIMESTAMP = 8,
    LR_PQ_LT_INTEGER = 10,
    LR_PQ_LT_UNKNOWN = 11,
    LR_PQ_LT_JSON = 12,
    LR_PQ_LT_BSON = 13,
    LR_PQ_LT_UUID = 14,
    LR_PQ_LT_FLOAT16 = 15,
    LR_PQ_LT_OTHER = 99, /* a member this reader does not know */
};

struct lr_parquet_bytes {
    const uint8_t *data;
    size_t len;
};

struct lr_parquet_stats {
    bool has_max, has_min, has_max_value, has_min_value;  /* fields 1, 2, 5, 6 */
    bool has_null_count, has_distinct_count, has_nan_count;
    bool has_max_exact, has_min_exact;
    struct lr_parquet_bytes max, min, max_value, min_value;
    int64_t null_count, distinct_count, nan_count;
    bool is_max_exact, is_min_exact;
};

struct lr_parquet_node {
    char *name;                 /* NUL-terminated copy (may hold any bytes but NUL) */
    char *path;                 /* dotted path from below the root ("add.partitionValues") */
    int type;                   /* enum lr_parquet_type, -1 on groups */
    int32_t type_length;        /* FIXED_LEN_BYTE_ARRAY width, 0 when absent */
    int repetition;             /* enum lr_parquet_repetition (the root: REQUIRED) */
    int converted_type;         /* ConvertedType enum value, -1 when absent */
    int32_t scale, precision;   /* SchemaElement 7/8 (decimal), 0 when absent */
    int32_t field_id;           /* -1 when absent */
    int logical;                /* enum lr_parquet_logical */
    int32_t lt_scale, lt_precision;   /* DECIMAL */
    int lt_unit;                      /* TIME/TIMESTAMP: 1 millis, 2 micros, 3 nanos */
    bool lt_utc;                      /* TIME/TIMESTAMP isAdjustedToUTC */
    int lt_bit_width;                 /* INTEGER */
    bool lt_signed;                   /* INTEGER */
    struct lr_parquet_node *parent;   /* NULL for the root */
    struct lr_parquet_node **children;
    size_t num_children;
    int max_def, max_rep;       /* levels of this node (cumulative, itself included) */
    int leaf_index;             /* column index for leaves, -1 for groups */
};

struct lr_parquet_column_chunk {
    int type;                   /* physical type from ColumnMetaData */
    int codec;                  /* CompressionCodec enum value */
    const int32_t *encodings;   /* as listed (advisory) */
    size_t num_encodings;
    int64_t num_values;         /* level entries, not rows */
    int64_t total_compressed_size, total_uncompressed_size; /* page headers included */
    int64_t data_page_offset;
    int64_t dictionary_page_offset; /* -1 when absent (0 counts as absent) */
    bool has_stats;
    struct lr_parquet_stats stats;
};

struct lr_parquet_row_group {
    int64_t num_rows;
    int64_t total_byte_size;        /* uncompressed */
    int64_t total_compressed_size;  /* -1 when absent */
    struct lr_parquet_column_chunk *columns; /* one per leaf, in leaf order */
};

struct lr_parquet_kv {
    char *key;
    char *value;                /* NULL when the value is absent (not the same as "") */
};

struct lr_parquet_meta {
    int32_t version;
    int64_t num_rows;
    char *created_by;           /* NULL when absent */
    struct lr_parquet_kv *kv;
    size_t num_kv;
    struct lr_parquet_node *root;
    struct lr_parquet_node **leaves; /* the columns, in order */
    size_t num_leaves;
    struct lr_parquet_row_group *row_groups;
    size_t num_row_groups;
    bool has_column_orders;
    uint64_t file_size;
    uint64_t footer_offset;     /* where FileMetaData starts */
    uint32_t footer_len;
};

/* The decoded footer. Borrowed; valid until lr_parquet_close(). */
const struct lr_parquet_meta *lr_parquet_metadata(const struct lr_parquet_file *f);

/* The file name used in errors. Borrowed. */
const char *lr_parquet_name(const struct lr_parquet_file *f);

/* Names of enum values ("INT64", "SNAPPY", "RLE_DICTIONARY", "TIMESTAMP_MICROS",
 * "OPTIONAL"); "UNKNOWN(n)" forms are not produced: unknown values give "?". Static storage. */
const char *lr_parquet_type_name(int type);
const char *lr_parquet_codec_name(int codec);
const char *lr_parquet_encoding_name(int encoding);
const char *lr_parquet_converted_name(int converted_type);
const char *lr_parquet_repetition_name(int repetition);

/* Describe a node's annotation for display ("STRING", "TIMESTAMP(MICROS,utc)",
 * "DECIMAL(9,2)", "LIST", ...), or "" for none. Writes a NUL-terminated string into out. */
void lr_parquet_annotation(const struct lr_parquet_node *n, char *out, size_t out_size);

/* Render one statistics value (min/max bytes) of leaf `leaf` for display, decoded by type and
 * annotation ("2024-01-01", "12.50", "'abc'"); invalid lengths give "<N bytes>". Appends to
 * `out`. 0 or LR_ENOMEM/LR_ELIMIT. */
int lr_parquet_format_stat(struct lr_buf *out, const struct lr_parquet_node *leaf,
                           struct lr_parquet_bytes value, struct lr_error *err);

/* Like lr_parquet_rows_next() but appends the row as one line of JSON text to `out` (no
 * newline), with decimals printed exactly at their declared scale and floats at the shortest
 * form that reads back the same. 1 / 0 at the end / negative on error. */
int lr_parquet_rows_next_text(struct lr_parquet_rows *r, struct lr_buf *out,
                              struct lr_error *err);

/* ---- Columnar access: the fast path (no row objects) -------------------------------------
 * One row group's projected leaf columns, decoded to levels and values. Byte-array values
 * point into page buffers the batch owns: borrowed until lr_parquet_batch_free(). */

struct lr_parquet_slice {
    const uint8_t *p;
    uint32_t len;
};

struct lr_parquet_column {
    const struct lr_parquet_node *leaf; /* schema leaf: path, type, max_def, max_rep */
    size_t num_entries;                 /* level entries (rows for non-repeated leaves) */
    const uint8_t *def_levels;          /* num_entries; NULL when leaf->max_def == 0 */
    const uint8_t *rep_levels;          /* num_entries; NULL when leaf->max_rep == 0 */
    size_t num_values;                  /* entries whose def level is leaf->max_def */
    size_t width;                       /* bytes per value; 0 for BYTE_ARRAY */
    const uint8_t *fixed;               /* num_values * width bytes, little-endian as stored
                                           (BOOLEAN: one 0/1 byte per value) */
    const struct lr_parquet_slice *byte_arrays; /* num_values slices (BYTE_ARRAY only) */
};

struct lr_parquet_batch;

/* Decode row group `rg` for the projection (dotted paths as in lr_parquet_rows_open; NULL/0
 * selects everything). Only those column chunks are read. Several threads may read batches
 * (and column scans) of one file at once. Caller frees with
 * lr_parquet_batch_free() before closing the file. Errors as lr_parquet_rows_next(). */
int lr_parquet_batch_read(struct lr_parquet_batch **out, struct lr_parquet_file *f, size_t rg,
                          const char *const *columns, size_t ncolumns, struct lr_error *err);
int64_t lr_parquet_batch_num_rows(const struct lr_parquet_batch *b);
size_t lr_parquet_batch_num_columns(const struct lr_parquet_batch *b);
/* Column i of the batch (schema leaf order). Pointers are borrowed from the batch. */
void lr_parquet_batch_column(const struct lr_parquet_batch *b, size_t i,
                             struct lr_parquet_column *out);
void lr_parquet_batch_free(struct lr_parquet_batch *b);

/* One non-repeated leaf column (dotted path) of row group rg, a data page at a time: for
 * reading a large column once without holding it whole. visit(ctx, page, first_entry, err) gets
 * the page's entries (first_entry counts the entries of earlier pages; the pointers are valid
 * during the call only); a negative return stops the scan and is returned. Page buffers are
 * reused, so memory stays near one page plus the dictionary. `want` (NULL: every page) is
 * asked first with a data page's entry range [first_entry, first_entry + n) from its header:
 * false skips the page without decompressing it (entries are rows in a non-repeated leaf, so
 * a few rows cost a few pages). */
typedef int (*lr_parquet_page_fn)(void *ctx, const struct lr_parquet_column *page,
                                  size_t first_entry, struct lr_error *err);
typedef bool (*lr_parquet_page_want)(void *ctx, size_t first_entry, size_t n);
int lr_parquet_column_scan(struct lr_parquet_file *f, size_t rg, const char *column,
                           lr_parquet_page_want want, lr_parquet_page_fn visit, void *ctx,
                           struct lr_error *err);

/* A STRING column value as the row API renders it: a JSON string of the bytes, invalid UTF-8
 * sequences replaced by U+FFFD. New reference; NULL when out of memory. */
json_t *lr_parquet_string_json(const uint8_t *p, size_t len);

#endif
