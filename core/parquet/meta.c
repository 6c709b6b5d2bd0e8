/* meta.c - Parquet footer (FileMetaData) and page headers from Thrift compact bytes.
 *
 * Owns: the field-by-field decoding of FileMetaData, SchemaElement, LogicalType, RowGroup,
 * ColumnChunk, ColumnMetaData, Statistics, KeyValue and PageHeader, plus the sanity checks on
 * what they declare (counts, offsets, sizes). The schema tree is built by schema.c. */
#include <stdlib.h>
#include <string.h>

#include "lakerewind/str.h"
#include "parquet/pq.h"

#define TRY(expr)                                                                              \
    do {                                                                                       \
        int rc_ = (expr);                                                                      \
        if (rc_ < 0)                                                                           \
            return rc_;                                                                        \
    } while (0)

static int nomem(struct pq_tc *t)
{
    return lr_error_set(t->err, LR_ENOMEM, "%s: out of memory", t->what);
}

static int str_copy(struct pq_tc *t, int type, char **out)
{
    const uint8_t *p;
    size_t len;
    TRY(pq_tc_binary(t, type, &p, &len));
    char *s = malloc(len + 1);
    if (!s)
        return nomem(t);
    memcpy(s, p, len);
    s[len] = '\0';
    /* names with embedded NULs are cut at the NUL: never treated as C strings beyond it */
    free(*out);
    *out = s;
    return 0;
}

/* A union whose members are empty structs (TimeUnit, ColumnOrder): the member id. */
static int union_member(struct pq_tc *t, int type, int *member)
{
    TRY(pq_tc_enter(t, type));
    int last = 0, id, ft, rc;
    *member = 0;
    while ((rc = pq_tc_field(t, &last, &id, &ft)) > 0) {
        if (*member == 0 && ft == PQ_CT_STRUCT)
            *member = id;
        TRY(pq_tc_skip(t, ft));
    }
    pq_tc_leave(t);
    return rc;
}

static int parse_logical_member(struct pq_tc *t, int id, int ft, struct pq_schema_elem *e)
{
    TRY(pq_tc_enter(t, ft));
    int last = 0, fid, ftt, rc;
    while ((rc = pq_tc_field(t, &last, &fid, &ftt)) > 0) {
        if (id == LR_PQ_LT_DECIMAL && fid == 1) {
            TRY(pq_tc_i32(t, ftt, &e->lt_scale));
        } else if (id == LR_PQ_LT_DECIMAL && fid == 2) {
            TRY(pq_tc_i32(t, ftt, &e->lt_precision));
        } else if ((id == LR_PQ_LT_TIME || id == LR_PQ_LT_TIMESTAMP) && fid == 1) {
            TRY(pq_tc_bool(t, ftt, &e->lt_utc));
        } else if ((id == LR_PQ_LT_TIME || id == LR_PQ_LT_TIMESTAMP) && fid == 2) {
            TRY(union_member(t, ftt, &e->lt_unit));
        } else if (id == LR_PQ_LT_INTEGER && fid == 1) {
            int32_t w;
            TRY(pq_tc_i32(t, ftt, &w));
            e->lt_bit_width = w;
        } else if (id == LR_PQ_LT_INTEGER && fid == 2) {
            TRY(pq_tc_bool(t, ftt, &e->lt_signed));
        } else {
            TRY(pq_tc_skip(t, ftt));
        }
    }
    pq_tc_leave(t);
    return rc;
}

static int parse_logical(struct pq_tc *t, int type, struct pq_schema_elem *e)
{
    TRY(pq_tc_enter(t, type));
    int last = 0, id, ft, rc;
    while ((rc = pq_tc_field(t, &last, &id, &ft)) > 0) {
        if (ft != PQ_CT_STRUCT) {
            TRY(pq_tc_skip(t, ft));
            continue;
        }
        switch (id) {
        case LR_PQ_LT_STRING:
        case LR_PQ_LT_MAP:
        case LR_PQ_LT_LIST:
        case LR_PQ_LT_ENUM:
        case LR_PQ_LT_DECIMAL:
        case LR_PQ_LT_DATE:
        case LR_PQ_LT_TIME:
        case LR_PQ_LT_TIMESTAMP:
        case LR_PQ_LT_INTEGER:
        case LR_PQ_LT_UNKNOWN:
        case LR_PQ_LT_JSON:
        case LR_PQ_LT_BSON:
        case LR_PQ_LT_UUID:
        case LR_PQ_LT_FLOAT16:
            e->logical = id;
            break;
        default:
            e->logical = LR_PQ_LT_OTHER;
            break;
        }
        TRY(parse_logical_member(t, id, ft, e));
    }
    pq_tc_leave(t);
    return rc;
}

