/* table_write.c - appending rows to a small Delta table with our own Parquet writer (the
 * metadata tables, test and demo tables), and removing whole files. One Parquet file and one
 * put-if-absent commit per call; created on first use; retried at the next version when
 * another writer took ours (blind appends never conflict). Reading lives in table_read.c. */
#include "lakerewind/metadata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/delta.h"
#include "lakerewind/event.h"
#include "lakerewind/identity.h"
#include "lakerewind/parquet_write.h"
#include "lakerewind/str.h"
#include "lakerewind/version.h"

static enum lr_parquet_wtype wtype(enum lr_col_type t)
{
    switch (t) {
    case LR_COL_LONG:
        return LR_PQW_INT64;
    case LR_COL_INTEGER:
        return LR_PQW_INT32;
    case LR_COL_BOOLEAN:
        return LR_PQW_BOOLEAN;
    case LR_COL_DOUBLE:
        return LR_PQW_DOUBLE;
    case LR_COL_TIMESTAMP:
        return LR_PQW_TIMESTAMP;
    default:
        return LR_PQW_STRING;
    }
}

/* Delta stats for the file: numRecords, nullCount per column, minValues/maxValues for numbers
 * and for timestamps given in the canonical fixed-width ISO form (string order = time order). */
static json_t *file_stats(const struct lr_table_def *def, json_t *rows)
{
    json_t *stats = json_object();
    json_t *nulls = json_object();
    json_t *mins = json_object();
    json_t *maxs = json_object();
    for (size_t c = 0; c < def->column_count; c++) {
        const struct lr_column_def *col = &def->columns[c];
        json_int_t n_null = 0;
        json_t *mn = NULL;
        json_t *mx = NULL;
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row) {
            json_t *v = json_object_get(row, col->name);
            if (!v || json_is_null(v)) {
                n_null++;
                continue;
            }
            bool is_num = (col->type == LR_COL_LONG || col->type == LR_COL_INTEGER ||
                           col->type == LR_COL_DOUBLE) && json_is_number(v);
            bool is_ts = col->type == LR_COL_TIMESTAMP && json_is_string(v) &&
                         strlen(json_string_value(v)) == 24;
            if (is_num) {
                if (!mn || json_number_value(v) < json_number_value(mn))
                    mn = v;
                if (!mx || json_number_value(v) > json_number_value(mx))
                    mx = v;
            } else if (is_ts) {
                if (!mn || strcmp(json_string_value(v), json_string_value(mn)) < 0)
                    mn = v;
                if (!mx || strcmp(json_string_value(v), json_string_value(mx)) > 0)
                    mx = v;
            }
        }
        json_object_set_new(nulls, col->name, json_integer(n_null));
        if (mn)
            json_object_set(mins, col->name, mn);
        if (mx)
            json_object_set(maxs, col->name, mx);
    }
    json_object_set_new(stats, "numRecords", json_integer((json_int_t)json_array_size(rows)));
    json_object_set_new(stats, "minValues", mins);
    json_object_set_new(stats, "maxValues", maxs);
    json_object_set_new(stats, "nullCount", nulls);
    return stats;
}

static int write_parquet(const struct lr_table_def *def, json_t *rows, struct lr_buf *out,
                         struct lr_error *err)
{
    struct lr_parquet_writer *w = NULL;
    int rc = lr_parquet_writer_new(&w, NULL, err);
    for (size_t c = 0; rc >= 0 && c < def->column_count; c++) {
        const struct lr_column_def *col = &def->columns[c];
        rc = lr_parquet_writer_add(w, LR_PQW_ROOT, col->name, wtype(col->type),
                                   !col->is_nullable, LR_PQW_STRING, err);
    }
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        if (rc < 0)
            break;
        if (!json_is_object(row)) {
            rc = lr_error_set(err, LR_EINVAL, "row %zu is not a JSON object", i);
            break;
        }
        rc = lr_parquet_writer_append_json(w, row, err);
        if (rc < 0)
            lr_error_context(err, "row %zu", i);
    }
    if (rc >= 0)
        rc = lr_parquet_writer_finish(w, out, err);
    lr_parquet_writer_free(w);
    return rc < 0 ? rc : 0;
}

