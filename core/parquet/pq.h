/* pq.h - internals shared by the files of core/parquet (not a public header).
 *
 * Layout of the reader:
 *   thrift.c    Thrift compact protocol cursor (bounds- and depth-checked)
 *   meta.c      FileMetaData -> struct lr_parquet_meta (footer structs, statistics)
 *   schema.c    flat SchemaElement list -> tree, levels, leaf paths
 *   names.c     enum names, annotations, statistics rendering
 *   rle.c       RLE / bit-packed hybrid and bit unpacking
 *   encoding.c  value encodings (PLAIN, dictionary, DELTA_*, BYTE_STREAM_SPLIT)
 *   codec.c     page decompression (snappy, gzip, zstd, lz4)
 *   column.c    one column chunk of one row group -> levels + values (pages, dictionary)
 *   value.c     one leaf value -> json_t or JSON text (dates, timestamps, decimals, base64)
 *   assemble.c  projection tree and Dremel record assembly over decoded columns
 *   reader.c    lr_parquet_open*, footer reading through a store, the row cursors
 *
 * Internal cross-file names use the pq_ prefix. */
#ifndef LR_PARQUET_PQ_H
#define LR_PARQUET_PQ_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/buf.h"
#include "lakerewind/error.h"
#include "lakerewind/parquet.h"
#include "lakerewind/store.h"

/* Sanity bounds on untrusted input (LR_ELIMIT beyond them). */
#define PQ_MAX_FOOTER (64u * 1024u * 1024u)      /* FileMetaData bytes */
#define PQ_MAX_DEPTH 64                          /* schema nesting and Thrift nesting */
#define PQ_MAX_THRIFT_DEPTH 32
#define PQ_MAX_LEVEL 100                         /* max definition / repetition level */
#define PQ_MAX_PAGE (512u * 1024u * 1024u)       /* one decompressed page */
#define PQ_MAX_ENTRIES ((int64_t)1 << 27)        /* level entries in one column chunk */
/* ... and no more than this many per byte of file (plus 1 Mi): RLE lets a few bytes claim
 * billions of entries; real files (even all-null columns) stay far below it. */
#define PQ_ENTRIES_PER_BYTE 1024
#define PQ_MAX_RATIO 4096u                       /* decompressed / compressed page size */

/* ---- thrift.c ------------------------------------------------------------------------ */

enum {
    PQ_CT_STOP = 0,
    PQ_CT_TRUE = 1,
    PQ_CT_FALSE = 2,
    PQ_CT_BYTE = 3,
    PQ_CT_I16 = 4,
    PQ_CT_I32 = 5,
    PQ_CT_I64 = 6,
    PQ_CT_DOUBLE = 7,
    PQ_CT_BINARY = 8,
    PQ_CT_LIST = 9,
    PQ_CT_SET = 10,
    PQ_CT_MAP = 11,
    PQ_CT_STRUCT = 12,
    PQ_CT_UUID = 13,
};

struct pq_tc {
    const uint8_t *p;
    const uint8_t *end;
    const uint8_t *start;
    uint64_t base_off;  /* file offset of `start`, for error messages */
    int depth;
    const char *what;   /* "footer", "page header" */
    struct lr_error *err;
};

void pq_tc_init(struct pq_tc *t, const uint8_t *p, size_t len, uint64_t base_off,
                const char *what, struct lr_error *err);
