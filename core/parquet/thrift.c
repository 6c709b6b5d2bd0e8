/* thrift.c - a cursor over Thrift compact-protocol bytes (Parquet footers and page headers).
 *
 * Owns: varints, zigzag, field headers, lists, skipping unknown fields. Every read is checked
 * against the end of the buffer, lengths and list counts against the bytes left, nesting
 * against PQ_MAX_THRIFT_DEPTH. It knows no Parquet structure (meta.c does). */
#include <stdio.h>
#include <string.h>

#include "parquet/pq.h"

void pq_tc_init(struct pq_tc *t, const uint8_t *p, size_t len, uint64_t base_off,
                const char *what, struct lr_error *err)
{
    t->p = p;
    t->start = p;
    t->end = p + len;
    t->base_off = base_off;
    t->depth = 0;
    t->what = what;
    t->err = err;
}

uint64_t pq_tc_offset(const struct pq_tc *t)
{
    return t->base_off + (uint64_t)(t->p - t->start);
}

int pq_tc_fail(struct pq_tc *t, const char *cause)
{
    return lr_error_set(t->err, LR_ECORRUPT, "%s: %s at byte offset %llu", t->what, cause,
                        (unsigned long long)pq_tc_offset(t));
}

static int uvarint(struct pq_tc *t, uint64_t *out, int max_bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < max_bytes; i++) {
        if (t->p >= t->end)
            return pq_tc_fail(t, "truncated varint");
        uint8_t b = *t->p++;
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return pq_tc_fail(t, "varint too long");
}

static int64_t unzigzag(uint64_t u)
{
    return (int64_t)((u >> 1) ^ (~(u & 1) + 1));
}

int pq_tc_field(struct pq_tc *t, int *last_id, int *id, int *type)
{
    if (t->p >= t->end)
        return pq_tc_fail(t, "truncated struct (no stop byte)");
    uint8_t b = *t->p++;
    if (b == 0)
        return 0;
    *type = b & 0x0f;
    int delta = b >> 4;
    if (delta) {
        *id = *last_id + delta;
    } else {
        uint64_t u = 0;
        int rc = uvarint(t, &u, 3);
        if (rc < 0)
            return rc;
        int64_t v = unzigzag(u);
        if (v < -32768 || v > 32767)
            return pq_tc_fail(t, "field id out of range");
        *id = (int)v;
    }
    if (*id > 32767)
        return pq_tc_fail(t, "field id out of range");
    if (*type == PQ_CT_STOP || *type > PQ_CT_UUID)
        return pq_tc_fail(t, "unknown field type");
    *last_id = *id;
    return 1;
}

int pq_tc_i64(struct pq_tc *t, int type, int64_t *out)
{
    if (type == PQ_CT_BYTE) {
        if (t->p >= t->end)
            return pq_tc_fail(t, "truncated byte");
        *out = (int8_t)*t->p++;
        return 0;
    }
    if (type != PQ_CT_I16 && type != PQ_CT_I32 && type != PQ_CT_I64)
        return pq_tc_fail(t, "integer field has a non-integer type");
    uint64_t u = 0;
    int rc = uvarint(t, &u, type == PQ_CT_I64 ? 10 : type == PQ_CT_I32 ? 5 : 3);
    if (rc < 0)
        return rc;
    *out = unzigzag(u);
    return 0;
}

int pq_tc_i32(struct pq_tc *t, int type, int32_t *out)
{
    int64_t v;
    int rc = pq_tc_i64(t, type, &v);
    if (rc < 0)
        return rc;
    if (v < INT32_MIN || v > INT32_MAX)
        return pq_tc_fail(t, "i32 value out of range");
    *out = (int32_t)v;
    return 0;
}

int pq_tc_bool(struct pq_tc *t, int type, bool *out)
{
    if (type == PQ_CT_TRUE || type == PQ_CT_FALSE) {
        *out = type == PQ_CT_TRUE;
        return 0;
    }
    return pq_tc_fail(t, "bool field has a non-bool type");
}

int pq_tc_binary(struct pq_tc *t, int type, const uint8_t **p, size_t *len)
{
    if (type != PQ_CT_BINARY)
        return pq_tc_fail(t, "binary field has a non-binary type");
    uint64_t n = 0;
    int rc = uvarint(t, &n, 5);
    if (rc < 0)
        return rc;
    if (n > (uint64_t)(t->end - t->p))
        return pq_tc_fail(t, "binary length runs past the end");
    *p = t->p;
    *len = (size_t)n;
    t->p += n;
    return 0;
}

