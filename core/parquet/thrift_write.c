/* thrift_write.c - Thrift compact-protocol encoder (see thrift_write.h). */
#include "parquet/thrift_write.h"

#include <string.h>

uint64_t lr_tw_zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

int lr_tw_put_varint(struct lr_buf *out, uint64_t v, struct lr_error *err)
{
    uint8_t tmp[10];
    size_t n = 0;
    do {
        uint8_t b = (uint8_t)(v & 0x7f);
        v >>= 7;
        if (v)
            b |= 0x80;
        tmp[n++] = b;
    } while (v);
    return lr_buf_append(out, tmp, n, err);
}

void lr_tw_init(struct lr_tw *tw, struct lr_buf *out, struct lr_error *err)
{
    tw->out = out;
    tw->err = err;
    tw->rc = 0;
    tw->depth = 1;
    tw->last_id[0] = 0;
}

static void put_bytes(struct lr_tw *tw, const void *p, size_t n)
{
    if (tw->rc == 0)
        tw->rc = lr_buf_append(tw->out, p, n, tw->err);
}

static void put_byte(struct lr_tw *tw, uint8_t b)
{
    put_bytes(tw, &b, 1);
}

static void put_varint(struct lr_tw *tw, uint64_t v)
{
    if (tw->rc == 0)
        tw->rc = lr_tw_put_varint(tw->out, v, tw->err);
}

static void field_header(struct lr_tw *tw, int16_t id, uint8_t type)
{
    if (tw->rc)
        return;
    if (tw->depth < 1) {
        tw->rc = lr_error_set(tw->err, LR_EINVAL, "thrift encoder: field after the final stop");
        return;
    }
    int16_t *last = &tw->last_id[tw->depth - 1];
    int delta = (int)id - (int)*last;
    if (delta > 0 && delta <= 15) {
        put_byte(tw, (uint8_t)((delta << 4) | type));
    } else {
        put_byte(tw, type);
        put_varint(tw, lr_tw_zigzag(id));
    }
    *last = id;
}

static void push(struct lr_tw *tw)
{
    if (tw->rc)
        return;
    if (tw->depth >= LR_TW_MAX_DEPTH) {
        tw->rc = lr_error_set(tw->err, LR_ELIMIT, "thrift encoder: structs nested deeper than %d",
                              LR_TW_MAX_DEPTH);
        return;
    }
    tw->last_id[tw->depth++] = 0;
}

void lr_tw_field_i8(struct lr_tw *tw, int16_t id, int8_t v)
{
    field_header(tw, id, LR_TW_I8);
    put_byte(tw, (uint8_t)v);
}

void lr_tw_field_i32(struct lr_tw *tw, int16_t id, int32_t v)
{
    field_header(tw, id, LR_TW_I32);
    put_varint(tw, lr_tw_zigzag(v));
}

void lr_tw_field_i64(struct lr_tw *tw, int16_t id, int64_t v)
{
    field_header(tw, id, LR_TW_I64);
    put_varint(tw, lr_tw_zigzag(v));
}

void lr_tw_field_bool(struct lr_tw *tw, int16_t id, bool v)
{
    field_header(tw, id, v ? LR_TW_TRUE : LR_TW_FALSE);
}

void lr_tw_field_double(struct lr_tw *tw, int16_t id, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, 8);
    uint8_t le[8];
    for (int i = 0; i < 8; i++)
        le[i] = (uint8_t)(bits >> (8 * i));
    field_header(tw, id, LR_TW_DOUBLE);
    put_bytes(tw, le, 8);
}

void lr_tw_field_binary(struct lr_tw *tw, int16_t id, const void *p, size_t n)
{
    field_header(tw, id, LR_TW_BINARY);
    lr_tw_elem_binary(tw, p, n);
}

void lr_tw_field_string(struct lr_tw *tw, int16_t id, const char *s)
{
    lr_tw_field_binary(tw, id, s, strlen(s));
}

void lr_tw_field_struct(struct lr_tw *tw, int16_t id)
{
    field_header(tw, id, LR_TW_STRUCT);
    push(tw);
}

void lr_tw_field_list(struct lr_tw *tw, int16_t id, uint8_t elem, size_t n)
{
    field_header(tw, id, LR_TW_LIST);
    if (n < 15) {
        put_byte(tw, (uint8_t)((n << 4) | elem));
    } else {
        put_byte(tw, (uint8_t)(0xf0 | elem));
        put_varint(tw, n);
    }
}

void lr_tw_elem_i32(struct lr_tw *tw, int32_t v)
{
    put_varint(tw, lr_tw_zigzag(v));
}

void lr_tw_elem_i64(struct lr_tw *tw, int64_t v)
{
    put_varint(tw, lr_tw_zigzag(v));
}

void lr_tw_elem_binary(struct lr_tw *tw, const void *p, size_t n)
{
    put_varint(tw, n);
    put_bytes(tw, p, n);
}

void lr_tw_elem_string(struct lr_tw *tw, const char *s)
{
    lr_tw_elem_binary(tw, s, strlen(s));
}

void lr_tw_elem_struct(struct lr_tw *tw)
{
    push(tw);
}

void lr_tw_struct_end(struct lr_tw *tw)
{
    if (tw->rc)
        return;
    if (tw->depth <= 1) {
        tw->rc = lr_error_set(tw->err, LR_EINVAL, "thrift encoder: struct end without a start");
        return;
    }
    put_byte(tw, 0);
    tw->depth--;
}

int lr_tw_finish(struct lr_tw *tw)
{
    if (tw->rc)
        return tw->rc;
    if (tw->depth != 1)
        return tw->rc = lr_error_set(tw->err, LR_EINVAL, "thrift encoder: %d struct(s) left open",
                                     tw->depth - 1);
    put_byte(tw, 0);
    tw->depth = 0;
    return tw->rc;
}
