/* codec.c - page decompression: UNCOMPRESSED, SNAPPY (raw blocks), GZIP (one or more
 * members, zlib headers accepted), ZSTD (one or more frames), LZ4_RAW, and the deprecated
 * Hadoop-framed LZ4 (with a bare-block fallback). The output size always comes from the page
 * header and must be produced exactly; nothing here allocates more than that. */
#include <lz4.h>
#include <snappy-c.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "parquet/pq.h"

static int bad(struct lr_error *err, const char *codec, const char *cause)
{
    return lr_error_set(err, LR_ECORRUPT, "%s page: %s", codec, cause);
}

static int do_snappy(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len,
                     struct lr_error *err)
{
    size_t ulen = 0;
    if (snappy_uncompressed_length((const char *)in, in_len, &ulen) != SNAPPY_OK)
        return bad(err, "SNAPPY", "invalid block header");
    if (ulen != out_len)
        return lr_error_set(err, LR_ECORRUPT,
                            "SNAPPY page: block holds %zu bytes, the page header says %zu", ulen,
                            out_len);
    size_t got = out_len;
    if (out_len == 0)
        return 0;
    if (snappy_uncompress((const char *)in, in_len, (char *)out, &got) != SNAPPY_OK ||
        got != out_len)
        return bad(err, "SNAPPY", "corrupt block");
    return 0;
}

static int do_gzip(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len,
                   struct lr_error *err)
{
    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit2(&s, 15 + 32) != Z_OK)
        return lr_error_set(err, LR_ENOMEM, "GZIP page: cannot start zlib");
    int rc = 0;
    s.next_in = (Bytef *)in;
    s.avail_in = (uInt)in_len;
    s.next_out = out;
    s.avail_out = (uInt)out_len;
    if (in_len > UINT32_MAX || out_len > UINT32_MAX) {
        rc = bad(err, "GZIP", "page too large");
        goto done;
    }
    for (;;) {
        int z = inflate(&s, Z_FINISH);
        if (z == Z_STREAM_END) {
            /* another member may follow */
            if (s.avail_in == 0)
                break;
            if (inflateReset(&s) != Z_OK) {
                rc = bad(err, "GZIP", "cannot continue after a member");
                goto done;
            }
            continue;
        }
        if (z == Z_BUF_ERROR && s.avail_out == 0) {
            rc = bad(err, "GZIP", "data decompresses to more than the page header says");
            goto done;
        }
        if (z != Z_OK) {
            rc = lr_error_set(err, LR_ECORRUPT, "GZIP page: %s",
                              s.msg ? s.msg : "corrupt or truncated data");
            goto done;
        }
    }
    if (s.avail_out != 0)
        rc = bad(err, "GZIP", "data decompresses to fewer bytes than the page header says");
done:
    inflateEnd(&s);
    return rc;
}

static int do_zstd(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len,
                   struct lr_error *err)
{
    size_t got = ZSTD_decompress(out, out_len, in, in_len);
    if (ZSTD_isError(got))
        return lr_error_set(err, LR_ECORRUPT, "ZSTD page: %s", ZSTD_getErrorName(got));
    if (got != out_len)
        return bad(err, "ZSTD", "data decompresses to fewer bytes than the page header says");
    return 0;
}

static int do_lz4_raw(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len,
                      struct lr_error *err)
{
    if (in_len > INT32_MAX || out_len > INT32_MAX)
        return bad(err, "LZ4", "page too large");
    if (out_len == 0 && in_len <= 1)
        return 0;
    int got = LZ4_decompress_safe((const char *)in, (char *)out, (int)in_len, (int)out_len);
    if (got < 0 || (size_t)got != out_len)
        return bad(err, "LZ4", "corrupt block or wrong size");
    return 0;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Hadoop framing: [u32 BE raw size][u32 BE compressed size][block] repeated. */
static int try_hadoop_lz4(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len)
{
    size_t ip = 0, op = 0;
    while (ip < in_len) {
        if (in_len - ip < 8)
            return -1;
        uint32_t raw = be32(in + ip), comp = be32(in + ip + 4);
        ip += 8;
        if (comp > in_len - ip || raw > out_len - op || comp > INT32_MAX)
            return -1;
        int got = LZ4_decompress_safe((const char *)in + ip, (char *)out + op, (int)comp,
                                      (int)raw);
        if (got < 0 || (uint32_t)got != raw)
            return -1;
        ip += comp;
        op += raw;
    }
    return op == out_len ? 0 : -1;
}

int pq_decompress(int codec, const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len,
                  struct lr_error *err)
{
    switch (codec) {
    case 0:
        if (in_len != out_len)
            return lr_error_set(err, LR_ECORRUPT,
                                "UNCOMPRESSED page: compressed size %zu differs from "
                                "uncompressed size %zu",
                                in_len, out_len);
        if (out_len)
            memcpy(out, in, out_len);
        return 0;
    case 1:
        return do_snappy(in, in_len, out, out_len, err);
    case 2:
        return do_gzip(in, in_len, out, out_len, err);
    case 6:
        return do_zstd(in, in_len, out, out_len, err);
    case 7:
        return do_lz4_raw(in, in_len, out, out_len, err);
    case 5:
        if (try_hadoop_lz4(in, in_len, out, out_len) == 0)
            return 0;
        return do_lz4_raw(in, in_len, out, out_len, err);
    case 3:
        return lr_error_set(err, LR_EUNSUPPORTED, "LZO compression is not supported");
    case 4:
        return lr_error_set(err, LR_EUNSUPPORTED, "BROTLI compression is not supported");
    default:
        return lr_error_set(err, LR_EUNSUPPORTED, "unknown compression codec %d", codec);
    }
}
