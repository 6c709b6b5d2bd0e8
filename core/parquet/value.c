/* value.c - one leaf value -> json_t or JSON text, by physical type and annotation.
 *
 * Mapping (product.md, `inspect parquet --json`): integers exact, FLOAT/DOUBLE as reals
 * (non-finite values as the strings "NaN", "Infinity", "-Infinity"), decimals as numbers at
 * their declared scale, DATE "YYYY-MM-DD", timestamps (millis/micros/nanos, INT96)
 * "YYYY-MM-DDTHH:MM:SS.fff[fff[fff]]Z" at their stored precision, TIME "HH:MM:SS.fff...",
 * strings as strings (invalid UTF-8 replaced by U+FFFD), binary as base64, UUID in its
 * 8-4-4-4-12 form. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/str.h"
#include "parquet/pq.h"

void pq_vinfo_of(const struct lr_parquet_node *n, struct pq_vinfo *out)
{
    int lt = n->logical == LR_PQ_LT_OTHER ? LR_PQ_LT_NONE : n->logical;
    int ct = lt != LR_PQ_LT_NONE ? -1 : n->converted_type;
    out->unit = 0;
    out->scale = 0;
    bool is_decimal = lt == LR_PQ_LT_DECIMAL || ct == 5;
    if (is_decimal) {
        out->scale = lt == LR_PQ_LT_DECIMAL ? n->lt_scale : n->scale;
        if (out->scale < 0 || out->scale > 100)
            out->scale = 0;
    }
    switch (n->type) {
    case LR_PQ_BOOLEAN:
        out->kind = PQ_V_BOOL;
        return;
    case LR_PQ_INT32:
        if (lt == LR_PQ_LT_DATE || ct == 6)
            out->kind = PQ_V_DATE;
        else if (is_decimal)
            out->kind = PQ_V_DECIMAL;
        else if ((lt == LR_PQ_LT_TIME && n->lt_unit == 1) || ct == 7)
            out->kind = PQ_V_TIME, out->unit = 1;
        else if ((lt == LR_PQ_LT_INTEGER && !n->lt_signed) || (ct >= 11 && ct <= 13))
            out->kind = PQ_V_UINT32;
        else
            out->kind = PQ_V_INT32;
        return;
    case LR_PQ_INT64:
        if (lt == LR_PQ_LT_TIMESTAMP && n->lt_unit >= 1 && n->lt_unit <= 3)
            out->kind = PQ_V_TIMESTAMP, out->unit = n->lt_unit;
        else if (ct == 9)
            out->kind = PQ_V_TIMESTAMP, out->unit = 1;
        else if (ct == 10)
            out->kind = PQ_V_TIMESTAMP, out->unit = 2;
        else if (is_decimal)
            out->kind = PQ_V_DECIMAL;
        else if (lt == LR_PQ_LT_TIME && (n->lt_unit == 2 || n->lt_unit == 3))
            out->kind = PQ_V_TIME, out->unit = n->lt_unit;
        else if (ct == 8)
            out->kind = PQ_V_TIME, out->unit = 2;
        else if ((lt == LR_PQ_LT_INTEGER && !n->lt_signed) || ct == 14)
            out->kind = PQ_V_UINT64;
        else
            out->kind = PQ_V_INT64;
        return;
    case LR_PQ_INT96:
        out->kind = PQ_V_INT96;
        out->unit = 3;
        return;
    case LR_PQ_FLOAT:
        out->kind = PQ_V_FLOAT;
        return;
    case LR_PQ_DOUBLE:
        out->kind = PQ_V_DOUBLE;
        return;
    case LR_PQ_BYTE_ARRAY:
        if (lt == LR_PQ_LT_STRING || lt == LR_PQ_LT_ENUM || lt == LR_PQ_LT_JSON || ct == 0 ||
            ct == 4 || ct == 19)
            out->kind = PQ_V_STRING;
        else if (is_decimal)
            out->kind = PQ_V_DECIMAL;
        else
            out->kind = PQ_V_BINARY;
        return;
    default:
        if (is_decimal)
            out->kind = PQ_V_DECIMAL;
        else if (lt == LR_PQ_LT_UUID && n->type_length == 16)
            out->kind = PQ_V_UUID;
        else if (lt == LR_PQ_LT_FLOAT16 && n->type_length == 2)
            out->kind = PQ_V_FLOAT16;
        else if ((lt == LR_PQ_LT_STRING || ct == 0))
            out->kind = PQ_V_STRING;
        else
            out->kind = PQ_V_BINARY;
        return;
    }
}

/* ---- small formatters into a char buffer ---- */

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static void civil(int64_t days, int64_t *y, int *m, int *d)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yy + (*m <= 2);
}

