/* write_file.c - the file around the chunks: "PAR1", closing row groups (one chunk per leaf,
 * in schema order), and the footer (FileMetaData: schema, row groups, statistics,
 * key/value metadata, created_by, column_orders), its length and the closing magic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/version.h"
#include "parquet/thrift_write.h"
#include "parquet/write_internal.h"

enum { ENC_PLAIN = 0, ENC_RLE = 3, ENC_RLE_DICTIONARY = 8 };

static int start_file(struct lr_parquet_writer *w, struct lr_error *err)
{
    if (w->file.len)
        return 0;
    return lr_buf_append(&w->file, "PAR1", 4, err);
}

int w_flush_row_group(struct lr_parquet_writer *w, struct lr_error *err)
{
    if (w->group_rows == 0)
        return 0;
    int rc = start_file(w, err);
    if (rc < 0)
        return rc;
    if (w->nrgs == w->rgs_cap) {
        size_t cap = w->rgs_cap ? w->rgs_cap * 2 : 8;
        struct wrowgroup *p = realloc(w->rgs, cap * sizeof *p);
        if (!p)
            return lr_error_set(err, LR_ENOMEM, "out of memory closing a row group");
        w->rgs = p;
        w->rgs_cap = cap;
    }
    struct wrowgroup *g = &w->rgs[w->nrgs];
    memset(g, 0, sizeof *g);
    g->chunks = calloc(w->ncols, sizeof *g->chunks);
    if (!g->chunks)
        return lr_error_set(err, LR_ENOMEM, "out of memory closing a row group");
    w->nrgs++;
    g->num_rows = w->group_rows;
    g->file_offset = (int64_t)w->file.len;
    for (size_t i = 0; i < w->ncols; i++) {
        rc = w_chunk_write(w, &w->cols[i], &g->chunks[i], err);
        if (rc < 0) {
            w->is_broken = true;
            return lr_error_context(err, "row group %zu", w->nrgs - 1);
        }
        g->total_byte_size += g->chunks[i].total_uncompressed;
        g->total_compressed += g->chunks[i].total_compressed;
        w_col_reset(&w->cols[i], w->opts.is_dictionary_off);
    }
    w->group_rows = 0;
    w->buffered = 0;
    return 0;
}

static void put_logical_and_converted(struct lr_tw *tw, const struct wnode *n)
{
    switch (n->type) {
    case LR_PQW_STRING:
        lr_tw_field_i32(tw, 6, 0); /* UTF8 */
        lr_tw_field_struct(tw, 10);
        lr_tw_field_struct(tw, 1); /* STRING */
        lr_tw_struct_end(tw);
        lr_tw_struct_end(tw);
        break;
    case LR_PQW_DATE:
        lr_tw_field_i32(tw, 6, 6); /* DATE */
        lr_tw_field_struct(tw, 10);
        lr_tw_field_struct(tw, 6);
        lr_tw_struct_end(tw);
        lr_tw_struct_end(tw);
        break;
    case LR_PQW_TIMESTAMP:
        lr_tw_field_i32(tw, 6, 10); /* TIMESTAMP_MICROS */
        lr_tw_field_struct(tw, 10);
        lr_tw_field_struct(tw, 8);  /* TIMESTAMP */
        lr_tw_field_bool(tw, 1, true);
        lr_tw_field_struct(tw, 2);  /* unit */
        lr_tw_field_struct(tw, 2);  /* MICROS */
        lr_tw_struct_end(tw);
        lr_tw_struct_end(tw);
        lr_tw_struct_end(tw);
        lr_tw_struct_end(tw);
        break;
    case LR_PQW_MAP:
        lr_tw_field_i32(tw, 6, 1); /* MAP */
        lr_tw_field_struct(tw, 10);
        lr_tw_field_struct(tw, 2);
        lr_tw_struct_end(tw);
        lr_tw_struct_end(tw);
        break;
    case LR_PQW_LIST:
        lr_tw_field_i32(tw, 6, 3); /* LIST */
        lr_tw_field_struct(tw, 10);
        lr_tw_field_struct(tw, 3);
        lr_tw_struct_end(tw);
        lr_tw_struct_end(tw);
        break;
    default:
        break;
    }
}