static json_t *commit_info(const struct lr_append_options *o, const char *operation,
                           const char *mode, int64_t now_ms, const char *txn)
{
    json_t *ci = json_object();
    json_object_set_new(ci, "timestamp", json_integer(now_ms));
    if (o->operator_name)
        json_object_set_new(ci, "userName", json_string(o->operator_name));
    json_object_set_new(ci, "operation", json_string(operation));
    json_t *params = json_object();
    if (mode)
        json_object_set_new(params, "mode", json_string(mode));
    json_object_set_new(ci, "operationParameters", params);
    json_object_set_new(ci, "isBlindAppend", json_boolean(mode != NULL));
    json_object_set_new(ci, "engineInfo", json_string(lr_engine_info()));
    json_object_set_new(ci, "txnId", json_string(txn));
    if (o->run_id) {
        json_t *tags = json_object();
        json_object_set_new(tags, "lakerewindRunId", json_string(o->run_id));
        json_object_set_new(ci, "tags", tags);
    }
    json_t *line = json_object();
    json_object_set_new(line, "commitInfo", ci);
    return line;
}

static json_t *create_actions(const struct lr_table_def *def, const struct lr_append_options *o,
                              int64_t now_ms, struct lr_error *err)
{
    char id[LR_RUN_ID_LEN + 1];
    if (lr_run_id_new(id, err) < 0)
        return NULL;
    char *schema = lr_table_def_schema_string(def);
    if (!schema)
        return NULL;
    json_t *lines = json_array();
    json_t *protocol = json_pack("{s:{s:i,s:i}}", "protocol", "minReaderVersion", 1,
                                 "minWriterVersion", 2);
    json_t *config = json_object();
    if (o->is_append_only)
        json_object_set_new(config, "delta.appendOnly", json_string("true"));
    json_t *md = json_pack("{s:{s:s,s:s,s:{s:s,s:{}},s:s,s:[],s:o,s:I}}", "metaData", "id", id,
                           "name", def->name, "format", "provider", "parquet", "options",
                           "schemaString", schema, "partitionColumns", "configuration", config,
                           "createdTime", (json_int_t)now_ms);
    free(schema);
    json_array_append_new(lines, protocol);
    json_array_append_new(lines, md);
    return lines;
}

static int latest_version(struct lr_delta_table *t, int64_t *out, struct lr_error *err)
{
    struct lr_delta_listing l = {0};
    int rc = lr_delta_list(t, 0, &l, err);
    if (rc == 0)
        *out = l.latest_version;
    lr_delta_listing_free(&l);
    return rc;
}

/* Commit `actions` (array of action objects) at the next version, creating the table when
 * `def` is given and there is no log; retried on conflict. */
static int commit_lines(struct lr_delta_table *t, const struct lr_table_def *def,
                        json_t *actions, const struct lr_append_options *o,
                        const char *operation, const char *mode, int64_t *version_out,
                        struct lr_error *err)
{
    int attempts = o->max_attempts > 0 ? o->max_attempts : 10;
    char txn[LR_RUN_ID_LEN + 1];
    int rc = lr_run_id_new(txn, err);
    for (int a = 0; rc == 0 && a < attempts; a++) {
        int64_t latest = -1;
        rc = latest_version(t, &latest, err);
        if (rc < 0)
            break;
        if (latest < 0 && !def) {
            rc = lr_error_set(err, LR_ENOTFOUND, "table %s has no Delta log",
                              lr_delta_table_prefix(t));
            break;
        }
        int64_t now = lr_event_now_ms();
        struct lr_buf text = LR_BUF_INIT;
        json_t *all = json_array();
        json_array_append_new(all, commit_info(o, operation, mode, now, txn));
        if (latest < 0) {
            json_t *create = create_actions(def, o, now, err);
            if (!create) {
                json_decref(all);
                rc = err->code < 0 ? err->code : LR_ENOMEM;
                break;
            }
            json_array_extend(all, create);
            json_decref(create);
        }
        json_array_extend(all, actions);
        size_t i;
        json_t *line;
        json_array_foreach(all, i, line) {
            char *s = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
            if (!s || lr_buf_append_str(&text, s, err) < 0 ||
                lr_buf_append(&text, "\n", 1, err) < 0)
                rc = LR_ENOMEM;
            free(s);
        }
        json_decref(all);
        if (rc == 0)
            rc = lr_delta_commit_put(t, latest + 1, (const char *)text.data, text.len, err);
        lr_buf_free(&text);
        if (rc == 0) {
            if (version_out)
                *version_out = latest + 1;
            return 0;
        }
        if (rc != LR_EEXISTS)
            break;
        rc = 0; /* someone else took latest + 1: re-read and try the next version */
    }
    if (rc == 0)
        rc = lr_error_set(err, LR_ECONFLICT, "table %s: other writers took %d versions in a "
                                             "row; try again", lr_delta_table_prefix(t),
                          attempts);
    return rc;
}

