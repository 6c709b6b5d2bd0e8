/* checkpoint_write.c - the classic single-file Parquet checkpoint and _last_checkpoint.
 *
 * Owns: the checkpoint schema (Spark's V1 column set: txn, add, remove, metaData, protocol,
 * domainMetadata, plus checkpointMetadata when the table has the v2Checkpoint feature, whose
 * classic-named checkpoints must follow the V2 spec), one row per action, and the write order:
 *   (1) the checkpoint object is complete (single put) before _last_checkpoint names it;
 *   (2) adds and removes are written with dataChange false; removes older than
 *       delta.deletedFileRetentionDuration (before now, or the writer's own clock) are
 *       dropped (expired tombstones);
 *   (3) commitInfo and cdc never appear in a checkpoint. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "lakerewind/parquet_write.h"
#include "lakerewind/str.h"

#define ADD(parent, name, type, elem)                                                          \
    do {                                                                                       \
        id = lr_parquet_writer_add(w, (parent), (name), (type), false, (elem), err);           \
        if (id < 0)                                                                            \
            return id;                                                                         \
    } while (0)

static int add_dv(struct lr_parquet_writer *w, int parent, struct lr_error *err)
{
    int id;
    ADD(parent, "deletionVector", LR_PQW_STRUCT, 0);
    int dv = id;
    ADD(dv, "storageType", LR_PQW_STRING, 0);
    ADD(dv, "pathOrInlineDv", LR_PQW_STRING, 0);
    ADD(dv, "offset", LR_PQW_INT32, 0);
    ADD(dv, "sizeInBytes", LR_PQW_INT32, 0);
    ADD(dv, "cardinality", LR_PQW_INT64, 0);
    return 0;
}

static int build_schema(struct lr_parquet_writer *w, bool v2, struct lr_error *err)
{
    int id, s;
    ADD(LR_PQW_ROOT, "txn", LR_PQW_STRUCT, 0);
    s = id;
    ADD(s, "appId", LR_PQW_STRING, 0);
    ADD(s, "version", LR_PQW_INT64, 0);
    ADD(s, "lastUpdated", LR_PQW_INT64, 0);

    ADD(LR_PQW_ROOT, "add", LR_PQW_STRUCT, 0);
    s = id;
    ADD(s, "path", LR_PQW_STRING, 0);
    ADD(s, "partitionValues", LR_PQW_MAP, LR_PQW_STRING);
    ADD(s, "size", LR_PQW_INT64, 0);
    ADD(s, "modificationTime", LR_PQW_INT64, 0);
    ADD(s, "dataChange", LR_PQW_BOOLEAN, 0);
    ADD(s, "tags", LR_PQW_MAP, LR_PQW_STRING);
    if (add_dv(w, s, err) < 0)
        return LR_EINVAL;
    ADD(s, "baseRowId", LR_PQW_INT64, 0);
    ADD(s, "defaultRowCommitVersion", LR_PQW_INT64, 0);
    ADD(s, "clusteringProvider", LR_PQW_STRING, 0);
    ADD(s, "stats", LR_PQW_STRING, 0);

    ADD(LR_PQW_ROOT, "remove", LR_PQW_STRUCT, 0);
    s = id;
    ADD(s, "path", LR_PQW_STRING, 0);
    ADD(s, "deletionTimestamp", LR_PQW_INT64, 0);
    ADD(s, "dataChange", LR_PQW_BOOLEAN, 0);
    ADD(s, "extendedFileMetadata", LR_PQW_BOOLEAN, 0);
    ADD(s, "partitionValues", LR_PQW_MAP, LR_PQW_STRING);
    ADD(s, "size", LR_PQW_INT64, 0);
    if (add_dv(w, s, err) < 0)
        return LR_EINVAL;
    ADD(s, "baseRowId", LR_PQW_INT64, 0);
    ADD(s, "defaultRowCommitVersion", LR_PQW_INT64, 0);

    ADD(LR_PQW_ROOT, "metaData", LR_PQW_STRUCT, 0);
    s = id;
    ADD(s, "id", LR_PQW_STRING, 0);
    ADD(s, "name", LR_PQW_STRING, 0);
    ADD(s, "description", LR_PQW_STRING, 0);
    ADD(s, "format", LR_PQW_STRUCT, 0);
    int f = id;
    ADD(f, "provider", LR_PQW_STRING, 0);
    ADD(f, "options", LR_PQW_MAP, LR_PQW_STRING);
    ADD(s, "schemaString", LR_PQW_STRING, 0);
    ADD(s, "partitionColumns", LR_PQW_LIST, LR_PQW_STRING);
    ADD(s, "configuration", LR_PQW_MAP, LR_PQW_STRING);
    ADD(s, "createdTime", LR_PQW_INT64, 0);

    ADD(LR_PQW_ROOT, "protocol", LR_PQW_STRUCT, 0);
    s = id;
    ADD(s, "minReaderVersion", LR_PQW_INT32, 0);
    ADD(s, "minWriterVersion", LR_PQW_INT32, 0);
    ADD(s, "readerFeatures", LR_PQW_LIST, LR_PQW_STRING);
    ADD(s, "writerFeatures", LR_PQW_LIST, LR_PQW_STRING);

    ADD(LR_PQW_ROOT, "domainMetadata", LR_PQW_STRUCT, 0);
    s = id;
    ADD(s, "domain", LR_PQW_STRING, 0);
    ADD(s, "configuration", LR_PQW_STRING, 0);
    ADD(s, "removed", LR_PQW_BOOLEAN, 0);

    if (v2) {
        ADD(LR_PQW_ROOT, "checkpointMetadata", LR_PQW_STRUCT, 0);
        s = id;
        ADD(s, "version", LR_PQW_INT64, 0);
        ADD(s, "tags", LR_PQW_MAP, LR_PQW_STRING);
    }
    return 0;
}

static int append(struct lr_parquet_writer *w, const char *name, json_t *action, int64_t *rows,
                  struct lr_error *err)
{
    json_t *row = json_object();
    json_object_set(row, name, action);
    int rc = lr_parquet_writer_append_json(w, row, err);
    json_decref(row);
    if (rc >= 0)
        (*rows)++;
    return rc;
}

/* A file action rebuilt from its record (ours to change) with dataChange false. */
static int append_file(struct lr_parquet_writer *w, const char *name, json_t *a, int64_t *rows,
                       struct lr_error *err)
{
    if (json_object_set_new(a, "dataChange", json_false()) < 0)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    return append(w, name, a, rows, err);
}