static int physical_type(enum lr_parquet_wtype t)
{
    switch (t) {
    case LR_PQW_BOOLEAN: return 0;
    case LR_PQW_INT32:
    case LR_PQW_DATE: return 1;
    case LR_PQW_INT64:
    case LR_PQW_TIMESTAMP: return 2;
    case LR_PQW_DOUBLE: return 5;
    case LR_PQW_STRING: return 6;
    default: return -1;
    }
}

/* Schema elements in depth-first pre-order. */
static void put_schema_node(struct lr_tw *tw, const struct lr_parquet_writer *w, int id)
{
    const struct wnode *n = &w->nodes[id];
    lr_tw_elem_struct(tw);
    if (n->leaf >= 0)
        lr_tw_field_i32(tw, 1, physical_type(n->type));
    if (id > 0)
        lr_tw_field_i32(tw, 3, (int32_t)n->rep);
    lr_tw_field_string(tw, 4, n->name);
    if (n->leaf < 0)
        lr_tw_field_i32(tw, 5, (int32_t)n->nchildren);
    put_logical_and_converted(tw, n);
    lr_tw_struct_end(tw);
    for (size_t i = 0; i < n->nchildren; i++)
        put_schema_node(tw, w, n->children[i]);
}

static void put_statistics(struct lr_tw *tw, const struct wcol *c, const struct wchunk *k)
{
    lr_tw_field_struct(tw, 12);
    /* the deprecated signed-order min/max are right for every type but strings */
    bool has_old = k->has_minmax && c->type != LR_PQW_STRING;
    if (has_old) {
        lr_tw_field_binary(tw, 1, k->max, k->max_len);
        lr_tw_field_binary(tw, 2, k->min, k->min_len);
    }
    lr_tw_field_i64(tw, 3, k->null_count);
    if (k->has_minmax) {
        lr_tw_field_binary(tw, 5, k->max, k->max_len);
        lr_tw_field_binary(tw, 6, k->min, k->min_len);
        lr_tw_field_bool(tw, 7, true);
        lr_tw_field_bool(tw, 8, true);
    }
    lr_tw_struct_end(tw);
}

static void put_column_chunk(struct lr_tw *tw, const struct lr_parquet_writer *w,
                             const struct wcol *c, const struct wchunk *k)
{
    bool has_dict = k->dict_page_offset >= 0;
    lr_tw_elem_struct(tw);
    lr_tw_field_i64(tw, 2, 0);
    lr_tw_field_struct(tw, 3);
    lr_tw_field_i32(tw, 1, physical_type(c->type));
    lr_tw_field_list(tw, 2, LR_TW_I32, 1 + (k->has_level_pages ? 1 : 0) + (has_dict ? 1 : 0));
    lr_tw_elem_i32(tw, ENC_PLAIN);
    if (k->has_level_pages)
        lr_tw_elem_i32(tw, ENC_RLE);
    if (has_dict)
        lr_tw_elem_i32(tw, ENC_RLE_DICTIONARY);
    lr_tw_field_list(tw, 3, LR_TW_BINARY, c->path_len);
    for (size_t i = 0; i < c->path_len; i++)
        lr_tw_elem_string(tw, c->path[i]);
    lr_tw_field_i32(tw, 4, w_codec_id(w->opts.codec));
    lr_tw_field_i64(tw, 5, k->num_values);
    lr_tw_field_i64(tw, 6, k->total_uncompressed);
    lr_tw_field_i64(tw, 7, k->total_compressed);
    lr_tw_field_i64(tw, 9, k->data_page_offset);
    if (has_dict)
        lr_tw_field_i64(tw, 11, k->dict_page_offset);
    if (!w->opts.is_statistics_off)
        put_statistics(tw, c, k);
    /* encoding_stats: tells parquet-java exactly which pages use the dictionary */
    lr_tw_field_list(tw, 13, LR_TW_STRUCT, has_dict ? 2 : 1);
    if (has_dict) {
        lr_tw_elem_struct(tw);
        lr_tw_field_i32(tw, 1, 2); /* DICTIONARY_PAGE */
        lr_tw_field_i32(tw, 2, ENC_PLAIN);
        lr_tw_field_i32(tw, 3, 1);
        lr_tw_struct_end(tw);
    }
    lr_tw_elem_struct(tw);
    lr_tw_field_i32(tw, 1, 0); /* DATA_PAGE */
    lr_tw_field_i32(tw, 2, has_dict ? ENC_RLE_DICTIONARY : ENC_PLAIN);
    lr_tw_field_i32(tw, 3, k->data_pages);
    lr_tw_struct_end(tw);
    lr_tw_struct_end(tw); /* ColumnMetaData */
    lr_tw_struct_end(tw); /* ColumnChunk */
}

