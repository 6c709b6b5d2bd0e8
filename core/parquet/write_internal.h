/* write_internal.h - the Parquet writer's private structures, shared by core/parquet/write_*.c.
 *
 * Data flow: write_schema.c declares nodes and, at the first row, freezes them into leaf
 * columns (levels, paths); write_shred.c turns rows (JSON or typed) into per-leaf entries
 * (repetition level, definition level, PLAIN value bytes) with a string dictionary built on the
 * fly; write_chunk.c turns one leaf's buffered entries into a column chunk (dictionary page,
 * data pages, statistics) appended to the file; write_file.c closes row groups and writes the
 * footer; write_rle.c and write_codec.c are the encoders and compressors they use. */
#ifndef LR_PARQUET_WRITE_INTERNAL_H
#define LR_PARQUET_WRITE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/buf.h"
#include "lakerewind/error.h"
#include "lakerewind/parquet_write.h"

#define W_MAX_DEPTH 16
#define W_DICT_MAX_BYTES (1u << 20) /* a chunk's dictionary stops growing past 1 MiB */
#define W_STATS_MAX_BYTES 4096      /* string min/max longer than this are left out */

enum w_rep { W_REQUIRED = 0, W_OPTIONAL = 1, W_REPEATED = 2 };

/* A schema node. Groups: the root, STRUCT, MAP, LIST, and the repeated group under a MAP
 * ("key_value") or LIST ("list"), which has type LR_PQW_STRUCT and rep W_REPEATED. */
struct wnode {
    char *name;
    enum lr_parquet_wtype type;
    enum w_rep rep;
    int parent;          /* -1 for the root */
    int *children;
    size_t nchildren;
    size_t children_cap;
    int leaf;            /* index into cols for leaves, else -1 */
    uint8_t def_level;   /* optional + repeated nodes on the path, this one included */
    uint8_t rep_level;   /* repeated nodes on the path, this one included */
};

/* The string dictionary of one column chunk: open addressing over entry ids. */
struct wdict {
    uint32_t *slots;     /* entry id + 1, 0 = empty */
    size_t nslots;       /* power of two */
    uint64_t *entry_off; /* first occurrence in wcol.values (at its u32 prefix) */
    uint32_t *entry_hash;
    uint32_t n;
    size_t cap;
    size_t bytes;        /* PLAIN size of the entries */
    bool is_dead;        /* too big or switched off: this chunk is PLAIN */
};

/* One leaf column: schema facts plus the entries buffered for the current row group. */
struct wcol {
    int node;
    enum lr_parquet_wtype type;
    uint8_t max_def;
    uint8_t max_rep;
    char **path;         /* path_in_schema, owned */
    size_t path_len;
    char *dotted;        /* "add.partitionValues.key_value.key", for errors */

    uint8_t *defs;       /* one per entry */
    uint8_t *reps;       /* one per entry, only when max_rep > 0 */
    size_t n;
    size_t cap;
    struct lr_buf values; /* PLAIN bytes of non-null values (booleans: one byte each) */
    uint64_t *offs;      /* strings: offset of each value in `values` */
    uint32_t *idx;       /* strings: dictionary id of each value, while the dictionary lives */
    size_t idx_cap;
    size_t nvals;
    size_t vcap;
    struct wdict dict;
};

/* Footer facts of one written column chunk. */
struct wchunk {
    int64_t num_values;
    int64_t total_uncompressed;
    int64_t total_compressed;
    int64_t data_page_offset;
    int64_t dict_page_offset; /* -1: none */
    int32_t data_pages;
    int64_t null_count;
    bool has_minmax;
    bool has_level_pages;     /* RLE levels present */
    uint8_t *min;             /* owned */
    uint8_t *max;             /* owned */
    size_t min_len;
    size_t max_len;
};

struct wrowgroup {
    struct wchunk *chunks;    /* one per leaf, owned */
    int64_t num_rows;
    int64_t file_offset;
    int64_t total_byte_size;
    int64_t total_compressed;
};

/* A typed value waiting for lr_parquet_writer_end_row(). */
struct wpending {
    bool is_set;
    bool is_null;
    int64_t i;
    double d;
    char *s;                  /* owned copy */
    size_t len;
};

struct lr_parquet_writer {
    struct lr_parquet_writer_options opts;
    struct lr_parquet_writer_kv *kv; /* owned copies */
    size_t kv_count;

    struct wnode *nodes;
    size_t nnodes;
    size_t nodes_cap;
    struct wcol *cols;
    size_t ncols;
    bool is_frozen;
    bool is_finished;
    bool is_broken;           /* an allocation failed mid-row: no more rows */

    struct lr_buf file;       /* "PAR1" + the column chunks written so far */
    struct wrowgroup *rgs;
    size_t nrgs;
    size_t rgs_cap;
    int64_t group_rows;
    int64_t total_rows;
    size_t buffered;          /* bytes buffered in the current row group */

    struct wpending *pending; /* per leaf, typed appends */
    bool has_pending;

    struct lr_buf page;       /* scratch: one page body */
    struct lr_buf zpage;      /* scratch: the compressed body */
    struct lr_buf header;     /* scratch: one page header */
    struct lr_buf levels;     /* scratch: one RLE level run */
    void *zctx;               /* ZSTD_CCtx, created at the first ZSTD page */
};

/* write_schema.c */
int w_freeze(struct lr_parquet_writer *w, struct lr_error *err);
bool w_is_leaf_type(enum lr_parquet_wtype t);

/* write_shred.c */
int w_col_reserve_entry(struct wcol *c, struct lr_error *err);
void w_col_reset(struct wcol *c, bool is_dictionary_off);
void w_col_free(struct wcol *c);

/* write_chunk.c: append the chunk of `c` (its buffered entries) to w->file, fill `out`. */
int w_chunk_write(struct lr_parquet_writer *w, struct wcol *c, struct wchunk *out,
                  struct lr_error *err);

/* write_file.c */
int w_flush_row_group(struct lr_parquet_writer *w, struct lr_error *err);

/* write_rle.c: RLE/bit-packed hybrid of `n` values of `width` bits (1..32), appended to out,
 * with no length prefix. */
int w_rle_u8(struct lr_buf *out, const uint8_t *v, size_t n, int width, struct lr_error *err);
int w_rle_u32(struct lr_buf *out, const uint32_t *v, size_t n, int width, struct lr_error *err);
/* PLAIN booleans: one byte (0/1) per value in, bits LSB-first out. */
int w_bitpack_bools(struct lr_buf *out, const uint8_t *v, size_t n, struct lr_error *err);
/* Bits needed for values 0..max (0 for max 0). */
int w_bit_width(uint32_t max);

/* write_codec.c: compress `n` bytes of `src` into `out` (reset first) with the writer's codec;
 * w_codec_free() releases the compressor state kept between pages. */
int w_compress(struct lr_parquet_writer *w, const uint8_t *src, size_t n, struct lr_buf *out,
               struct lr_error *err);
void w_codec_free(struct lr_parquet_writer *w);
/* The Thrift CompressionCodec number. */
int w_codec_id(enum lr_parquet_wcodec codec);

#endif