static int fmt_date(char *out, size_t n, int64_t days)
{
    int64_t y;
    int m, d;
    if (days > 100000000 || days < -100000000)
        return snprintf(out, n, "%lld", (long long)days);
    civil(days, &y, &m, &d);
    return snprintf(out, n, "%04lld-%02d-%02d", (long long)y, m, d);
}

static const int64_t unit_per_sec[4] = {1, 1000, 1000000, 1000000000};
static const int unit_digits[4] = {0, 3, 6, 9};

/* days since the epoch + fraction of the day in `unit` */
static int fmt_ts_parts(char *out, size_t n, int64_t days, int64_t in_day, int unit)
{
    int64_t per = unit_per_sec[unit];
    int64_t secs = in_day / per, frac = in_day % per;
    int64_t y;
    int m, d;
    if (days > 100000000 || days < -100000000)
        return snprintf(out, n, "%lld", (long long)days);
    civil(days, &y, &m, &d);
    return snprintf(out, n, "%04lld-%02d-%02dT%02d:%02d:%02d.%0*lldZ", (long long)y, m, d,
                    (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
                    unit_digits[unit], (long long)frac);
}

static int fmt_ts(char *out, size_t n, int64_t v, int unit)
{
    int64_t per_day = unit_per_sec[unit] * 86400;
    int64_t days = floordiv(v, per_day);
    return fmt_ts_parts(out, n, days, v - days * per_day, unit);
}

static int fmt_int96(char *out, size_t n, const uint8_t *p)
{
    uint64_t nanos;
    int32_t jd;
    memcpy(&nanos, p, 8);
    memcpy(&jd, p + 8, 4);
    int64_t days = (int64_t)jd - 2440588;
    const uint64_t nday = 86400000000000ull;
    days += (int64_t)(nanos / nday);
    return fmt_ts_parts(out, n, days, (int64_t)(nanos % nday), 3);
}

static int fmt_time(char *out, size_t n, int64_t v, int unit)
{
    int64_t per = unit_per_sec[unit];
    if (v < 0)
        return snprintf(out, n, "%lld", (long long)v);
    int64_t secs = v / per, frac = v % per;
    return snprintf(out, n, "%02lld:%02d:%02d.%0*lld", (long long)(secs / 3600),
                    (int)(secs / 60 % 60), (int)(secs % 60), unit_digits[unit],
                    (long long)frac);
}

static int fmt_double(char *out, size_t n, double v)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, n, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            break;
    }
    if (!strpbrk(out, ".en"))
        strncat(out, ".0", n - strlen(out) - 1);
    return (int)strlen(out);
}

static int fmt_float(char *out, size_t n, float v)
{
    for (int prec = 6; prec <= 9; prec++) {
        snprintf(out, n, "%.*g", prec, (double)v);
        if ((float)strtod(out, NULL) == v)
            break;
    }
    if (!strpbrk(out, ".en"))
        strncat(out, ".0", n - strlen(out) - 1);
    return (int)strlen(out);
}

static const char *nonfinite(double v)
{
    if (isnan(v))
        return "NaN";
    return v > 0 ? "Infinity" : "-Infinity";
}

static float half_to_float(uint16_t h)
{
    int e = (h >> 10) & 0x1f, f = h & 0x3ff;
    float s = (h & 0x8000) ? -1.0f : 1.0f;
    if (e == 0)
        return s * ldexpf((float)f, -24);
    if (e == 31)
        return f ? NAN : s * INFINITY;
    return s * ldexpf((float)(f | 0x400), e - 25);
}

/* Unscaled big-endian two's complement -> decimal digits with the point at `scale`.
 * Returns the length, or -1 when the value is too wide to render (more than 32 bytes). */
static int fmt_decimal_be(char *out, size_t n, const uint8_t *p, size_t len, int scale)
{
    char digits[128];
    size_t nd = 0;
    bool neg = len > 0 && (p[0] & 0x80);
    if (len > 32)
        return -1;
    uint8_t mag[32];
    for (size_t i = 0; i < len; i++)
        mag[i] = neg ? (uint8_t)~p[i] : p[i];
    if (neg) { /* two's complement magnitude: invert and add one */
        for (size_t i = len; i-- > 0;) {
            if (++mag[i] != 0)
                break;
        }
    }
    size_t start = 0;
    while (start < len && mag[start] == 0)
        start++;
    while (start < len) {
        unsigned rem = 0;
        for (size_t i = start; i < len; i++) {
            unsigned cur = rem * 256 + mag[i];
            mag[i] = (uint8_t)(cur / 10);
            rem = cur % 10;
        }
        digits[nd++] = (char)('0' + rem);
        while (start < len && mag[start] == 0)
            start++;
    }
    while (nd < (size_t)scale + 1)
        digits[nd++] = '0';
    size_t o = 0;
    if (neg && o + 1 < n)
        out[o++] = '-';
    for (size_t i = nd; i-- > 0;) {
        if (o + 2 >= n)
            break;
        out[o++] = digits[i];
        if (i == (size_t)scale && scale > 0)
            out[o++] = '.';
    }
    out[o] = '\0';
    return (int)o;
}

