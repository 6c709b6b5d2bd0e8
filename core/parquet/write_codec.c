/* write_codec.c - page compression for the writer: SNAPPY (raw block), GZIP (one RFC 1952
 * member), ZSTD (one frame with its content size), LZ4_RAW (one block), or a plain copy. */
#include <limits.h>
#include <lz4.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include "parquet/write_internal.h"

int w_codec_id(enum lr_parquet_wcodec codec)
{
    switch (codec) {
    case LR_PQW_UNCOMPRESSED: return 0;
    case LR_PQW_SNAPPY: return 1;
    case LR_PQW_GZIP: return 2;
    case LR_PQW_ZSTD: return 6;
    case LR_PQW_LZ4_RAW: return 7;
    }
    return -1;
}

static int gzip(const uint8_t *src, size_t n, struct lr_buf *out, struct lr_error *err)
{
    z_stream zs = {0};
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        return lr_error_set(err, LR_ENOMEM, "gzip: cannot start the compressor");
    uLong bound = deflateBound(&zs, (uLong)n) + 32;
    int rc = lr_buf_reserve(out, bound, err);
    if (rc < 0)
        goto done;
    zs.next_in = (Bytef *)(uintptr_t)src;
    zs.avail_in = (uInt)n;
    zs.next_out = out->data;
    zs.avail_out = (uInt)bound;
    int zrc = deflate(&zs, Z_FINISH);
    if (zrc != Z_STREAM_END) {
        rc = lr_error_set(err, LR_EIO, "gzip: compression failed (zlib code %d)", zrc);
        goto done;
    }
    out->len = zs.total_out;
    out->data[out->len] = '\0';
done:
    deflateEnd(&zs);
    return rc;
}

void w_codec_free(struct lr_parquet_writer *w)
{
    ZSTD_freeCCtx(w->zctx);
    w->zctx = NULL;
}

int w_compress(struct lr_parquet_writer *w, const uint8_t *src, size_t n, struct lr_buf *out,
               struct lr_error *err)
{
    enum lr_parquet_wcodec codec = w->opts.codec;
    lr_buf_reset(out);
    if (n > INT_MAX)
        return lr_error_set(err, LR_ELIMIT, "page of %zu bytes is too large to compress", n);
    switch (codec) {
    case LR_PQW_UNCOMPRESSED:
        return lr_buf_append(out, src, n, err);
    case LR_PQW_SNAPPY: {
        size_t bound = snappy_max_compressed_length(n);
        int rc = lr_buf_reserve(out, bound, err);
        if (rc < 0)
            return rc;
        size_t len = bound;
        if (snappy_compress((const char *)src, n, (char *)out->data, &len) != SNAPPY_OK)
            return lr_error_set(err, LR_EIO, "snappy: compression failed");
        out->len = len;
        out->data[len] = '\0';
        return 0;
    }
    case LR_PQW_GZIP:
        return gzip(src, n, out, err);
    case LR_PQW_ZSTD: {
        size_t bound = ZSTD_compressBound(n);
        int rc = lr_buf_reserve(out, bound, err);
        if (rc < 0)
            return rc;
        if (!w->zctx) {
            w->zctx = ZSTD_createCCtx();
            if (!w->zctx)
                return lr_error_set(err, LR_ENOMEM, "zstd: cannot create a compression context");
        }
        size_t len = ZSTD_compressCCtx(w->zctx, out->data, bound, src, n,
                                       w->opts.zstd_level ? w->opts.zstd_level : 3);
        if (ZSTD_isError(len))
            return lr_error_set(err, LR_EIO, "zstd: %s", ZSTD_getErrorName(len));
        out->len = len;
        out->data[len] = '\0';
        return 0;
    }
    case LR_PQW_LZ4_RAW: {
        int bound = LZ4_compressBound((int)n);
        int rc = lr_buf_reserve(out, (size_t)bound, err);
        if (rc < 0)
            return rc;
        int len = LZ4_compress_default((const char *)src, (char *)out->data, (int)n, bound);
        if (len <= 0 && n > 0)
            return lr_error_set(err, LR_EIO, "lz4: compression failed");
        out->len = (size_t)len;
        out->data[out->len] = '\0';
        return 0;
    }
    }
    return lr_error_set(err, LR_EINVAL, "unknown codec %d", (int)codec);
}