uint64_t pq_tc_offset(const struct pq_tc *t);
int pq_tc_fail(struct pq_tc *t, const char *cause);
/* 1 and (id, type) for a field, 0 at the struct's stop byte, negative on error. */
int pq_tc_field(struct pq_tc *t, int *last_id, int *id, int *type);
int pq_tc_i32(struct pq_tc *t, int type, int32_t *out);
int pq_tc_i64(struct pq_tc *t, int type, int64_t *out);
int pq_tc_bool(struct pq_tc *t, int type, bool *out);
int pq_tc_binary(struct pq_tc *t, int type, const uint8_t **p, size_t *len);
/* Enter a nested struct field (checks the type and the depth); pair with pq_tc_leave(). */
int pq_tc_enter(struct pq_tc *t, int type);
void pq_tc_leave(struct pq_tc *t);
/* A list header: element type and count (count bounded by the bytes left). */
int pq_tc_list(struct pq_tc *t, int type, int *elem_type, uint32_t *count);
/* A list element that is an i32 / i64 / binary / bool. */
int pq_tc_elem_i32(struct pq_tc *t, int elem_type, int32_t *out);
int pq_tc_elem_i64(struct pq_tc *t, int elem_type, int64_t *out);
int pq_tc_skip(struct pq_tc *t, int type);

/* ---- meta.c / schema.c ------------------------------------------------------------------ */

struct pq_page_header {
    int type;                       /* PageType */
    int32_t uncompressed_size, compressed_size;
    bool has_crc;
    int32_t crc;
    /* DATA_PAGE / DATA_PAGE_V2 / DICTIONARY_PAGE */
    int32_t num_values;
    int32_t encoding;
    int32_t def_encoding, rep_encoding;      /* v1 */
    int32_t num_nulls, num_rows;             /* v2 */
    int32_t def_len, rep_len;                /* v2 */
    bool is_compressed;                      /* v2 (absent = true) */
    bool has_data_header, has_dict_header, has_v2_header;
};

/* Decode FileMetaData from `p[0..len)` (which starts at file offset `off`) into `m`.
 * Strings are copied; statistics bytes point into `p`, which must outlive `m`. */
int pq_meta_parse(struct lr_parquet_meta *m, const uint8_t *p, size_t len, uint64_t off,
                  struct lr_error *err);
void pq_meta_free(struct lr_parquet_meta *m);
/* Decode a PageHeader at file offset `off`; *used gets its encoded size. */
int pq_page_header_parse(struct pq_page_header *h, const uint8_t *p, size_t len, uint64_t off,
                         size_t *used, struct lr_error *err);

/* Build the schema tree from the flat elements held in `m` (called by pq_meta_parse). */
struct pq_schema_elem;
int pq_schema_build(struct lr_parquet_meta *m, struct pq_schema_elem *els, size_t n,
                    struct lr_error *err);
void pq_schema_free(struct lr_parquet_meta *m);

struct pq_schema_elem {
    char *name;
    int type;
    int32_t type_length;
    int repetition;
    int32_t num_children;
    int converted_type;
    int32_t scale, precision, field_id;
    int logical;
    int32_t lt_scale, lt_precision;
    int lt_unit;
    bool lt_utc;
    int lt_bit_width;
    bool lt_signed;
};

/* ---- rle.c --------------------------------------------------------------------------- */

/* Decode `n` values of bit width `width` (0..32) from RLE/bit-packed hybrid data into
 * out8 (when max <= 255) or out32; every value must be <= max (else LR_ECORRUPT). Returns 0
 * or a negative code with a message (the caller adds the column and offset). */
int pq_rle_decode8(const uint8_t *p, size_t len, int width, uint8_t *out, size_t n,
                   uint32_t max, struct lr_error *err);
int pq_rle_decode32(const uint8_t *p, size_t len, int width, uint32_t *out, size_t n,
                    uint32_t max, struct lr_error *err);
/* Unpack `n` LSB-first values of `width` (0..64) bits from p (which must hold
 * ceil(n*width/8) bytes). */
void pq_unpack64(const uint8_t *p, int width, uint64_t *out, size_t n);
int pq_bit_width(uint32_t max);

/* ---- codec.c ------------------------------------------------------------------------- */

/* Decompress `in` into exactly `out_len` bytes at `out`. LR_ECORRUPT on any mismatch,
 * LR_EUNSUPPORTED for LZO/BROTLI/unknown codecs. */
int pq_decompress(int codec, const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len,
                  struct lr_error *err);

