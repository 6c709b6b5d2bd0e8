/* writer.c - the demo's deterministic Delta table writer: Parquet data files with Delta
 * statistics, commits with commitInfo first, Spark-style checkpoints every N commits, and commit
 * files dated by the fake clock (local stores) so time travel by timestamp works on the demo. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "demo/demo_internal.h"
#include "lakerewind/parquet_write.h"
#include "lakerewind/str.h"
#include "lakerewind/sys/store_backend.h"
#include "lakerewind/version.h"

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ULL;
    return h;
}

/* A UUID-shaped id that is a pure function of its inputs. */
static void det_uuid(char out[37], uint64_t a, uint64_t b)
{
    uint64_t hi = mix(a ^ 0x5bd1e995ULL), lo = mix(b ^ hi);
    snprintf(out, 37, "%08llx-%04llx-4%03llx-a%03llx-%012llx",
             (unsigned long long)(hi >> 32), (unsigned long long)((hi >> 16) & 0xffff),
             (unsigned long long)(hi & 0xfff), (unsigned long long)(lo >> 52),
             (unsigned long long)(lo & 0xffffffffffffULL));
}

static void iso_date(char *buf, size_t size, int64_t days)
{
    time_t secs = (time_t)(days * 86400);
    struct tm tm;
    gmtime_r(&secs, &tm);
    /* years stay 4 digits for any date the demo makes; clamp to keep the format exact */
    int year = tm.tm_year + 1900;
    if (year < 0 || year > 9999)
        year = 1970;
    snprintf(buf, size, "%04d-%02d-%02d", year % 10000, (tm.tm_mon + 1) % 100, tm.tm_mday % 100);
}

int demo_writer_open(struct demo_writer *w, struct lr_store *store, const char *prefix,
                     const char *name, const struct demo_col *cols, size_t ncols,
                     const char *partition_by, uint64_t seed, struct lr_error *err)
{
    memset(w, 0, sizeof *w);
    if (ncols > sizeof w->cols / sizeof *w->cols)
        return lr_error_set(err, LR_ELIMIT, "demo table %s has too many columns", name);
    w->store = store;
    w->name = name;
    w->prefix = lr_strdup(prefix);
    if (!w->prefix)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    memcpy(w->cols, cols, ncols * sizeof *cols);
    w->ncols = ncols;
    w->partition_by = partition_by;
    w->version = -1;
    w->seed = seed ^ hash_text(name);
    w->checkpoint_interval = 10;
    int rc = lr_delta_table_open(&w->table, store, prefix, err);
    if (rc < 0) {
        free(w->prefix);
        w->prefix = NULL;
    }
    return rc;
}

void demo_writer_close(struct demo_writer *w)
{
    lr_delta_table_close(w->table);
    free(w->prefix);
    memset(w, 0, sizeof *w);
}

static json_t *schema_json(const struct demo_writer *w)
{
    json_t *fields = json_array();
    for (size_t i = 0; fields && i < w->ncols; i++) {
        json_t *f = json_pack("{s:s, s:s, s:b, s:{}}", "name", w->cols[i].name, "type",
                              lr_demo_type_name(w->cols[i].type), "nullable",
                              w->cols[i].nullable, "metadata");
        if (!f || json_array_append_new(fields, f) < 0) {
            json_decref(fields);
            return NULL;
        }
    }
    return fields ? json_pack("{s:s, s:o}", "type", "struct", "fields", fields) : NULL;
}

static json_t *commit_info(struct demo_writer *w, const char *operation, json_t *params,
                           json_t *metrics, int64_t now_ms, bool is_blind_append)
{
    char txn[37];
    det_uuid(txn, w->seed, (uint64_t)(w->version + 1) * 7919);
    char engine[64];
    snprintf(engine, sizeof engine, "%s demo", lr_engine_info());
    json_t *ci = json_pack("{s:I, s:s, s:o, s:I, s:s, s:b, s:o, s:s, s:s}", "timestamp",
                           (json_int_t)now_ms, "operation", operation, "operationParameters",
                           params ? params : json_object(), "readVersion",
                           (json_int_t)w->version, "isolationLevel", "Serializable",
                           "isBlindAppend", is_blind_append, "operationMetrics",
                           metrics ? metrics : json_object(), "engineInfo", engine, "txnId", txn);
    if (ci && w->version < 0)
        json_object_del(ci, "readVersion");
    return ci ? json_pack("{s:o}", "commitInfo", ci) : NULL;
}