static int fmt_decimal_i64(char *out, size_t n, int64_t v, int scale)
{
    uint8_t be[8];
    for (int i = 0; i < 8; i++)
        be[i] = (uint8_t)((uint64_t)v >> (56 - 8 * i));
    return fmt_decimal_be(out, n, be, 8, scale);
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *base64(const uint8_t *p, size_t len, size_t *out_len)
{
    size_t n = (len + 2) / 3 * 4;
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < len)
            v |= p[i + 2];
        s[o++] = b64[(v >> 18) & 63];
        s[o++] = b64[(v >> 12) & 63];
        s[o++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
        s[o++] = i + 2 < len ? b64[v & 63] : '=';
    }
    s[o] = '\0';
    *out_len = o;
    return s;
}

/* Length of a valid UTF-8 sequence at p (1..4), or 0 when invalid. */
static size_t utf8_seq(const uint8_t *p, size_t len)
{
    uint8_t c = p[0];
    if (c < 0x80)
        return 1;
    size_t n;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0)
        n = 2, cp = c & 0x1f;
    else if ((c & 0xf0) == 0xe0)
        n = 3, cp = c & 0x0f;
    else if ((c & 0xf8) == 0xf0)
        n = 4, cp = c & 0x07;
    else
        return 0;
    if (n > len)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

int pq_json_escape(struct lr_buf *out, const uint8_t *s, size_t len, struct lr_error *err)
{
    static const char hex[] = "0123456789abcdef";
    if (len > (SIZE_MAX - 2) / 6)
        return lr_error_set(err, LR_ELIMIT, "string too long to escape");
    /* worst case: every byte becomes \u00XX or \ufffd (6 bytes) */
    int rc = lr_buf_reserve(out, len * 6 + 2, err);
    if (rc < 0)
        return rc;
    uint8_t *o = out->data + out->len;
    *o++ = '"';
    size_t i = 0;
    while (i < len) {
        size_t run = i;
        /* plain ASCII needs no escaping: copy runs of it, 8 bytes at a time when possible */
        while (len - run >= 8) {
            uint64_t w;
            memcpy(&w, s + run, 8);
            uint64_t hi = w & 0x8080808080808080ull;
            uint64_t ctl = (w - 0x2020202020202020ull) & ~w & 0x8080808080808080ull;
            uint64_t q = w ^ 0x2222222222222222ull, bs = w ^ 0x5c5c5c5c5c5c5c5cull;
            uint64_t zq = (q - 0x0101010101010101ull) & ~q & 0x8080808080808080ull;
            uint64_t zb = (bs - 0x0101010101010101ull) & ~bs & 0x8080808080808080ull;
            if (hi | ctl | zq | zb)
                break;
            run += 8;
        }
        while (run < len && s[run] >= 0x20 && s[run] < 0x80 && s[run] != '"' && s[run] != '\\')
            run++;
        if (run > i) {
            memcpy(o, s + i, run - i);
            o += run - i;
            i = run;
            continue;
        }
        uint8_t c = s[i];
        if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = c;
            i++;
        } else if (c < 0x20) {
            memcpy(o, "\\u00", 4);
            o[4] = (uint8_t)hex[c >> 4];
            o[5] = (uint8_t)hex[c & 15];
            o += 6;
            i++;
        } else {
            size_t q = utf8_seq(s + i, len - i);
            if (q == 0) {
                memcpy(o, "\\ufffd", 6);
                o += 6;
                i++;
            } else {
                memcpy(o, s + i, q);
                o += q;
                i += q;
            }
        }
    }
    *o++ = '"';
    out->len = (size_t)(o - out->data);
    out->data[out->len] = '\0';
    return 0;
}