/* ---- column.c: one leaf of one row group, decoded ------------------------------------ */

/* Reusable page buffers: row group after row group needs buffers of the same sizes, and
 * fresh large allocations cost a page fault per 4 KiB. Owned by the file. */
#define PQ_POOL_SLOTS 1024
#define PQ_POOL_MAX_BYTES (512u * 1024u * 1024u)
struct pq_pool {
    pthread_mutex_t lock; /* batch reads of one file may run on several threads */
    bool ready;           /* lock initialised (pq_pool_init) */
    uint8_t *buf[PQ_POOL_SLOTS];
    size_t cap[PQ_POOL_SLOTS];
    size_t n;
    size_t bytes;
};
void pq_pool_init(struct pq_pool *p);
/* A buffer of at least n bytes (*cap gets its size), or NULL on ENOMEM. */
uint8_t *pq_pool_take(struct pq_pool *p, size_t n, size_t *cap);
/* Give a buffer back (freed when the pool is full). p may be NULL. */
void pq_pool_put(struct pq_pool *p, uint8_t *buf, size_t cap);
void pq_pool_free(struct pq_pool *p);

struct pq_col {
    const struct lr_parquet_node *leaf;
    struct pq_pool *pool;   /* borrowed from the file; NULL: plain malloc/free */
    size_t *bufcaps;        /* capacity of each kept buffer, 0 when not poolable */
    size_t n;            /* level entries */
    uint8_t *def;        /* n entries (NULL when max_def == 0: all max) */
    uint8_t *rep;        /* n entries (NULL when max_rep == 0: all 0) */
    size_t nvals;        /* non-null values */
    size_t width;        /* fixed width in bytes; 0 for BYTE_ARRAY */
    uint8_t *fixed;      /* nvals * width bytes (BOOLEAN: one byte per value) */
    struct lr_parquet_slice *ba; /* nvals slices (BYTE_ARRAY) */
    /* owned memory the slices point into */
    uint8_t **bufs;
    size_t nbufs, capbufs;
    size_t cap_entries, cap_vals;
    /* assembly cursor */
    size_t pos, vpos;
};

struct pq_source;
/* Read and decode the chunk of leaf `leaf_index` in row group `rg`. */
int pq_column_read(struct pq_col *c, struct lr_parquet_file *f, size_t rg, size_t leaf_index,
                   struct lr_error *err);
void pq_col_free(struct pq_col *c);
/* The same chunk a page at a time: visit(ctx, page, first_entry, err) gets each data page's
 * entries (valid during the call; a negative return stops the scan with that code); the
 * page buffers are reused, so memory stays near one page plus the dictionary. */
typedef lr_parquet_page_fn pq_page_visit;
int pq_column_scan(struct lr_parquet_file *f, size_t rg, size_t leaf_index,
                   lr_parquet_page_want want, pq_page_visit visit, void *ctx,
                   struct lr_error *err);
int pq_col_keep(struct pq_col *c, uint8_t *buf, struct lr_error *err);
/* Keep a buffer that came from the pool (capacity cap) and goes back to it. */
int pq_col_keep_pooled(struct pq_col *c, uint8_t *buf, size_t cap, struct lr_error *err);

/* ---- encoding.c --------------------------------------------------------------------- */

struct pq_dict {
    size_t n;
    size_t width;
    uint8_t *fixed;
    struct lr_parquet_slice *ba;
};

/* Append `m` values encoded with `encoding` from p[0..len) to c's value arrays.
 * `dict` may be NULL (then dictionary encodings are an error). */
int pq_decode_values(struct pq_col *c, int encoding, const uint8_t *p, size_t len, size_t m,
                     const struct pq_dict *dict, struct lr_error *err);
/* Decode a dictionary page body (PLAIN values) into d. Slices point into p. */
int pq_decode_dict(struct pq_dict *d, const struct lr_parquet_node *leaf, const uint8_t *p,
                   size_t len, size_t n, struct lr_error *err);