static int put_commit(struct demo_writer *w, json_t *lines, int64_t now_ms, struct lr_error *err)
{
    struct lr_buf text = LR_BUF_INIT;
    int rc = 0;
    size_t i;
    json_t *line;
    json_array_foreach(lines, i, line) {
        char *s = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (!s) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            break;
        }
        rc = lr_buf_append_str(&text, s, err);
        free(s);
        if (rc == 0)
            rc = lr_buf_append(&text, "\n", 1, err);
        if (rc < 0)
            break;
    }
    int64_t version = w->version + 1;
    if (rc == 0)
        rc = lr_delta_commit_put(w->table, version, (const char *)text.data, text.len, err);
    lr_buf_free(&text);
    if (rc < 0)
        return lr_error_context(err, "demo table %s, version %lld", w->name, (long long)version);
    w->version = version;
    const char *root = lr_local_store_root(w->store);
    if (root) {
        char *path = lr_asprintf("%s/%s/_delta_log/%020lld.json", root, w->prefix,
                                 (long long)version);
        struct timespec times[2] = {{(time_t)(now_ms / 1000), (long)(now_ms % 1000) * 1000000},
                                    {(time_t)(now_ms / 1000), (long)(now_ms % 1000) * 1000000}};
        if (path)
            utimensat(AT_FDCWD, path, times, 0); /* best effort: only dates the demo's history */
        free(path);
    }
    if (version > 0 && version % w->checkpoint_interval == 0) {
        struct lr_delta_snapshot snap;
        rc = lr_delta_snapshot_open(&snap, w->table, version, err);
        if (rc == 0) {
            rc = lr_delta_checkpoint_write_at(w->table, &snap, now_ms, err);
            lr_delta_snapshot_free(&snap);
        }
        if (rc < 0)
            lr_error_context(err, "checkpointing demo table %s at version %lld", w->name,
                             (long long)version);
    }
    return rc;
}