static int parse_schema_elem(struct pq_tc *t, struct pq_schema_elem *e)
{
    memset(e, 0, sizeof *e);
    e->type = -1;
    e->repetition = -1;
    e->num_children = -1;
    e->converted_type = -1;
    e->field_id = -1;
    int last = 0, id, ft, rc;
    int32_t v;
    while ((rc = pq_tc_field(t, &last, &id, &ft)) > 0) {
        switch (id) {
        case 1:
            TRY(pq_tc_i32(t, ft, &v));
            if (v < 0 || v > 7)
                return pq_tc_fail(t, "unknown physical type");
            e->type = v;
            break;
        case 2:
            TRY(pq_tc_i32(t, ft, &e->type_length));
            break;
        case 3:
            TRY(pq_tc_i32(t, ft, &v));
            if (v < 0 || v > 2)
                return pq_tc_fail(t, "unknown repetition type");
            e->repetition = v;
            break;
        case 4:
            TRY(str_copy(t, ft, &e->name));
            break;
        case 5:
            TRY(pq_tc_i32(t, ft, &e->num_children));
            break;
        case 6:
            TRY(pq_tc_i32(t, ft, &v));
            e->converted_type = v;
            break;
        case 7:
            TRY(pq_tc_i32(t, ft, &e->scale));
            break;
        case 8:
            TRY(pq_tc_i32(t, ft, &e->precision));
            break;
        case 9:
            TRY(pq_tc_i32(t, ft, &e->field_id));
            break;
        case 10:
            TRY(parse_logical(t, ft, e));
            break;
        default:
            TRY(pq_tc_skip(t, ft));
        }
    }
    if (rc == 0 && !e->name)
        return pq_tc_fail(t, "schema element without a name");
    return rc;
}

static int parse_stats(struct pq_tc *t, struct lr_parquet_stats *s)
{
    int last = 0, id, ft, rc;
    bool b;
    while ((rc = pq_tc_field(t, &last, &id, &ft)) > 0) {
        switch (id) {
        case 1:
            TRY(pq_tc_binary(t, ft, &s->max.data, &s->max.len));
            s->has_max = true;
            break;
        case 2:
            TRY(pq_tc_binary(t, ft, &s->min.data, &s->min.len));
            s->has_min = true;
            break;
        case 3:
            TRY(pq_tc_i64(t, ft, &s->null_count));
            s->has_null_count = true;
            break;
        case 4:
            TRY(pq_tc_i64(t, ft, &s->distinct_count));
            s->has_distinct_count = true;
            break;
        case 5:
            TRY(pq_tc_binary(t, ft, &s->max_value.data, &s->max_value.len));
            s->has_max_value = true;
            break;
        case 6:
            TRY(pq_tc_binary(t, ft, &s->min_value.data, &s->min_value.len));
            s->has_min_value = true;
            break;
        case 7:
            TRY(pq_tc_bool(t, ft, &b));
            s->is_max_exact = b;
            s->has_max_exact = true;
            break;
        case 8:
            TRY(pq_tc_bool(t, ft, &b));
            s->is_min_exact = b;
            s->has_min_exact = true;
            break;
        case 9:
            TRY(pq_tc_i64(t, ft, &s->nan_count));
            s->has_nan_count = true;
            break;
        default:
            TRY(pq_tc_skip(t, ft));
        }
    }
    return rc;
}

