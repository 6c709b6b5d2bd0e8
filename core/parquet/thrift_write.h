/* thrift_write.h - a Thrift compact-protocol ENCODER for Parquet metadata (writer side only).
 *
 * Owns: field headers (short delta form, long zigzag form), varints, zigzag, lists, nested
 * structs. Does not own: decoding (the reader's files) or what the fields mean (write_*.c).
 *
 * Errors are sticky: every call after the first failure does nothing, and lr_tw_finish()
 * returns that failure. The caller calls lr_tw_finish() once, after the outermost struct's
 * fields, to write its stop byte and check that every nested struct was closed. */
#ifndef LR_PARQUET_THRIFT_WRITE_H
#define LR_PARQUET_THRIFT_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/buf.h"
#include "lakerewind/error.h"

/* Compact type codes (element types in list headers; bool elements use LR_TW_TRUE). */
enum {
    LR_TW_TRUE = 1,
    LR_TW_FALSE = 2,
    LR_TW_I8 = 3,
    LR_TW_I16 = 4,
    LR_TW_I32 = 5,
    LR_TW_I64 = 6,
    LR_TW_DOUBLE = 7,
    LR_TW_BINARY = 8,
    LR_TW_LIST = 9,
    LR_TW_STRUCT = 12,
};

#define LR_TW_MAX_DEPTH 32

struct lr_tw {
    struct lr_buf *out;        /* borrowed; bytes are appended */
    struct lr_error *err;      /* borrowed */
    int rc;                    /* 0 or the first failure */
    int depth;                 /* open structs, the outermost included */
    int16_t last_id[LR_TW_MAX_DEPTH];
};

/* Start the outermost struct (no header is written for it). */
void lr_tw_init(struct lr_tw *tw, struct lr_buf *out, struct lr_error *err);

void lr_tw_field_i8(struct lr_tw *tw, int16_t id, int8_t v);
void lr_tw_field_i32(struct lr_tw *tw, int16_t id, int32_t v);
void lr_tw_field_i64(struct lr_tw *tw, int16_t id, int64_t v);
void lr_tw_field_bool(struct lr_tw *tw, int16_t id, bool v);
void lr_tw_field_double(struct lr_tw *tw, int16_t id, double v);
void lr_tw_field_binary(struct lr_tw *tw, int16_t id, const void *p, size_t n);
void lr_tw_field_string(struct lr_tw *tw, int16_t id, const char *s);
/* A struct-typed field: its fields follow, then lr_tw_struct_end(). */
void lr_tw_field_struct(struct lr_tw *tw, int16_t id);
/* A list-typed field of `n` elements of compact type `elem`; the elements follow. */
void lr_tw_field_list(struct lr_tw *tw, int16_t id, uint8_t elem, size_t n);

/* List elements. */
void lr_tw_elem_i32(struct lr_tw *tw, int32_t v);
void lr_tw_elem_i64(struct lr_tw *tw, int64_t v);
void lr_tw_elem_binary(struct lr_tw *tw, const void *p, size_t n);
void lr_tw_elem_string(struct lr_tw *tw, const char *s);
void lr_tw_elem_struct(struct lr_tw *tw); /* its fields follow, then lr_tw_struct_end() */

/* Stop byte of the innermost open nested struct. */
void lr_tw_struct_end(struct lr_tw *tw);

/* Stop byte of the outermost struct; returns 0 or the first failure. */
int lr_tw_finish(struct lr_tw *tw);

/* Raw helpers shared with the page encoders. */
int lr_tw_put_varint(struct lr_buf *out, uint64_t v, struct lr_error *err);
uint64_t lr_tw_zigzag(int64_t v);

#endif