/* Whole-string UTF-8 check with an ASCII fast path (8 bytes at a time). */
static bool utf8_valid(const uint8_t *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (len - i >= 8) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (!(w & 0x8080808080808080ull)) {
                i += 8;
                continue;
            }
        }
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t q = utf8_seq(p + i, len - i);
        if (q == 0)
            return false;
        i += q;
    }
    return true;
}

int pq_utf8_append(struct lr_buf *out, const uint8_t *p, size_t len, struct lr_error *err)
{
    if (utf8_valid(p, len))
        return lr_buf_append(out, p, len, err);
    for (size_t i = 0; i < len;) {
        size_t q = utf8_seq(p + i, len - i);
        int rc = q ? lr_buf_append(out, p + i, q, err)
                   : lr_buf_append(out, "\xef\xbf\xbd", 3, err);
        if (rc < 0)
            return rc;
        i += q ? q : 1;
    }
    return 0;
}

static json_t *string_json(const uint8_t *p, size_t len)
{
    if (utf8_valid(p, len))
        return json_stringn_nocheck((const char *)p, len);
    /* invalid UTF-8: replace the bad bytes with U+FFFD */
    struct lr_buf b = LR_BUF_INIT;
    json_t *j = NULL;
    if (pq_utf8_append(&b, p, len, NULL) >= 0)
        j = json_stringn_nocheck(b.data ? (const char *)b.data : "", b.len);
    lr_buf_free(&b);
    return j;
}

json_t *lr_parquet_string_json(const uint8_t *p, size_t len)
{
    return string_json(p, len);
}

static int64_t ld_i64(const uint8_t *p)
{
    int64_t v;
    memcpy(&v, p, 8);
    return v;
}

static int32_t ld_i32(const uint8_t *p)
{
    int32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* Render the value bytes (fixed: `len` == width; BYTE_ARRAY: the bytes) into `tmp` as text
 * when the kind is scalar-textual. Returns the kind of result: 'n' number text, 's' string
 * text, 'b' raw bytes to escape/base64, 'x' failure. */
static char render(const struct pq_vinfo *vi, int physical, const uint8_t *p, size_t len,
                   char *tmp, size_t tn)
{
    switch (vi->kind) {
    case PQ_V_BOOL:
        snprintf(tmp, tn, "%s", p[0] ? "true" : "false");
        return 'n';
    case PQ_V_INT32:
        snprintf(tmp, tn, "%d", ld_i32(p));
        return 'n';
    case PQ_V_UINT32:
        snprintf(tmp, tn, "%u", (uint32_t)ld_i32(p));
        return 'n';
    case PQ_V_INT64:
        snprintf(tmp, tn, "%lld", (long long)ld_i64(p));
        return 'n';
    case PQ_V_UINT64:
        snprintf(tmp, tn, "%llu", (unsigned long long)(uint64_t)ld_i64(p));
        return 'n';
    case PQ_V_FLOAT: {
        float f;
        memcpy(&f, p, 4);
        if (!isfinite(f)) {
            snprintf(tmp, tn, "%s", nonfinite(f));
            return 's';
        }
        fmt_float(tmp, tn, f);
        return 'n';
    }
    case PQ_V_DOUBLE: {
        double d;
        memcpy(&d, p, 8);
        if (!isfinite(d)) {
            snprintf(tmp, tn, "%s", nonfinite(d));
            return 's';
        }
        fmt_double(tmp, tn, d);
        return 'n';
    }
    case PQ_V_FLOAT16: {
        uint16_t h = (uint16_t)(p[0] | p[1] << 8);
        float f = half_to_float(h);
        if (!isfinite(f)) {
            snprintf(tmp, tn, "%s", nonfinite(f));
            return 's';
        }
        fmt_float(tmp, tn, f);
        return 'n';
    }
    case PQ_V_DATE:
        fmt_date(tmp, tn, ld_i32(p));
        return 's';
    case PQ_V_TIMESTAMP:
        fmt_ts(tmp, tn, ld_i64(p), vi->unit);
        return 's';
    case PQ_V_INT96:
        fmt_int96(tmp, tn, p);
        return 's';
    case PQ_V_TIME:
        fmt_time(tmp, tn, physical == LR_PQ_INT32 ? ld_i32(p) : ld_i64(p), vi->unit);
        return 's';
    case PQ_V_DECIMAL:
        if (physical == LR_PQ_INT32)
            fmt_decimal_i64(tmp, tn, ld_i32(p), vi->scale);
        else if (physical == LR_PQ_INT64)
            fmt_decimal_i64(tmp, tn, ld_i64(p), vi->scale);
        else if (len == 0)
            snprintf(tmp, tn, "0");
        else if (fmt_decimal_be(tmp, tn, p, len, vi->scale) < 0)
            return 'b';
        return 'n';
    case PQ_V_UUID:
        snprintf(tmp, tn,
                 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", p[0],
                 p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12],
                 p[13], p[14], p[15]);
        return 's';
    default:
        return 'b';
    }
}