int lr_table_append_rows(struct lr_store *store, const char *prefix,
                         const struct lr_table_def *def, json_t *rows,
                         const struct lr_append_options *opts, int64_t *version_out,
                         struct lr_error *err)
{
    struct lr_append_options none = {0};
    const struct lr_append_options *o = opts ? opts : &none;
    struct lr_delta_table *t = NULL;
    struct lr_buf file = LR_BUF_INIT;
    char *name = NULL;
    char *key = NULL;
    json_t *actions = NULL;
    int rc = 0;
    if (version_out)
        *version_out = -1;
    if (!json_is_array(rows))
        return lr_error_set(err, LR_EINVAL, "table %s: rows must be a JSON array", def->name);
    if (json_array_size(rows) == 0)
        return 0;
    rc = lr_delta_table_open(&t, store, prefix, err);
    if (rc < 0)
        goto done;
    rc = write_parquet(def, rows, &file, err);
    if (rc < 0)
        goto done;
    char uuid[LR_RUN_ID_LEN + 1];
    rc = lr_run_id_new(uuid, err);
    if (rc < 0)
        goto done;
    name = lr_asprintf("part-00000-%s-c000.snappy.parquet", uuid);
    key = name ? lr_path_join(prefix, name) : NULL;
    if (!key) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    rc = lr_store_put(store, key, file.data, file.len, err);
    if (rc < 0)
        goto done;
    json_t *stats = file_stats(def, rows);
    char *stats_text = json_dumps(stats, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(stats);
    actions = json_array();
    json_t *add = json_pack("{s:{s:s,s:{},s:I,s:I,s:b,s:s}}", "add", "path", name,
                            "partitionValues", "size", (json_int_t)file.len, "modificationTime",
                            (json_int_t)lr_event_now_ms(), "dataChange", 1, "stats",
                            stats_text ? stats_text : "{}");
    free(stats_text);
    json_array_append_new(actions, add);
    rc = commit_lines(t, def, actions, o, o->operation ? o->operation : "WRITE", "Append",
                      version_out, err);
done:
    if (rc < 0)
        lr_error_context(err, "appending %zu rows to %s", json_array_size(rows), prefix);
    json_decref(actions);
    lr_delta_table_close(t);
    lr_buf_free(&file);
    free(name);
    free(key);
    return rc;
}

int lr_table_remove_files(struct lr_store *store, const char *prefix, const char *const *paths,
                          size_t count, const struct lr_append_options *opts,
                          int64_t *version_out, struct lr_error *err)
{
    struct lr_append_options none = {0};
    const struct lr_append_options *o = opts ? opts : &none;
    struct lr_delta_table *t = NULL;
    json_t *actions = json_array();
    int rc = lr_delta_table_open(&t, store, prefix, err);
    int64_t now = lr_event_now_ms();
    for (size_t i = 0; rc == 0 && i < count; i++)
        json_array_append_new(actions, json_pack("{s:{s:s,s:I,s:b}}", "remove", "path",
                                                 paths[i], "deletionTimestamp", (json_int_t)now,
                                                 "dataChange", 1));
    if (rc == 0)
        rc = commit_lines(t, NULL, actions, o, o->operation ? o->operation : "DELETE", NULL,
                          version_out, err);
    if (rc < 0)
        lr_error_context(err, "removing %zu files from %s", count, prefix);
    json_decref(actions);
    lr_delta_table_close(t);
    return rc;
}