int demo_writer_create(struct demo_writer *w, int64_t now_ms, json_t *configuration,
                       struct lr_error *err)
{
    char id[37];
    det_uuid(id, w->seed, 1);
    json_t *schema = schema_json(w);
    char *schema_text = schema ? json_dumps(schema, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(schema);
    json_t *parts = json_array();
    if (w->partition_by)
        json_array_append_new(parts, json_string(w->partition_by));
    json_t *lines = json_array();
    json_t *params = json_pack("{s:b, s:s, s:s}", "isManaged", false, "description", "",
                               "partitionBy", w->partition_by ? w->partition_by : "[]");
    json_t *ci = commit_info(w, "CREATE TABLE", params, NULL, now_ms, true);
    json_t *protocol = json_pack("{s:{s:i, s:i}}", "protocol", "minReaderVersion", 1,
                                 "minWriterVersion", 2);
    json_t *meta = schema_text
                       ? json_pack("{s:{s:s, s:{s:s, s:{}}, s:s, s:o, s:O, s:I}}", "metaData",
                                   "id", id, "format", "provider", "parquet", "options",
                                   "schemaString", schema_text, "partitionColumns", parts,
                                   "configuration", configuration, "createdTime",
                                   (json_int_t)now_ms)
                       : NULL;
    free(schema_text);
    if (!lines || !ci || !protocol || !meta) {
        json_decref(lines);
        json_decref(ci);
        json_decref(protocol);
        json_decref(meta);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    json_array_append_new(lines, ci);
    json_array_append_new(lines, protocol);
    json_array_append_new(lines, meta);
    int rc = put_commit(w, lines, now_ms, err);
    json_decref(lines);
    return rc;
}

static enum lr_parquet_wtype pq_type(enum lr_demo_type t)
{
    switch (t) {
    case LR_DEMO_STRING: return LR_PQW_STRING;
    case LR_DEMO_INT: return LR_PQW_INT32;
    case LR_DEMO_LONG: return LR_PQW_INT64;
    case LR_DEMO_DOUBLE: return LR_PQW_DOUBLE;
    case LR_DEMO_BOOL: return LR_PQW_BOOLEAN;
    case LR_DEMO_TIMESTAMP: return LR_PQW_TIMESTAMP;
    case LR_DEMO_DATE: return LR_PQW_DATE;
    }
    return LR_PQW_STRING;
}

/* The stats value as Delta writes it: timestamps as ISO millis, dates as YYYY-MM-DD. */
static json_t *stat_value(enum lr_demo_type t, json_t *v)
{
    char buf[40];
    if (t == LR_DEMO_TIMESTAMP) {
        lr_delta_format_timestamp(json_integer_value(v) / 1000, buf, sizeof buf);
        return json_string(buf);
    }
    if (t == LR_DEMO_DATE) {
        iso_date(buf, sizeof buf, json_integer_value(v));
        return json_string(buf);
    }
    return json_deep_copy(v);
}

static int cmp_values(enum lr_demo_type t, json_t *a, json_t *b)
{
    if (t == LR_DEMO_STRING)
        return strcmp(json_string_value(a), json_string_value(b));
    if (t == LR_DEMO_BOOL)
        return (int)json_is_true(a) - (int)json_is_true(b);
    double x = json_number_value(a), y = json_number_value(b);
    return x < y ? -1 : x > y;
}

static json_t *file_stats(const struct demo_writer *w, json_t *rows)
{
    json_t *mins = json_object(), *maxs = json_object(), *nulls = json_object();
    for (size_t c = 0; c < w->ncols; c++) {
        const struct demo_col *col = &w->cols[c];
        if (w->partition_by && strcmp(col->name, w->partition_by) == 0)
            continue;
        json_t *lo = NULL, *hi = NULL;
        json_int_t null_count = 0;
        bool too_long = false;
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row) {
            json_t *v = json_object_get(row, col->name);
            if (!v || json_is_null(v)) {
                null_count++;
                continue;
            }
            if (col->type == LR_DEMO_STRING && strlen(json_string_value(v)) > 32)
                too_long = true; /* Spark truncates long strings; we simply leave them out */
            if (!lo || cmp_values(col->type, v, lo) < 0)
                lo = v;
            if (!hi || cmp_values(col->type, v, hi) > 0)
                hi = v;
        }
        json_object_set_new(nulls, col->name, json_integer(null_count));
        if (lo && !too_long && col->type != LR_DEMO_BOOL) {
            json_object_set_new(mins, col->name, stat_value(col->type, lo));
            json_object_set_new(maxs, col->name, stat_value(col->type, hi));
        }
    }
    return json_pack("{s:I, s:o, s:o, s:o}", "numRecords", (json_int_t)json_array_size(rows),
                     "minValues", mins, "maxValues", maxs, "nullCount", nulls);
}

static char *partition_text(enum lr_demo_type t, json_t *v)
{
    if (!v || json_is_null(v))
        return NULL;
    if (t == LR_DEMO_STRING)
        return lr_strdup(json_string_value(v));
    if (json_is_integer(v))
        return lr_asprintf("%lld", (long long)json_integer_value(v));
    return lr_strdup("");
}

int demo_writer_file(struct demo_writer *w, json_t *rows, int64_t now_ms, json_t **add_out,
                     struct lr_error *err)
{
    *add_out = NULL;
    struct lr_parquet_writer *pw = NULL;
    struct lr_buf buf = LR_BUF_INIT;
    char *path = NULL, *part_value = NULL;
    json_t *stats = NULL;
    int rc = lr_parquet_writer_new(&pw, NULL, err);
    const struct demo_col *part_col = NULL;
    for (size_t c = 0; rc >= 0 && c < w->ncols; c++) {
        if (w->partition_by && strcmp(w->cols[c].name, w->partition_by) == 0) {
            part_col = &w->cols[c];
            continue; /* partition values live in the path and the log, not the file */
        }
        rc = lr_parquet_writer_add(pw, LR_PQW_ROOT, w->cols[c].name, pq_type(w->cols[c].type),
                                   !w->cols[c].nullable, LR_PQW_STRING, err);
    }
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        if (rc < 0)
            break;
        json_t *copy = json_copy(row);
        if (!copy) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            break;
        }
        if (part_col)
            json_object_del(copy, part_col->name);
        rc = lr_parquet_writer_append_json(pw, copy, err);
        json_decref(copy);
    }
    if (rc >= 0)
        rc = lr_parquet_writer_finish(pw, &buf, err);
    if (rc < 0)
        goto done;
    char uuid[37];
    det_uuid(uuid, w->seed, ++w->file_seq);
    if (part_col) {
        part_value = partition_text(part_col->type,
                                    json_object_get(json_array_get(rows, 0), part_col->name));
        path = part_value ? lr_asprintf("%s=%s/part-%05u-%s.c000.snappy.parquet", part_col->name,
                                        part_value, w->file_seq % 100000, uuid)
                          : lr_asprintf("%s=__HIVE_DEFAULT_PARTITION__/part-%05u-%s.c000.snappy"
                                        ".parquet",
                                        part_col->name, w->file_seq % 100000, uuid);
    } else {
        path = lr_asprintf("part-%05u-%s.c000.snappy.parquet", w->file_seq % 100000, uuid);
    }
    char *key = path ? lr_path_join(w->prefix, path) : NULL;
    if (!key) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    rc = lr_store_put(w->store, key, buf.data, buf.len, err);
    free(key);
    if (rc < 0)
        goto done;
    stats = file_stats(w, rows);
    char *stats_text = stats ? json_dumps(stats, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_t *pv = json_object();
    if (part_col)
        json_object_set_new(pv, part_col->name, part_value ? json_string(part_value) : json_null());
    *add_out = stats_text ? json_pack("{s:{s:s, s:o, s:I, s:I, s:b, s:s}}", "add", "path", path,
                                      "partitionValues", pv, "size", (json_int_t)buf.len,
                                      "modificationTime", (json_int_t)now_ms, "dataChange", true,
                                      "stats", stats_text)
                          : NULL;
    free(stats_text);
    if (!*add_out)
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
done:
    if (rc < 0)
        lr_error_context(err, "writing a data file of demo table %s", w->name);
    json_decref(stats);
    lr_parquet_writer_free(pw);
    lr_buf_free(&buf);
    free(path);
    free(part_value);
    return rc < 0 ? rc : 0;
}