static int parse_col_meta(struct pq_tc *t, struct lr_parquet_column_chunk *c, char **path,
                          size_t *path_len)
{
    int last = 0, id, ft, rc, et;
    uint32_t n;
    int32_t v;
    unsigned seen = 0;
    while ((rc = pq_tc_field(t, &last, &id, &ft)) > 0) {
        switch (id) {
        case 1:
            TRY(pq_tc_i32(t, ft, &v));
            c->type = v;
            seen |= 1;
            break;
        case 2: {
            TRY(pq_tc_list(t, ft, &et, &n));
            int32_t *enc = calloc(n ? n : 1, sizeof *enc);
            if (!enc)
                return nomem(t);
            free((void *)c->encodings);
            c->encodings = enc;
            c->num_encodings = 0;
            for (uint32_t i = 0; i < n; i++) {
                TRY(pq_tc_elem_i32(t, et, &enc[i]));
                c->num_encodings++;
            }
            break;
        }
        case 3: {
            /* path_in_schema: joined with '.' into *path for the leaf check */
            TRY(pq_tc_list(t, ft, &et, &n));
            struct lr_buf b = LR_BUF_INIT;
            for (uint32_t i = 0; i < n; i++) {
                const uint8_t *p;
                size_t len;
                int r = pq_tc_binary(t, et, &p, &len);
                if (r >= 0 && i > 0)
                    r = lr_buf_append(&b, ".", 1, t->err);
                if (r >= 0)
                    r = lr_buf_append(&b, p, len, t->err);
                if (r < 0) {
                    lr_buf_free(&b);
                    return r;
                }
            }
            if (lr_buf_reserve(&b, 0, t->err) < 0) {
                lr_buf_free(&b);
                return LR_ENOMEM;
            }
            free(*path);
            *path = (char *)lr_buf_take(&b, path_len);
            seen |= 2;
            break;
        }
        case 4:
            TRY(pq_tc_i32(t, ft, &v));
            c->codec = v;
            seen |= 4;
            break;
        case 5:
            TRY(pq_tc_i64(t, ft, &c->num_values));
            seen |= 8;
            break;
        case 6:
            TRY(pq_tc_i64(t, ft, &c->total_uncompressed_size));
            break;
        case 7:
            TRY(pq_tc_i64(t, ft, &c->total_compressed_size));
            seen |= 16;
            break;
        case 9:
            TRY(pq_tc_i64(t, ft, &c->data_page_offset));
            seen |= 32;
            break;
        case 11:
            TRY(pq_tc_i64(t, ft, &c->dictionary_page_offset));
            if (c->dictionary_page_offset <= 0)
                c->dictionary_page_offset = -1;
            break;
        case 12:
            TRY(pq_tc_enter(t, ft));
            TRY(parse_stats(t, &c->stats));
            pq_tc_leave(t);
            c->has_stats = true;
            break;
        default:
            TRY(pq_tc_skip(t, ft));
        }
    }
    if (rc == 0 && seen != 63)
        return pq_tc_fail(t, "ColumnMetaData lacks a required field");
    return rc;
}

static int parse_column_chunk(struct pq_tc *t, struct lr_parquet_column_chunk *c, char **path,
                              size_t *path_len)
{
    int last = 0, id, ft, rc;
    bool has_meta = false;
    c->dictionary_page_offset = -1;
    while ((rc = pq_tc_field(t, &last, &id, &ft)) > 0) {
        switch (id) {
        case 1: {
            const uint8_t *p;
            size_t len;
            TRY(pq_tc_binary(t, ft, &p, &len));
            return lr_error_set(t->err, LR_EUNSUPPORTED,
                                "%s: column chunk stored in another file (file_path) is not "
                                "supported, at byte offset %llu",
                                t->what, (unsigned long long)pq_tc_offset(t));
        }
        case 3:
            TRY(pq_tc_enter(t, ft));
            TRY(parse_col_meta(t, c, path, path_len));
            pq_tc_leave(t);
            has_meta = true;
            break;
        case 8:
        case 9:
            return lr_error_set(t->err, LR_EUNSUPPORTED,
                                "%s: encrypted columns are not supported (byte offset %llu)",
                                t->what, (unsigned long long)pq_tc_offset(t));
        default:
            TRY(pq_tc_skip(t, ft));
        }
    }
    if (rc == 0 && !has_meta)
        return pq_tc_fail(t, "column chunk without metadata");
    return rc;
}

struct rg_paths {
    char **paths;
    size_t n;
};