static int put_footer(struct lr_parquet_writer *w, struct lr_buf *out, struct lr_error *err)
{
    struct lr_tw tw;
    lr_tw_init(&tw, out, err);
    lr_tw_field_i32(&tw, 1, 1);
    lr_tw_field_list(&tw, 2, LR_TW_STRUCT, w->nnodes);
    put_schema_node(&tw, w, 0);
    lr_tw_field_i64(&tw, 3, w->total_rows);
    lr_tw_field_list(&tw, 4, LR_TW_STRUCT, w->nrgs);
    for (size_t g = 0; g < w->nrgs; g++) {
        const struct wrowgroup *rg = &w->rgs[g];
        lr_tw_elem_struct(&tw);
        lr_tw_field_list(&tw, 1, LR_TW_STRUCT, w->ncols);
        for (size_t i = 0; i < w->ncols; i++)
            put_column_chunk(&tw, w, &w->cols[i], &rg->chunks[i]);
        lr_tw_field_i64(&tw, 2, rg->total_byte_size);
        lr_tw_field_i64(&tw, 3, rg->num_rows);
        lr_tw_field_i64(&tw, 5, rg->file_offset);
        lr_tw_field_i64(&tw, 6, rg->total_compressed);
        lr_tw_struct_end(&tw);
    }
    if (w->kv_count) {
        lr_tw_field_list(&tw, 5, LR_TW_STRUCT, w->kv_count);
        for (size_t i = 0; i < w->kv_count; i++) {
            lr_tw_elem_struct(&tw);
            lr_tw_field_string(&tw, 1, w->kv[i].key);
            if (w->kv[i].value)
                lr_tw_field_string(&tw, 2, w->kv[i].value);
            lr_tw_struct_end(&tw);
        }
    }
    char created_by[96];
    snprintf(created_by, sizeof created_by, "lakerewind version %s", lr_version());
    lr_tw_field_string(&tw, 6, created_by);
    lr_tw_field_list(&tw, 7, LR_TW_STRUCT, w->ncols);
    for (size_t i = 0; i < w->ncols; i++) {
        lr_tw_elem_struct(&tw);
        lr_tw_field_struct(&tw, 1); /* TYPE_ORDER */
        lr_tw_struct_end(&tw);
        lr_tw_struct_end(&tw);
    }
    return lr_tw_finish(&tw);
}

int lr_parquet_writer_finish(struct lr_parquet_writer *w, struct lr_buf *out,
                             struct lr_error *err)
{
    if (w->is_finished)
        return lr_error_set(err, LR_ESTATE, "the Parquet writer is already finished");
    if (w->is_broken)
        return lr_error_set(err, LR_ESTATE, "the Parquet writer failed earlier: no file");
    if (w->has_pending)
        return lr_error_set(err, LR_ESTATE, "a typed row is still open: end it first");
    int rc = w_freeze(w, err);
    if (rc < 0)
        return rc;
    rc = w_flush_row_group(w, err);
    if (rc < 0)
        return rc;
    rc = start_file(w, err);
    if (rc < 0)
        return rc;
    size_t footer_start = w->file.len;
    rc = put_footer(w, &w->file, err);
    if (rc < 0)
        return lr_error_context(err, "Parquet footer");
    size_t flen = w->file.len - footer_start;
    if (flen > UINT32_MAX)
        return lr_error_set(err, LR_ELIMIT, "Parquet footer of %zu bytes is too large", flen);
    uint8_t tail[8] = {(uint8_t)flen, (uint8_t)(flen >> 8), (uint8_t)(flen >> 16),
                       (uint8_t)(flen >> 24), 'P', 'A', 'R', '1'};
    rc = lr_buf_append(&w->file, tail, 8, err);
    if (rc < 0)
        return rc;
    w->is_finished = true;
    if (out->len == 0 && !out->data && (!out->limit || w->file.len <= out->limit)) {
        size_t len;
        uint8_t *data = lr_buf_take(&w->file, &len);
        out->data = data;
        out->len = len;
        out->cap = len + 1;
        return 0;
    }
    return lr_buf_append(out, w->file.data, w->file.len, err);
}
