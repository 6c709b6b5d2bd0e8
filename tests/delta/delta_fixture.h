/* delta_fixture.h - a tiny "create table / append / delete" helper for the Delta tests: writes
 * JSON commits with our own commit put, and data files as arbitrary bytes (log-level tests do
 * not read them; numRecords goes into stats where row counts matter). Static functions only:
 * included by each test program that needs it. */
#ifndef LR_DELTA_FIXTURE_H
#define LR_DELTA_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testsupport.h"

#include "lakerewind/delta.h"
#include "lakerewind/str.h"

struct fx {
    char *dir;
    struct lr_store *store;
    struct lr_delta_table *table;
};

static inline void fx_open(struct fx *f, const char *dir)
{
    struct lr_error err;
    f->dir = strdup(dir);
    assert_int_equal(lr_store_open(&f->store, dir, NULL, &err), 0);
    assert_int_equal(lr_delta_table_open(&f->table, f->store, "", &err), 0);
}

static inline void fx_close(struct fx *f)
{
    lr_delta_table_close(f->table);
    lr_store_close(f->store);
    free(f->dir);
}

/* Write commit `version` from NULL-terminated lines; returns the put's code. */
static inline int fx_commit(struct fx *f, int64_t version, ...)
{
    struct lr_buf b = LR_BUF_INIT;
    va_list ap;
    va_start(ap, version);
    for (const char *l = va_arg(ap, const char *); l; l = va_arg(ap, const char *)) {
        lr_buf_append_str(&b, l, NULL);
        lr_buf_append(&b, "\n", 1, NULL);
    }
    va_end(ap);
    struct lr_error err;
    int rc = lr_delta_commit_put(f->table, version, (const char *)b.data, b.len, &err);
    lr_buf_free(&b);
    return rc;
}

#define FX_PROTOCOL "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}"

static inline char *fx_metadata(const char *id, const char *config_json)
{
    return lr_asprintf("{\"metaData\":{\"id\":\"%s\",\"format\":{\"provider\":\"parquet\","
                       "\"options\":{}},\"schemaString\":\"{\\\"type\\\":\\\"struct\\\","
                       "\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"long\\\","
                       "\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\",\"partitionColumns\":[],"
                       "\"configuration\":%s,\"createdTime\":1700000000000}}", id,
                       config_json ? config_json : "{}");
}

static inline char *fx_commit_info(const char *op)
{
    return lr_asprintf("{\"commitInfo\":{\"timestamp\":1700000000000,\"operation\":\"%s\","
                       "\"engineInfo\":\"fixture\"}}", op);
}

/* An add line; also writes `size` bytes at the path so file checks see it. */
static inline char *fx_add(struct fx *f, const char *path, int64_t size, int64_t records)
{
    char full[4096];
    snprintf(full, sizeof full, "%s/%s", f->dir, path);
    char *data = calloc(1, (size_t)size + 1);
    lr_test_write_file(full, data, (size_t)size);
    free(data);
    return lr_asprintf("{\"add\":{\"path\":\"%s\",\"partitionValues\":{},\"size\":%lld,"
                       "\"modificationTime\":1700000000000,\"dataChange\":true,"
                       "\"stats\":\"{\\\"numRecords\\\":%lld}\"}}", path, (long long)size,
                       (long long)records);
}

static inline char *fx_remove(const char *path, int64_t size)
{
    return lr_asprintf("{\"remove\":{\"path\":\"%s\",\"deletionTimestamp\":1700000000001,"
                       "\"dataChange\":true,\"extendedFileMetadata\":true,"
                       "\"partitionValues\":{},\"size\":%lld}}", path, (long long)size);
}

static inline void fx_snapshot(struct fx *f, int64_t version, struct lr_delta_snapshot *s)
{
    struct lr_error err;
    int rc = lr_delta_snapshot_open(s, f->table, version, &err);
    if (rc < 0)
        fprintf(stderr, "snapshot %lld: %s\n", (long long)version, err.message);
    assert_int_equal(rc, 0);
}

/* Whether two snapshots have the same live (path, dv) set. */
static inline int fx_same_files(const struct lr_delta_snapshot *a,
                                const struct lr_delta_snapshot *b)
{
    if (a->num_files != b->num_files)
        return 0;
    for (size_t i = 0; i < a->num_files; i++) {
        if (strcmp(a->files[i]->path, b->files[i]->path) != 0)
            return 0;
        const char *x = lr_delta_file_dv_id(a->files[i]), *y = lr_delta_file_dv_id(b->files[i]);
        x = x ? x : "";
        y = y ? y : "";
        if (strcmp(x, y) != 0)
            return 0;
    }
    return 1;
}

/* Whether two snapshots are the same table state: version, live files, tombstones, totals,
 * txns, commitInfo and metadata (assertions). */
static inline void fx_same_snapshot(const struct lr_delta_snapshot *x,
                                    const struct lr_delta_snapshot *y)
{
    assert_int_equal(x->version, y->version);
    assert_true(fx_same_files(x, y));
    assert_int_equal(x->num_tombstones, y->num_tombstones);
    for (size_t i = 0; i < x->num_tombstones; i++)
        assert_string_equal(x->tombstones[i]->path, y->tombstones[i]->path);
    assert_int_equal(x->num_records, y->num_records);
    assert_int_equal(x->size_bytes, y->size_bytes);
    assert_true(json_equal(x->txns, y->txns));
    assert_true(json_equal(x->commit_info, y->commit_info));
    assert_true(json_equal(x->metadata, y->metadata));
}

/* Plan and commit a restore to `target`; returns the commit's rc; *written gets the version. */
static inline int fx_restore(struct fx *f, int64_t target, const char *run_id, int64_t *written,
                      struct lr_delta_restore_plan *plan_out, struct lr_error *err)
{
    struct lr_delta_restore_plan plan;
    int rc = lr_delta_restore_plan_make(&plan, f->table, target, NULL, err);
    if (rc < 0)
        return rc;
    struct lr_delta_commit_options co = {0};
    co.run_id = run_id;
    co.operator_name = "tester";
    co.write_checkpoint = true;
    rc = lr_delta_restore_commit(f->table, &plan, &co, written, err);
    if (plan_out)
        *plan_out = plan;
    else
        lr_delta_restore_plan_free(&plan);
    return rc;
}

#endif
