/* nullcount.c - nulls of a column across a snapshot's live files: the log's stats, else the
 * Parquet footer's null_count, else the column read by projection (order in nullcount.h). */
#include "lakerewind/nullcount.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/parquet.h"
#include "lakerewind/str.h"

/* The physical name of top-level column `logical` (column mapping), or NULL when the schema
 * has no such column. Caller frees. */
static char *physical_name(const struct lr_delta_snapshot *s, const char *logical, bool *found)
{
    *found = false;
    json_t *schema = s->schema_string ? json_loads(s->schema_string, 0, NULL) : NULL;
    char *out = NULL;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(schema, "fields"), i, f) {
        const char *name = json_string_value(json_object_get(f, "name"));
        if (!name || strcmp(name, logical) != 0)
            continue;
        *found = true;
        const char *mode = lr_delta_snapshot_config(s, "delta.columnMapping.mode");
        const char *pn = json_string_value(
            json_object_get(json_object_get(f, "metadata"), "delta.columnMapping.physicalName"));
        out = lr_strdup(mode && strcmp(mode, "none") != 0 && pn ? pn : name);
        break;
    }
    json_decref(schema);
    return out;
}

static bool is_partition_column(const struct lr_delta_snapshot *s, const char *logical)
{
    size_t i;
    json_t *v;
    json_array_foreach(s->partition_columns, i, v) {
        const char *n = json_string_value(v);
        if (n && strcmp(n, logical) == 0)
            return true;
    }
    return false;
}

/* stats.nullCount[col] of an add action; -1 when absent (or, for memory, unreadable: the
 * count is then unknown, never wrong). */
static int64_t stats_nulls(const struct lr_delta_file *file, const char *col)
{
    const char *text = NULL;
    struct lr_error err;
    if (lr_delta_file_stats(file, &text, &err) < 0)
        return -1;
    json_t *stats = text ? json_loads(text, 0, NULL) : NULL;
    json_t *v = json_object_get(json_object_get(stats, "nullCount"), col);
    int64_t n = json_is_integer(v) && json_integer_value(v) >= 0 ? (int64_t)json_integer_value(v)
                                                                   : -1;
    json_decref(stats);
    return n;
}

static const struct lr_parquet_node *top_node(const struct lr_parquet_meta *m, const char *col)
{
    for (size_t i = 0; m->root && i < m->root->num_children; i++)
        if (strcmp(m->root->children[i]->name, col) == 0)
            return m->root->children[i];
    return NULL;
}

/* Footer null counts of a top-level primitive column; -1 when any row group lacks them. */
static int64_t footer_nulls(const struct lr_parquet_meta *m, const struct lr_parquet_node *n)
{
    if (n->leaf_index < 0 || n->max_rep > 0)
        return -1;
    int64_t total = 0;
    for (size_t rg = 0; rg < m->num_row_groups; rg++) {
        const struct lr_parquet_column_chunk *c = &m->row_groups[rg].columns[n->leaf_index];
        if (!c->has_stats || !c->stats.has_null_count || c->stats.null_count < 0)
            return -1;
        total += c->stats.null_count;
    }
    return total;
}

/* Read the column: a record is null when its first level entry is defined below the node. */
static int data_nulls(struct lr_parquet_file *f, const struct lr_parquet_node *n,
                      int64_t *out, struct lr_error *err)
{
    const struct lr_parquet_meta *m = lr_parquet_metadata(f);
    const char *cols[] = {n->name};
    *out = 0;
    for (size_t rg = 0; rg < m->num_row_groups; rg++) {
        struct lr_parquet_batch *b = NULL;
        int rc = lr_parquet_batch_read(&b, f, rg, cols, 1, err);
        if (rc < 0)
            return rc;
        struct lr_parquet_column c;
        lr_parquet_batch_column(b, 0, &c);
        for (size_t i = 0; c.def_levels && i < c.num_entries; i++) {
            bool starts_record = !c.rep_levels || c.rep_levels[i] == 0;
            if (starts_record && c.def_levels[i] < n->max_def)
                (*out)++;
        }
        lr_parquet_batch_free(b);
    }
    return 0;
}

static int file_nulls(struct lr_null_count *out, struct lr_delta_table *t,
                      const struct lr_delta_file *file, const char *col, bool is_partition,
                      struct lr_error *err)
{
    if (is_partition) {
        json_t *pv = lr_delta_file_partition_values(file);
        json_t *v = json_object_get(pv, col);
        bool has_value = v && !json_is_null(v);
        json_decref(pv);
        out->from_partition++;
        if (has_value)
            return 0;
        int64_t rows = lr_delta_file_rows(file);
        if (rows >= 0) {
            out->nulls += rows;
            return 0;
        }
    } else {
        int64_t n = stats_nulls(file, col);
        if (n >= 0) {
            out->nulls += n;
            out->from_stats++;
            return 0;
        }
    }
    char *rel = lr_delta_path_to_key(file->path);
    char *key = rel ? lr_path_join(lr_delta_table_prefix(t), rel) : NULL;
    struct lr_parquet_file *f = NULL;
    int rc = key ? 0 : lr_error_set(err, LR_EINVAL, "data file path '%s' is not inside the "
                                                    "table", file->path);
    if (rc == 0)
        rc = lr_parquet_open(&f, lr_delta_table_store(t), key, err);
    if (rc < 0)
        goto done;
    const struct lr_parquet_meta *m = lr_parquet_metadata(f);
    if (is_partition) { /* null partition value, row count unknown from the log */
        out->nulls += lr_parquet_num_rows(f);
        goto done;
    }
    const struct lr_parquet_node *node = top_node(m, col);
    if (!node) { /* written before the column existed: null in every row */
        out->nulls += lr_parquet_num_rows(f);
        out->from_footer++;
        goto done;
    }
    int64_t n = footer_nulls(m, node);
    if (n >= 0) {
        out->nulls += n;
        out->from_footer++;
        goto done;
    }
    rc = data_nulls(f, node, &n, err);
    if (rc == 0) {
        out->nulls += n;
        out->from_data++;
    }
done:
    if (rc < 0)
        lr_error_context(err, "counting nulls of %s in %s", col, file->path);
    lr_parquet_close(f);
    free(key);
    free(rel);
    return rc;
}

int lr_null_count_read(struct lr_null_count *out, struct lr_delta_table *t,
                       const struct lr_delta_snapshot *snap, const char *column,
                       struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    bool found = false;
    char *phys = physical_name(snap, column, &found);
    if (!found)
        return lr_error_set(err, LR_ENOTFOUND, "the table has no column %s (primary keys are "
                                               "set in the profile's primary_keys)",
                            column);
    if (!phys)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    bool is_partition = is_partition_column(snap, column);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < snap->num_files; i++)
        rc = file_nulls(out, t, snap->files[i], phys, is_partition, err);
    free(phys);
    return rc;
}