int pq_tc_enter(struct pq_tc *t, int type)
{
    if (type != PQ_CT_STRUCT)
        return pq_tc_fail(t, "struct field has a non-struct type");
    if (++t->depth > PQ_MAX_THRIFT_DEPTH)
        return pq_tc_fail(t, "structures nested too deeply");
    return 0;
}

void pq_tc_leave(struct pq_tc *t)
{
    t->depth--;
}

int pq_tc_list(struct pq_tc *t, int type, int *elem_type, uint32_t *count)
{
    if (type != PQ_CT_LIST && type != PQ_CT_SET)
        return pq_tc_fail(t, "list field has a non-list type");
    if (t->p >= t->end)
        return pq_tc_fail(t, "truncated list header");
    uint8_t b = *t->p++;
    uint64_t n = b >> 4;
    *elem_type = b & 0x0f;
    if (n == 15) {
        int rc = uvarint(t, &n, 5);
        if (rc < 0)
            return rc;
    }
    if (n > 0 && (*elem_type == PQ_CT_STOP || *elem_type > PQ_CT_UUID))
        return pq_tc_fail(t, "unknown list element type");
    /* every element takes at least one byte */
    if (n > (uint64_t)(t->end - t->p))
        return pq_tc_fail(t, "list size larger than the bytes left");
    *count = (uint32_t)n;
    return 0;
}

int pq_tc_elem_i64(struct pq_tc *t, int elem_type, int64_t *out)
{
    return pq_tc_i64(t, elem_type, out);
}

int pq_tc_elem_i32(struct pq_tc *t, int elem_type, int32_t *out)
{
    return pq_tc_i32(t, elem_type, out);
}

static int skip_value(struct pq_tc *t, int type, bool in_list);

static int skip_n(struct pq_tc *t, size_t n)
{
    if (n > (size_t)(t->end - t->p))
        return pq_tc_fail(t, "truncated value");
    t->p += n;
    return 0;
}

static int skip_value(struct pq_tc *t, int type, bool in_list)
{
    uint64_t u = 0;
    int rc;
    switch (type) {
    case PQ_CT_TRUE:
    case PQ_CT_FALSE:
        return in_list ? skip_n(t, 1) : 0;
    case PQ_CT_BYTE:
        return skip_n(t, 1);
    case PQ_CT_I16:
    case PQ_CT_I32:
    case PQ_CT_I64:
        return uvarint(t, &u, 10);
    case PQ_CT_DOUBLE:
        return skip_n(t, 8);
    case PQ_CT_UUID:
        return skip_n(t, 16);
    case PQ_CT_BINARY: {
        const uint8_t *p;
        size_t len;
        return pq_tc_binary(t, type, &p, &len);
    }
    case PQ_CT_LIST:
    case PQ_CT_SET: {
        int et;
        uint32_t n;
        rc = pq_tc_list(t, type, &et, &n);
        if (rc < 0)
            return rc;
        if (++t->depth > PQ_MAX_THRIFT_DEPTH)
            return pq_tc_fail(t, "structures nested too deeply");
        for (uint32_t i = 0; i < n && rc >= 0; i++)
            rc = skip_value(t, et, true);
        t->depth--;
        return rc;
    }
    case PQ_CT_MAP: {
        rc = uvarint(t, &u, 5);
        if (rc < 0)
            return rc;
        if (u == 0)
            return 0;
        if (u > (uint64_t)(t->end - t->p))
            return pq_tc_fail(t, "map size larger than the bytes left");
        if (t->p >= t->end)
            return pq_tc_fail(t, "truncated map header");
        uint8_t kv = *t->p++;
        int kt = kv >> 4, vt = kv & 0x0f;
        if (kt == 0 || kt > PQ_CT_UUID || vt == 0 || vt > PQ_CT_UUID)
            return pq_tc_fail(t, "unknown map element type");
        if (++t->depth > PQ_MAX_THRIFT_DEPTH)
            return pq_tc_fail(t, "structures nested too deeply");
        for (uint64_t i = 0; i < u && rc >= 0; i++) {
            rc = skip_value(t, kt, true);
            if (rc >= 0)
                rc = skip_value(t, vt, true);
        }
        t->depth--;
        return rc;
    }
    case PQ_CT_STRUCT: {
        rc = pq_tc_enter(t, type);
        if (rc < 0)
            return rc;
        int last = 0, id, ft;
        while ((rc = pq_tc_field(t, &last, &id, &ft)) > 0) {
            rc = skip_value(t, ft, false);
            if (rc < 0)
                break;
        }
        pq_tc_leave(t);
        return rc;
    }
    default:
        return pq_tc_fail(t, "unknown value type");
    }
}

int pq_tc_skip(struct pq_tc *t, int type)
{
    return skip_value(t, type, false);
}