void pq_dict_free(struct pq_dict *d);
size_t pq_type_width(const struct lr_parquet_node *leaf);

/* ---- value.c ------------------------------------------------------------------------- */

/* Leaf value kinds, decided once per leaf from its type and annotation. */
enum pq_vkind {
    PQ_V_BOOL,
    PQ_V_INT32,
    PQ_V_INT64,
    PQ_V_UINT32,
    PQ_V_UINT64,
    PQ_V_FLOAT,
    PQ_V_DOUBLE,
    PQ_V_STRING,
    PQ_V_BINARY,
    PQ_V_DATE,
    PQ_V_TIMESTAMP,  /* INT64 with unit */
    PQ_V_INT96,
    PQ_V_TIME,       /* INT32 millis / INT64 micros|nanos */
    PQ_V_DECIMAL,    /* any physical type, with scale */
    PQ_V_UUID,
    PQ_V_FLOAT16,
};

struct pq_vinfo {
    enum pq_vkind kind;
    int unit;     /* 1 millis, 2 micros, 3 nanos */
    int scale;
};

void pq_vinfo_of(const struct lr_parquet_node *leaf, struct pq_vinfo *out);
/* The value at index v of column c as a new json_t (NULL on ENOMEM). */
json_t *pq_value_json(const struct pq_vinfo *vi, const struct pq_col *c, size_t v);
/* Append the value as JSON text; `as_key` renders it as a JSON string (for map keys). */
int pq_value_text(struct lr_buf *out, const struct pq_vinfo *vi, const struct pq_col *c,
                  size_t v, bool as_key, struct lr_error *err);
/* Render raw value bytes of a leaf (as stored in statistics) for display. */
int pq_value_text_raw(struct lr_buf *out, const struct pq_vinfo *vi, const uint8_t *p,
                      size_t len, int physical, struct lr_error *err);
int pq_json_escape(struct lr_buf *out, const uint8_t *s, size_t len, struct lr_error *err);
/* Append s with invalid UTF-8 sequences replaced by U+FFFD. */
int pq_utf8_append(struct lr_buf *out, const uint8_t *p, size_t len, struct lr_error *err);

/* ---- reader.c ------------------------------------------------------------------------ */

/* The level-entry bound of one column chunk / row group of this file (see PQ_MAX_ENTRIES). */
int64_t pq_max_entries(const struct lr_parquet_meta *m);

/* Bytes [off, off+len) of the file: a pointer into the caller's buffer for in-memory files,
 * else read through the store into *owned (caller frees with free()). */
int pq_file_read(struct lr_parquet_file *f, uint64_t off, uint64_t len, const uint8_t **out,
                 uint8_t **owned, struct lr_error *err);
const struct lr_parquet_meta *pq_file_meta(const struct lr_parquet_file *f);
struct pq_pool *pq_file_pool(struct lr_parquet_file *f);

/* ---- assemble.c ---------------------------------------------------------------------- */

struct pq_proj;
int pq_proj_build(struct pq_proj **out, const struct lr_parquet_meta *m, const char *name,
                  const char *const *columns, size_t ncolumns, struct lr_error *err);
void pq_proj_free(struct pq_proj *p);
size_t pq_proj_num_leaves(const struct pq_proj *p);
size_t pq_proj_leaf_index(const struct pq_proj *p, size_t i);  /* file leaf index */

struct pq_sink;
/* Assemble one record from the columns (cols[i] is projected leaf i) into json / text. */
int pq_assemble_json(const struct pq_proj *p, struct pq_col *cols, json_t **out,
                     struct lr_error *err);
int pq_assemble_text(const struct pq_proj *p, struct pq_col *cols, struct lr_buf *out,
                     struct lr_error *err);
/* After the last record of a row group: every column must be used up. */
int pq_assemble_check_done(const struct pq_proj *p, struct pq_col *cols, struct lr_error *err);

#endif