static void value_bytes(const struct pq_col *c, size_t v, const uint8_t **p, size_t *len)
{
    if (c->width) {
        *p = c->fixed + v * c->width;
        *len = c->width;
    } else {
        *p = c->ba[v].p;
        *len = c->ba[v].len;
    }
}

json_t *pq_value_json(const struct pq_vinfo *vi, const struct pq_col *c, size_t v)
{
    const uint8_t *p;
    size_t len;
    value_bytes(c, v, &p, &len);
    switch (vi->kind) {
    case PQ_V_BOOL:
        return json_boolean(p[0]);
    case PQ_V_INT32:
        return json_integer(ld_i32(p));
    case PQ_V_UINT32:
        return json_integer((uint32_t)ld_i32(p));
    case PQ_V_INT64:
        return json_integer(ld_i64(p));
    case PQ_V_UINT64: {
        uint64_t u = (uint64_t)ld_i64(p);
        return u <= INT64_MAX ? json_integer((json_int_t)u) : json_real((double)u);
    }
    case PQ_V_FLOAT: {
        float f;
        memcpy(&f, p, 4);
        return isfinite(f) ? json_real(f) : json_string(nonfinite(f));
    }
    case PQ_V_DOUBLE: {
        double d;
        memcpy(&d, p, 8);
        return isfinite(d) ? json_real(d) : json_string(nonfinite(d));
    }
    case PQ_V_STRING:
        return string_json(p, len);
    case PQ_V_BINARY: {
        size_t bl;
        char *s = base64(p, len, &bl);
        if (!s)
            return NULL;
        json_t *j = json_stringn(s, bl);
        free(s);
        return j;
    }
    default:
        break;
    }
    char tmp[160];
    char k = render(vi, c->leaf->type, p, len, tmp, sizeof tmp);
    if (k == 's')
        return json_string(tmp);
    if (k == 'n') {
        if (vi->kind == PQ_V_DECIMAL && vi->scale == 0) {
            int64_t iv;
            if (lr_parse_int64(tmp, &iv))
                return json_integer(iv);
        }
        return json_real(strtod(tmp, NULL));
    }
    size_t bl;
    char *s = base64(p, len, &bl);
    if (!s)
        return NULL;
    json_t *j = json_stringn(s, bl);
    free(s);
    return j;
}

static int bytes_text(struct lr_buf *out, const struct pq_vinfo *vi, int physical,
                      const uint8_t *p, size_t len, bool as_key, struct lr_error *err)
{
    if (vi->kind == PQ_V_STRING)
        return pq_json_escape(out, p, len, err);
    char tmp[160];
    char k = vi->kind == PQ_V_BINARY ? 'b' : render(vi, physical, p, len, tmp, sizeof tmp);
    if (k == 'b') {
        size_t bl;
        char *s = base64(p, len, &bl);
        if (!s)
            return lr_error_set(err, LR_ENOMEM, "out of memory");
        int rc = pq_json_escape(out, (const uint8_t *)s, bl, err);
        free(s);
        return rc;
    }
    if (k == 's' || as_key)
        return pq_json_escape(out, (const uint8_t *)tmp, strlen(tmp), err);
    return lr_buf_append_str(out, tmp, err);
}

int pq_value_text(struct lr_buf *out, const struct pq_vinfo *vi, const struct pq_col *c,
                  size_t v, bool as_key, struct lr_error *err)
{
    const uint8_t *p;
    size_t len;
    value_bytes(c, v, &p, &len);
    return bytes_text(out, vi, c->leaf->type, p, len, as_key, err);
}

int pq_value_text_raw(struct lr_buf *out, const struct pq_vinfo *vi, const uint8_t *p,
                      size_t len, int physical, struct lr_error *err)
{
    static const size_t widths[8] = {1, 4, 8, 12, 4, 8, 0, 0};
    if (physical >= 0 && physical < 6 && len != widths[physical])
        return lr_buf_printf(out, err, "<%zu bytes>", len);
    if (vi->kind == PQ_V_UUID && len != 16)
        return lr_buf_printf(out, err, "<%zu bytes>", len);
    if (vi->kind == PQ_V_FLOAT16 && len != 2)
        return lr_buf_printf(out, err, "<%zu bytes>", len);
    return bytes_text(out, vi, physical, p, len, false, err);
}