json_t *demo_remove_for(const json_t *add, int64_t now_ms)
{
    const json_t *a = json_object_get(add, "add");
    return json_pack("{s:{s:O, s:I, s:b, s:b, s:O, s:O}}", "remove", "path",
                     json_object_get(a, "path"), "deletionTimestamp", (json_int_t)now_ms,
                     "dataChange", true, "extendedFileMetadata", true, "partitionValues",
                     json_object_get(a, "partitionValues"), "size", json_object_get(a, "size"));
}

int demo_writer_commit(struct demo_writer *w, json_t *actions, const char *operation,
                       json_t *op_params, int64_t now_ms, struct lr_error *err)
{
    json_int_t added = 0, removed = 0, rows_out = 0;
    bool blind = true;
    size_t i;
    json_t *a;
    json_array_foreach(actions, i, a) {
        json_t *add = json_object_get(a, "add");
        if (add) {
            added++;
            json_t *st = json_loads(json_string_value(json_object_get(add, "stats")), 0, NULL);
            rows_out += json_integer_value(json_object_get(st, "numRecords"));
            json_decref(st);
        }
        if (json_object_get(a, "remove")) {
            removed++;
            blind = false;
        }
    }
    char n1[24], n2[24], n3[24];
    snprintf(n1, sizeof n1, "%lld", (long long)added);
    snprintf(n2, sizeof n2, "%lld", (long long)removed);
    snprintf(n3, sizeof n3, "%lld", (long long)rows_out);
    json_t *metrics = json_pack("{s:s, s:s, s:s}", "numAddedFiles", n1, "numRemovedFiles", n2,
                                "numOutputRows", n3);
    json_t *lines = json_array();
    json_t *ci = commit_info(w, operation, op_params, metrics, now_ms, blind);
    if (!lines || !ci) {
        json_decref(lines);
        json_decref(ci);
        json_decref(actions);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    json_array_append_new(lines, ci);
    json_array_extend(lines, actions);
    json_decref(actions);
    int rc = put_commit(w, lines, now_ms, err);
    json_decref(lines);
    return rc;
}

int demo_writer_add_column(struct demo_writer *w, const char *name, enum lr_demo_type type,
                           json_t *configuration, int64_t now_ms, struct lr_error *err)
{
    if (w->ncols >= sizeof w->cols / sizeof w->cols[0])
        return lr_error_set(err, LR_EINVAL, "table %s: too many columns to add %s", w->name,
                            name);
    w->cols[w->ncols++] = (struct demo_col){name, type, true};
    char id[37];
    det_uuid(id, w->seed, 1);
    json_t *schema = schema_json(w);
    char *schema_text = schema ? json_dumps(schema, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(schema);
    json_t *parts = json_array();
    if (parts && w->partition_by)
        json_array_append_new(parts, json_string(w->partition_by));
    json_t *meta = schema_text && parts
                       ? json_pack("{s:{s:s, s:{s:s, s:{}}, s:s, s:o, s:O, s:I}}", "metaData",
                                   "id", id, "format", "provider", "parquet", "options",
                                   "schemaString", schema_text, "partitionColumns", parts,
                                   "configuration", configuration, "createdTime",
                                   (json_int_t)now_ms)
                       : NULL;
    if (!meta)
        json_decref(parts);
    free(schema_text);
    json_t *actions = json_array();
    if (!meta || !actions || json_array_append_new(actions, meta) < 0) {
        json_decref(actions);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    char cols[200];
    snprintf(cols, sizeof cols, "[{\"column\":{\"name\":\"%s\",\"type\":\"%s\"}}]", name,
             lr_demo_type_name(type));
    return demo_writer_commit(w, actions, "ADD COLUMNS", json_pack("{s:s}", "columns", cols),
                              now_ms, err);
}