static int parse_row_group(struct pq_tc *t, struct lr_parquet_row_group *g, size_t nleaves,
                           const struct lr_parquet_meta *m)
{
    int last = 0, id, ft, rc, et;
    uint32_t n;
    bool has_cols = false, has_rows = false;
    g->total_compressed_size = -1;
    while ((rc = pq_tc_field(t, &last, &id, &ft)) > 0) {
        switch (id) {
        case 1: {
            TRY(pq_tc_list(t, ft, &et, &n));
            if (has_cols)
                return pq_tc_fail(t, "row group lists its columns twice");
            if (n != nleaves)
                return pq_tc_fail(t, "row group column count differs from the schema's leaves");
            if (n && et != PQ_CT_STRUCT)
                return pq_tc_fail(t, "column chunk list of the wrong type");
            g->columns = calloc(n ? n : 1, sizeof *g->columns);
            if (!g->columns)
                return nomem(t);
            has_cols = true;
            for (uint32_t i = 0; i < n; i++) {
                char *path = NULL;
                size_t plen = 0;
                TRY(pq_tc_enter(t, et));
                int r = parse_column_chunk(t, &g->columns[i], &path, &plen);
                if (r >= 0 && (plen != strlen(m->leaves[i]->path) ||
                               memcmp(path, m->leaves[i]->path, plen) != 0))
                    r = pq_tc_fail(t, "column chunk path differs from the schema leaf");
                if (r >= 0 && g->columns[i].type != m->leaves[i]->type)
                    r = pq_tc_fail(t, "column chunk type differs from the schema leaf");
                free(path);
                if (r < 0)
                    return r;
                pq_tc_leave(t);
            }
            break;
        }
        case 2:
            TRY(pq_tc_i64(t, ft, &g->total_byte_size));
            break;
        case 3:
            TRY(pq_tc_i64(t, ft, &g->num_rows));
            has_rows = true;
            break;
        case 6:
            TRY(pq_tc_i64(t, ft, &g->total_compressed_size));
            break;
        default:
            TRY(pq_tc_skip(t, ft));
        }
    }
    if (rc == 0 && (!has_cols || !has_rows))
        return pq_tc_fail(t, "row group lacks columns or num_rows");
    if (rc == 0 && g->num_rows < 0)
        return pq_tc_fail(t, "negative row count");
    return rc;
}

static int parse_kv(struct pq_tc *t, struct lr_parquet_kv *kv)
{
    int last = 0, id, ft, rc;
    while ((rc = pq_tc_field(t, &last, &id, &ft)) > 0) {
        if (id == 1)
            TRY(str_copy(t, ft, &kv->key));
        else if (id == 2)
            TRY(str_copy(t, ft, &kv->value));
        else
            TRY(pq_tc_skip(t, ft));
    }
    if (rc == 0 && !kv->key)
        return pq_tc_fail(t, "key/value metadata without a key");
    return rc;
}

static void free_elems(struct pq_schema_elem *els, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(els[i].name);
    free(els);
}

/* Row groups can only be checked against the leaves once the schema exists; the schema comes
 * first in every writer's output, but field order is free, so remember where they are. */
