/* rle.c - the RLE / bit-packed hybrid encoding (levels, dictionary indices, RLE booleans) and
 * LSB-first bit unpacking (also used by DELTA_BINARY_PACKED). Every run is checked against
 * the bytes left and the values still wanted; values above `max` are corruption. */
#include <string.h>

#include "parquet/pq.h"

int pq_bit_width(uint32_t max)
{
    int w = 0;
    while (max) {
        w++;
        max >>= 1;
    }
    return w;
}

void pq_unpack64(const uint8_t *p, int width, uint64_t *out, size_t n)
{
    if (width == 0) {
        memset(out, 0, n * sizeof *out);
        return;
    }
    uint64_t mask = width == 64 ? ~(uint64_t)0 : (((uint64_t)1 << width) - 1);
    size_t bit = 0;
    for (size_t i = 0; i < n; i++) {
        size_t byte = bit >> 3;
        unsigned shift = bit & 7;
        /* gather up to 72 bits: width + shift <= 71 */
        uint64_t v = 0;
        unsigned need = (unsigned)width + shift;
        unsigned nbytes = (need + 7) / 8;
        for (unsigned k = 0; k < nbytes && k < 8; k++)
            v |= (uint64_t)p[byte + k] << (8 * k);
        v >>= shift;
        if (nbytes == 9)
            v |= (uint64_t)p[byte + 8] << (64 - shift);
        out[i] = v & mask;
        bit += (size_t)width;
    }
}

static int rle_fail(struct lr_error *err, const char *cause, size_t off)
{
    return lr_error_set(err, LR_ECORRUPT, "RLE/bit-packed data: %s (at byte %zu of the run data)",
                        cause, off);
}

/* One decoder for both output widths. */
static int decode(const uint8_t *p, size_t len, int width, uint8_t *out8, uint32_t *out32,
                  size_t n, uint32_t max, struct lr_error *err)
{
    if (width < 0 || width > 32)
        return rle_fail(err, "bit width above 32", 0);
    size_t pos = 0, got = 0;
    size_t vbytes = ((size_t)width + 7) / 8;
    while (got < n) {
        /* run header: varint */
        uint64_t h = 0;
        int i = 0;
        for (;; i++) {
            if (i >= 5)
                return rle_fail(err, "run header varint too long", pos);
            if (pos >= len)
                return rle_fail(err, "data ends before all values were read", pos);
            uint8_t b = p[pos++];
            h |= (uint64_t)(b & 0x7f) << (7 * i);
            if (!(b & 0x80))
                break;
        }
        if (h & 1) {
            uint64_t groups = h >> 1;
            if (groups == 0)
                return rle_fail(err, "empty bit-packed run", pos);
            uint64_t count = groups * 8;
            uint64_t bytes = groups * (uint64_t)width;
            size_t avail = len - pos;
            /* the last run may be cut short: only the bytes for the wanted values must exist */
            size_t want = n - got;
            size_t take = count < want ? (size_t)count : want;
            size_t need = (take * (size_t)width + 7) / 8;
            if (need > avail)
                return rle_fail(err, "bit-packed run runs past the end", pos);
            if (width == 0) {
                for (size_t k = 0; k < take; k++) {
                    if (out8)
                        out8[got + k] = 0;
                    else
                        out32[got + k] = 0;
                }
            } else {
                size_t bit = 0;
                uint32_t mask = width == 32 ? 0xffffffffu : ((1u << width) - 1);
                for (size_t k = 0; k < take; k++) {
                    size_t byte = pos + (bit >> 3);
                    unsigned shift = bit & 7;
                    uint64_t v = 0;
                    unsigned nb = ((unsigned)width + shift + 7) / 8;
                    for (unsigned q = 0; q < nb; q++)
                        v |= (uint64_t)p[byte + q] << (8 * q);
                    uint32_t val = (uint32_t)(v >> shift) & mask;
                    if (val > max)
                        return rle_fail(err, "value above the maximum", byte);
                    if (out8)
                        out8[got + k] = (uint8_t)val;
                    else
                        out32[got + k] = val;
                    bit += (size_t)width;
                }
            }
            got += take;
            pos += bytes <= avail ? (size_t)bytes : avail;
        } else {
            uint64_t count = h >> 1;
            if (count == 0)
                return rle_fail(err, "empty RLE run", pos);
            if (vbytes > len - pos)
                return rle_fail(err, "RLE run value runs past the end", pos);
            uint32_t val = 0;
            for (size_t k = 0; k < vbytes; k++)
                val |= (uint32_t)p[pos + k] << (8 * k);
            pos += vbytes;
            if (val > max)
                return rle_fail(err, "value above the maximum", pos);
            size_t want = n - got;
            size_t take = count < want ? (size_t)count : want;
            if (out8) {
                memset(out8 + got, (int)val, take);
            } else {
                for (size_t k = 0; k < take; k++)
                    out32[got + k] = val;
            }
            got += take;
        }
    }
    return 0;
}

int pq_rle_decode8(const uint8_t *p, size_t len, int width, uint8_t *out, size_t n, uint32_t max,
                   struct lr_error *err)
{
    if (max > 255)
        return rle_fail(err, "level maximum above 255", 0);
    return decode(p, len, width, out, NULL, n, max, err);
}

int pq_rle_decode32(const uint8_t *p, size_t len, int width, uint32_t *out, size_t n,
                    uint32_t max, struct lr_error *err)
{
    return decode(p, len, width, NULL, out, n, max, err);
}