/* Row groups of 32 MiB (not the writer's 128): the writer buffers one, and readers (ours
 * included) decode row groups in parallel. Tests make them small to write several. */
static _Atomic size_t row_group_bytes = (size_t)32 << 20;

void delta_checkpoint_row_group_bytes_set(size_t n)
{
    row_group_bytes = n ? n : (size_t)32 << 20;
}

int lr_delta_checkpoint_write(struct lr_delta_table *t, const struct lr_delta_snapshot *snap,
                              struct lr_error *err)
{
    return lr_delta_checkpoint_write_at(t, snap, 0, err);
}

int lr_delta_checkpoint_write_at(struct lr_delta_table *t, const struct lr_delta_snapshot *snap,
                                 int64_t now_ms, struct lr_error *err)
{
    struct lr_parquet_writer *w = NULL;
    struct lr_buf buf;
    lr_buf_init(&buf, 0);
    char *key = NULL;
    char *last = NULL;
    char *last_text = NULL;
    int64_t rows = 0;
    bool v2 = lr_delta_protocol_has(&snap->protocol, "v2Checkpoint", false);
    struct lr_parquet_writer_options o = {0};
    o.is_unknown_field_ignored = true;
    o.row_group_bytes = row_group_bytes;
    int rc = lr_parquet_writer_new(&w, &o, err);
    if (rc < 0)
        goto done;
    rc = build_schema(w, v2, err);
    if (rc < 0)
        goto done;
    if ((rc = append(w, "protocol", snap->protocol_action, &rows, err)) < 0 ||
        (rc = append(w, "metaData", snap->metadata, &rows, err)) < 0)
        goto done;
    if (v2) {
        json_t *cm = json_pack("{s:I}", "version", (json_int_t)snap->version);
        rc = append(w, "checkpointMetadata", cm, &rows, err);
        json_decref(cm);
        if (rc < 0)
            goto done;
    }
    const char *k;
    json_t *v;
    json_object_foreach(snap->txns, k, v)
        if ((rc = append(w, "txn", v, &rows, err)) < 0)
            goto done;
    json_object_foreach(snap->domains, k, v)
        if ((rc = append(w, "domainMetadata", v, &rows, err)) < 0)
            goto done;
    for (size_t i = 0; i < snap->num_files; i++) {
        json_t *a = lr_delta_file_action(snap->files[i]);
        rc = a ? append_file(w, "add", a, &rows, err) : lr_error_set(err, LR_ENOMEM,
                                                                     "out of memory");
        json_decref(a);
        if (rc < 0)
            goto done;
    }
    int64_t keep_ms = 7 * 86400000LL;
    const char *ret = lr_delta_snapshot_config(snap, "delta.deletedFileRetentionDuration");
    if (ret && lr_delta_parse_interval(ret, &keep_ms, NULL) < 0)
        keep_ms = 7 * 86400000LL;
    int64_t cutoff = (now_ms > 0 ? now_ms : delta_now_ms()) - keep_ms;
    for (size_t i = 0; i < snap->num_tombstones; i++) {
        const struct lr_delta_file *f = snap->tombstones[i];
        if (f->modification_time <= cutoff)
            continue; /* expired: VACUUM may already have deleted the file */
        json_t *a = lr_delta_file_action(f);
        rc = a ? append_file(w, "remove", a, &rows, err) : lr_error_set(err, LR_ENOMEM,
                                                                        "out of memory");
        json_decref(a);
        if (rc < 0)
            goto done;
    }
    rc = lr_parquet_writer_finish(w, &buf, err);
    if (rc < 0)
        goto done;
    char name[64];
    snprintf(name, sizeof name, "%020lld.checkpoint.parquet", (long long)snap->version);
    key = delta_log_key(t, name);
    last = delta_log_key(t, "_last_checkpoint");
    if (!key || !last) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    rc = lr_store_put(t->store, key, buf.data, buf.len, err);
    if (rc < 0) {
        lr_error_context(err, "writing %s", key);
        goto done;
    }
    last_text = lr_asprintf("{\"version\":%lld,\"size\":%lld,\"sizeInBytes\":%zu,"
                            "\"numOfAddFiles\":%zu}", (long long)snap->version, (long long)rows,
                            buf.len, snap->num_files);
    if (!last_text) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    rc = lr_store_put(t->store, last, last_text, strlen(last_text), err);
    if (rc < 0)
        lr_error_context(err, "writing %s", last);
done:
    if (rc < 0)
        lr_error_context(err, "checkpoint of version %lld", (long long)snap->version);
    lr_parquet_writer_free(w);
    lr_buf_free(&buf);
    free(key);
    free(last);
    free(last_text);
    return rc;
}