static int parse_file_meta(struct pq_tc *t, struct lr_parquet_meta *m)
{
    int last = 0, id, ft, rc, et;
    uint32_t n;
    unsigned seen = 0;
    struct pq_tc rg_cursor = {0};
    int rg_type = 0;
    struct pq_schema_elem *els = NULL;
    size_t nels = 0;
    while ((rc = pq_tc_field(t, &last, &id, &ft)) > 0) {
        switch (id) {
        case 1:
            rc = pq_tc_i32(t, ft, &m->version);
            seen |= 1;
            break;
        case 2:
            if (els) {
                rc = pq_tc_fail(t, "schema given twice");
                break;
            }
            rc = pq_tc_list(t, ft, &et, &n);
            if (rc < 0)
                break;
            if (n == 0 || et != PQ_CT_STRUCT) {
                rc = pq_tc_fail(t, "empty or malformed schema list");
                break;
            }
            els = calloc(n, sizeof *els);
            if (!els) {
                rc = nomem(t);
                break;
            }
            for (uint32_t i = 0; i < n && rc >= 0; i++) {
                rc = pq_tc_enter(t, et);
                if (rc >= 0)
                    rc = parse_schema_elem(t, &els[i]);
                nels = i + 1;
                pq_tc_leave(t);
            }
            seen |= 2;
            break;
        case 3:
            rc = pq_tc_i64(t, ft, &m->num_rows);
            seen |= 4;
            break;
        case 4:
            rg_cursor = *t;
            rg_type = ft;
            rc = pq_tc_skip(t, ft);
            seen |= 8;
            break;
        case 5:
            rc = pq_tc_list(t, ft, &et, &n);
            if (rc < 0)
                break;
            if (n && et != PQ_CT_STRUCT) {
                rc = pq_tc_fail(t, "key/value list of the wrong type");
                break;
            }
            if (m->kv) {
                rc = pq_tc_fail(t, "key/value metadata given twice");
                break;
            }
            m->kv = calloc(n ? n : 1, sizeof *m->kv);
            if (!m->kv) {
                rc = nomem(t);
                break;
            }
            for (uint32_t i = 0; i < n && rc >= 0; i++) {
                m->num_kv = i + 1;
                rc = pq_tc_enter(t, et);
                if (rc >= 0)
                    rc = parse_kv(t, &m->kv[i]);
                pq_tc_leave(t);
            }
            break;
        case 6:
            rc = str_copy(t, ft, &m->created_by);
            break;
        case 7:
            m->has_column_orders = true;
            rc = pq_tc_skip(t, ft);
            break;
        case 8:
            rc = lr_error_set(t->err, LR_EUNSUPPORTED,
                              "%s: encrypted Parquet files are not supported", t->what);
            break;
        default:
            rc = pq_tc_skip(t, ft);
        }
        if (rc < 0)
            break;
    }
    if (rc == 0 && seen != 15)
        rc = pq_tc_fail(t, "FileMetaData lacks a required field");
    if (rc == 0 && m->num_rows < 0)
        rc = pq_tc_fail(t, "negative num_rows");
    if (rc == 0)
        rc = pq_schema_build(m, els, nels, t->err);
    free_elems(els, nels);
    if (rc < 0)
        return rc;

    /* now the row groups, against the leaves */
    struct pq_tc *r = &rg_cursor;
    r->err = t->err;
    TRY(pq_tc_list(r, rg_type, &et, &n));
    if (n && et != PQ_CT_STRUCT)
        return pq_tc_fail(r, "row group list of the wrong type");
    m->row_groups = calloc(n ? n : 1, sizeof *m->row_groups);
    if (!m->row_groups)
        return nomem(t);
    int64_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        m->num_row_groups = i + 1;
        TRY(pq_tc_enter(r, et));
        TRY(parse_row_group(r, &m->row_groups[i], m->num_leaves, m));
        pq_tc_leave(r);
        if (m->row_groups[i].num_rows > INT64_MAX - total)
            return pq_tc_fail(r, "row counts overflow");
        total += m->row_groups[i].num_rows;
    }
    if (total != m->num_rows)
        return lr_error_set(t->err, LR_ECORRUPT,
                            "%s: num_rows %lld differs from the row groups' sum %lld", t->what,
                            (long long)m->num_rows, (long long)total);
    return 0;
}

int pq_meta_parse(struct lr_parquet_meta *m, const uint8_t *p, size_t len, uint64_t off,
                  struct lr_error *err)
{
    struct pq_tc t;
    pq_tc_init(&t, p, len, off, "footer", err);
    return parse_file_meta(&t, m);
}

void pq_meta_free(struct lr_parquet_meta *m)
{
    if (!m)
        return;
    free(m->created_by);
    for (size_t i = 0; i < m->num_kv; i++) {
        free(m->kv[i].key);
        free(m->kv[i].value);
    }
    free(m->kv);
    for (size_t i = 0; i < m->num_row_groups; i++) {
        struct lr_parquet_row_group *g = &m->row_groups[i];
        if (g->columns)
            for (size_t j = 0; j < m->num_leaves; j++)
                free((void *)g->columns[j].encodings);
        free(g->columns);
    }
    free(m->row_groups);
    pq_schema_free(m);
    memset(m, 0, sizeof *m);
}

static int parse_data_header(struct pq_tc *t, struct pq_page_header *h)
{
    int last = 0, id, ft, rc;
    unsigned seen = 0;
    while ((rc = pq_tc_field(t, &last, &id, &ft)) > 0) {
        switch (id) {
        case 1:
            TRY(pq_tc_i32(t, ft, &h->num_values));
            seen |= 1;
            break;
        case 2:
            TRY(pq_tc_i32(t, ft, &h->encoding));
            seen |= 2;
            break;
        case 3:
            TRY(pq_tc_i32(t, ft, &h->def_encoding));
            break;
        case 4:
            TRY(pq_tc_i32(t, ft, &h->rep_encoding));
            break;
        default:
            TRY(pq_tc_skip(t, ft));
        }
    }
    if (rc == 0 && seen != 3)
        return pq_tc_fail(t, "data page header lacks num_values or encoding");
    return rc;
}

