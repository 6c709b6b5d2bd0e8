/* names.c - display names of Parquet enums, annotation strings and statistics rendering for
 * `inspect parquet` and error messages. No decoding of data happens here. */
#include <stdio.h>
#include <string.h>

#include "parquet/pq.h"

const char *lr_parquet_type_name(int type)
{
    static const char *const n[] = {"BOOLEAN", "INT32",  "INT64",      "INT96",
                                    "FLOAT",   "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};
    return type >= 0 && type < 8 ? n[type] : "?";
}

const char *lr_parquet_codec_name(int codec)
{
    static const char *const n[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO",
                                    "BROTLI",       "LZ4",    "ZSTD", "LZ4_RAW"};
    return codec >= 0 && codec < 8 ? n[codec] : "?";
}

const char *lr_parquet_encoding_name(int e)
{
    static const char *const n[] = {"PLAIN",
                                    "GROUP_VAR_INT",
                                    "PLAIN_DICTIONARY",
                                    "RLE",
                                    "BIT_PACKED",
                                    "DELTA_BINARY_PACKED",
                                    "DELTA_LENGTH_BYTE_ARRAY",
                                    "DELTA_BYTE_ARRAY",
                                    "RLE_DICTIONARY",
                                    "BYTE_STREAM_SPLIT",
                                    "ALP"};
    return e >= 0 && e < 11 ? n[e] : "?";
}

const char *lr_parquet_converted_name(int ct)
{
    static const char *const n[] = {
        "UTF8",      "MAP",          "MAP_KEY_VALUE",    "LIST",           "ENUM",
        "DECIMAL",   "DATE",         "TIME_MILLIS",      "TIME_MICROS",    "TIMESTAMP_MILLIS",
        "TIMESTAMP_MICROS", "UINT_8", "UINT_16",         "UINT_32",        "UINT_64",
        "INT_8",     "INT_16",       "INT_32",           "INT_64",         "JSON",
        "BSON",      "INTERVAL"};
    return ct >= 0 && ct < 22 ? n[ct] : "?";
}

const char *lr_parquet_repetition_name(int r)
{
    static const char *const n[] = {"REQUIRED", "OPTIONAL", "REPEATED"};
    return r >= 0 && r < 3 ? n[r] : "?";
}

static const char *unit_name(int u)
{
    return u == 1 ? "MILLIS" : u == 2 ? "MICROS" : u == 3 ? "NANOS" : "?";
}

void lr_parquet_annotation(const struct lr_parquet_node *n, char *out, size_t out_size)
{
    out[0] = '\0';
    switch (n->logical) {
    case LR_PQ_LT_NONE:
        if (n->converted_type == 5)
            snprintf(out, out_size, "DECIMAL(%d,%d)", n->precision, n->scale);
        else if (n->converted_type >= 0)
            snprintf(out, out_size, "%s", lr_parquet_converted_name(n->converted_type));
        return;
    case LR_PQ_LT_DECIMAL:
        snprintf(out, out_size, "DECIMAL(%d,%d)", n->lt_precision, n->lt_scale);
        return;
    case LR_PQ_LT_TIME:
    case LR_PQ_LT_TIMESTAMP:
        snprintf(out, out_size, "%s(%s,%s)", n->logical == LR_PQ_LT_TIME ? "TIME" : "TIMESTAMP",
                 unit_name(n->lt_unit), n->lt_utc ? "utc" : "local");
        return;
    case LR_PQ_LT_INTEGER:
        snprintf(out, out_size, "INTEGER(%d,%s)", n->lt_bit_width,
                 n->lt_signed ? "signed" : "unsigned");
        return;
    default: {
        static const char *const lt[] = {"",     "STRING", "MAP",     "LIST",  "ENUM",
                                         "",     "DATE",   "",        "",      "",
                                         "",     "UNKNOWN", "JSON",   "BSON",  "UUID",
                                         "FLOAT16"};
        if (n->logical > 0 && n->logical < 16)
            snprintf(out, out_size, "%s", lt[n->logical]);
        else
            snprintf(out, out_size, "(unknown logical type)");
        return;
    }
    }
}

int lr_parquet_format_stat(struct lr_buf *out, const struct lr_parquet_node *leaf,
                           struct lr_parquet_bytes value, struct lr_error *err)
{
    struct pq_vinfo vi;
    pq_vinfo_of(leaf, &vi);
    if (leaf->type == LR_PQ_FIXED_LEN_BYTE_ARRAY && value.len != (size_t)leaf->type_length &&
        vi.kind != PQ_V_STRING && vi.kind != PQ_V_BINARY)
        return lr_buf_printf(out, err, "<%zu bytes>", value.len);
    return pq_value_text_raw(out, &vi, value.data, value.len, leaf->type, err);
}