static int parse_v2_header(struct pq_tc *t, struct pq_page_header *h)
{
    int last = 0, id, ft, rc;
    unsigned seen = 0;
    while ((rc = pq_tc_field(t, &last, &id, &ft)) > 0) {
        switch (id) {
        case 1:
            TRY(pq_tc_i32(t, ft, &h->num_values));
            seen |= 1;
            break;
        case 2:
            TRY(pq_tc_i32(t, ft, &h->num_nulls));
            break;
        case 3:
            TRY(pq_tc_i32(t, ft, &h->num_rows));
            break;
        case 4:
            TRY(pq_tc_i32(t, ft, &h->encoding));
            seen |= 2;
            break;
        case 5:
            TRY(pq_tc_i32(t, ft, &h->def_len));
            seen |= 4;
            break;
        case 6:
            TRY(pq_tc_i32(t, ft, &h->rep_len));
            seen |= 8;
            break;
        case 7:
            TRY(pq_tc_bool(t, ft, &h->is_compressed));
            break;
        default:
            TRY(pq_tc_skip(t, ft));
        }
    }
    if (rc == 0 && seen != 15)
        return pq_tc_fail(t, "DATA_PAGE_V2 header lacks a required field");
    if (rc == 0 && (h->def_len < 0 || h->rep_len < 0 || h->num_nulls < 0))
        return pq_tc_fail(t, "negative level length or null count");
    return rc;
}

static int parse_dict_header(struct pq_tc *t, struct pq_page_header *h)
{
    int last = 0, id, ft, rc;
    bool has_n = false;
    while ((rc = pq_tc_field(t, &last, &id, &ft)) > 0) {
        if (id == 1) {
            TRY(pq_tc_i32(t, ft, &h->num_values));
            has_n = true;
        } else if (id == 2) {
            TRY(pq_tc_i32(t, ft, &h->encoding));
        } else {
            TRY(pq_tc_skip(t, ft));
        }
    }
    if (rc == 0 && !has_n)
        return pq_tc_fail(t, "dictionary page header lacks num_values");
    return rc;
}

int pq_page_header_parse(struct pq_page_header *h, const uint8_t *p, size_t len, uint64_t off,
                         size_t *used, struct lr_error *err)
{
    struct pq_tc tc;
    struct pq_tc *t = &tc;
    pq_tc_init(t, p, len, off, "page header", err);
    memset(h, 0, sizeof *h);
    h->is_compressed = true;
    int last = 0, id, ft, rc;
    unsigned seen = 0;
    int32_t v;
    while ((rc = pq_tc_field(t, &last, &id, &ft)) > 0) {
        switch (id) {
        case 1:
            TRY(pq_tc_i32(t, ft, &v));
            h->type = v;
            seen |= 1;
            break;
        case 2:
            TRY(pq_tc_i32(t, ft, &h->uncompressed_size));
            seen |= 2;
            break;
        case 3:
            TRY(pq_tc_i32(t, ft, &h->compressed_size));
            seen |= 4;
            break;
        case 4:
            TRY(pq_tc_i32(t, ft, &h->crc));
            h->has_crc = true;
            break;
        case 5:
            TRY(pq_tc_enter(t, ft));
            TRY(parse_data_header(t, h));
            pq_tc_leave(t);
            h->has_data_header = true;
            break;
        case 7:
            TRY(pq_tc_enter(t, ft));
            TRY(parse_dict_header(t, h));
            pq_tc_leave(t);
            h->has_dict_header = true;
            break;
        case 8:
            TRY(pq_tc_enter(t, ft));
            TRY(parse_v2_header(t, h));
            pq_tc_leave(t);
            h->has_v2_header = true;
            break;
        default:
            TRY(pq_tc_skip(t, ft));
        }
    }
    if (rc < 0)
        return rc;
    if (seen != 7)
        return pq_tc_fail(t, "page header lacks type or sizes");
    if (h->uncompressed_size < 0 || h->compressed_size < 0)
        return pq_tc_fail(t, "negative page size");
    if (h->num_values < 0)
        return pq_tc_fail(t, "negative value count");
    *used = (size_t)(t->p - t->start);
    return 0;
}
