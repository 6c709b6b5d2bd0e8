/* test_metadata.c - the five metadata tables' schemas (as product.md lists them), and appending
 * and reading them as real Delta tables on the local store: created on first use, one commit
 * per append, concurrent appenders both land, rows read back by our reader and by DuckDB
 * (reading the live Parquet files our log lists). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lakerewind/delta.h"
#include "lakerewind/metadata.h"
#include "lakerewind/str.h"
#include "testsupport.h"

static const char *expected_columns[LR_MD_TABLE_COUNT] = {
    "CheckpointId,CheckpointName,CheckpointType,TableName,DeltaVersion,CreatedDate,CreatedBy,"
    "IsActive,ValidationStatus,RetentionDays,ExpiryDate,RecordCount,FileCount,SizeBytes,Notes,"
    "PipelineRunId",
    "LogId,PipelineRunId,Operation,TableName,Status,RecordsAffected,StartTime,EndTime,DurationMs,"
    "ExecutedBy,CheckpointName,IsDryRun,ErrorMessage,Details",
    "ValidationId,PipelineRunId,TableName,ValidationType,Expected,Actual,Passed,Severity,Details,"
    "ValidatedAt",
    "SnapshotId,PipelineRunId,SnapshotType,TableName,DeltaVersion,RecordCount,FileCount,"
    "SizeBytes,SchemaHash,CapturedAt",
    "ReportId,PipelineRunId,CheckpointName,TableName,PreRollbackCount,PostRollbackCount,"
    "CheckpointCount,Difference,QualityScore,Status,GeneratedAt",
};

static void test_metadata_schemas_match_product_md(void **state)
{
    (void)state;
    const char *names[] = {"CheckpointHistory", "SyncAuditLog", "DataValidation",
                           "RollbackStateSnapshots", "RollbackComparisonReports"};
    for (int i = 0; i < LR_MD_TABLE_COUNT; i++) {
        const struct lr_table_def *d = lr_md_table_def((enum lr_md_table)i);
        assert_string_equal(d->name, names[i]);
        assert_ptr_equal(lr_md_table_find(names[i]), d);
        char joined[1024] = "";
        for (size_t c = 0; c < d->column_count; c++) {
            if (c)
                strcat(joined, ",");
            strcat(joined, d->columns[c].name);
            assert_non_null(d->columns[c].doc);
        }
        assert_string_equal(joined, expected_columns[i]);
        char *schema = lr_table_def_schema_string(d);
        json_error_t jerr;
        json_t *j = json_loads(schema, 0, &jerr);
        assert_non_null(j);
        assert_int_equal(json_array_size(json_object_get(j, "fields")), d->column_count);
        json_decref(j);
        free(schema);
    }
    const struct lr_table_def *cp = lr_md_table_def(LR_MD_CHECKPOINT_HISTORY);
    assert_string_equal(lr_col_type_name(cp->columns[4].type), "long");
    assert_string_equal(lr_col_type_name(cp->columns[5].type), "timestamp");
    assert_string_equal(lr_col_type_name(cp->columns[7].type), "boolean");
    assert_string_equal(lr_col_type_name(cp->columns[9].type), "integer");
    assert_null(lr_md_table_find("Nope"));
}

static struct lr_store *open_store(char **dir_out)
{
    char *dir = lr_test_tmpdir("metadata");
    struct lr_store *s = NULL;
    struct lr_error err;
    if (lr_store_open(&s, dir, NULL, &err) < 0)
        fail_msg("open: %s", err.message);
    *dir_out = dir;
    return s;
}

static json_t *audit_row(const char *id, const char *op, bool dry, json_int_t n)
{
    return json_pack("{s:s,s:s,s:s,s:n,s:s,s:I,s:s,s:s,s:I,s:s,s:s,s:b,s:n,s:s}", "LogId", id,
                     "PipelineRunId", "run-1", "Operation", op, "TableName", "Status",
                     "Succeeded", "RecordsAffected", n, "StartTime", "2025-01-15T10:00:00.000Z",
                     "EndTime", "2025-01-15T10:00:01.500Z", "DurationMs", (json_int_t)1500,
                     "ExecutedBy", "alice", "CheckpointName", "cp-1", "IsDryRun", dry,
                     "ErrorMessage", "Details", "{\"tables\":3}");
}

static void test_metadata_append_creates_then_appends_and_reads_back(void **state)
{
    (void)state;
    char *dir;
    struct lr_store *s = open_store(&dir);
    struct lr_error err;
    json_t *rows = json_array();
    json_array_append_new(rows, audit_row("a", "ImpactAnalysis", true, 3));
    json_array_append_new(rows, audit_row("b", "DryRun", true, 0));
    assert_int_equal(lr_md_append(s, NULL, LR_MD_SYNC_AUDIT_LOG, rows, NULL, &err), 0);
    json_decref(rows);
    rows = json_array();
    json_array_append_new(rows, audit_row("c", "RollbackCompleted", false, 250));
    assert_int_equal(lr_md_append(s, NULL, LR_MD_SYNC_AUDIT_LOG, rows, NULL, &err), 0);
    json_decref(rows);

    /* A real Delta table: version 0 creates it append-only, version 1 appends. */
    struct lr_delta_table *t = NULL;
    assert_int_equal(lr_delta_table_open(&t, s, "Tables/metadata/SyncAuditLog", &err), 0);
    struct lr_delta_snapshot snap;
    assert_int_equal(lr_delta_snapshot_open(&snap, t, -1, &err), 0);
    assert_int_equal(snap.version, 1);
    assert_int_equal(snap.num_files, 2);
    assert_int_equal(snap.num_records, 3);
    assert_string_equal(lr_delta_snapshot_config(&snap, "delta.appendOnly"), "true");
    lr_delta_snapshot_free(&snap);
    lr_delta_table_close(t);

    json_t *back = NULL;
    assert_int_equal(lr_md_read(s, NULL, LR_MD_SYNC_AUDIT_LOG, &back, &err), 0);
    assert_int_equal(json_array_size(back), 3);
    bool seen_c = false;
    size_t i;
    json_t *row;
    json_array_foreach(back, i, row) {
        if (strcmp(json_string_value(json_object_get(row, "LogId")), "c") == 0) {
            seen_c = true;
            assert_int_equal(json_integer_value(json_object_get(row, "RecordsAffected")), 250);
            assert_true(json_is_false(json_object_get(row, "IsDryRun")));
            assert_true(json_is_null(json_object_get(row, "TableName")));
            const char *st = json_string_value(json_object_get(row, "StartTime"));
            assert_non_null(st);
            assert_true(strncmp(st, "2025-01-15T10:00:00", 19) == 0);
        }
    }
    assert_true(seen_c);
    json_decref(back);

    /* An empty metadata table reads as no rows. */
    assert_int_equal(lr_md_read(s, NULL, LR_MD_DATA_VALIDATION, &back, &err), 0);
    assert_int_equal(json_array_size(back), 0);
    json_decref(back);
    lr_store_close(s);
    free(dir);
}

static void test_metadata_refuses_null_in_required_column(void **state)
{
    (void)state;
    char *dir;
    struct lr_store *s = open_store(&dir);
    struct lr_error err;
    json_t *rows = json_pack("[{s:s}]", "LogId", "x");
    assert_true(lr_md_append(s, NULL, LR_MD_SYNC_AUDIT_LOG, rows, NULL, &err) < 0);
    assert_non_null(strstr(err.message, "Operation"));
    json_decref(rows);
    lr_store_close(s);
    free(dir);
}

struct appender {
    struct lr_store *store;
    int id;
    int failures;
};

static void *append_many(void *arg)
{
    struct appender *a = arg;
    for (int i = 0; i < 8; i++) {
        char id[32];
        snprintf(id, sizeof id, "w%d-%d", a->id, i);
        json_t *rows = json_array();
        json_array_append_new(rows, audit_row(id, "TableRestore", false, i));
        struct lr_error err;
        if (lr_md_append(a->store, "meta", LR_MD_SYNC_AUDIT_LOG, rows, NULL, &err) < 0)
            a->failures++;
        json_decref(rows);
    }
    return NULL;
}

static void test_metadata_concurrent_appenders_both_land(void **state)
{
    (void)state;
    char *dir;
    struct lr_store *s = open_store(&dir);
    struct appender a[2] = {{s, 0, 0}, {s, 1, 0}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, append_many, &a[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(a[0].failures + a[1].failures, 0);
    json_t *back = NULL;
    struct lr_error err;
    assert_int_equal(lr_md_read(s, "meta", LR_MD_SYNC_AUDIT_LOG, &back, &err), 0);
    assert_int_equal(json_array_size(back), 16);
    json_decref(back);
    lr_store_close(s);
    free(dir);
}

static void test_metadata_read_back_by_duckdb(void **state)
{
    (void)state;
    const char *src = getenv("LR_SOURCE_DIR");
    char tool[4096];
    snprintf(tool, sizeof tool, "%s/tests/support/node_modules/@duckdb", src ? src : ".");
    struct stat st;
    if (!src || stat(tool, &st) != 0) {
        print_message("DuckDB is not installed (run ./dev deps): skipping the DuckDB read-back\n");
        skip();
    }
    char *dir;
    struct lr_store *s = open_store(&dir);
    struct lr_error err;
    json_t *rows = json_array();
    json_array_append_new(rows, json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:s,s:s}",
                                          "SnapshotId", "s1", "PipelineRunId", "run-9",
                                          "SnapshotType", "PreRollback", "TableName", "account",
                                          "DeltaVersion", (json_int_t)57, "RecordCount",
                                          (json_int_t)1200, "FileCount", (json_int_t)10,
                                          "SizeBytes", (json_int_t)50000, "SchemaHash", "abc",
                                          "CapturedAt", "2025-01-15T10:00:00.250Z"));
    assert_int_equal(lr_md_append(s, NULL, LR_MD_STATE_SNAPSHOTS, rows, NULL, &err), 0);
    json_decref(rows);
    /* The live files our log lists. */
    struct lr_delta_table *t = NULL;
    assert_int_equal(lr_delta_table_open(&t, s, "Tables/metadata/RollbackStateSnapshots", &err),
                     0);
    struct lr_delta_snapshot snap;
    assert_int_equal(lr_delta_snapshot_open(&snap, t, -1, &err), 0);
    char list[8192] = "";
    for (size_t i = 0; i < snap.num_files; i++) {
        char item[1024];
        snprintf(item, sizeof item, "%s'%s/Tables/metadata/RollbackStateSnapshots/%s'",
                 i ? "," : "", dir, snap.files[i]->path);
        strncat(list, item, sizeof list - strlen(list) - 1);
    }
    lr_delta_snapshot_free(&snap);
    lr_delta_table_close(t);
    char cmd[16384];
    snprintf(cmd, sizeof cmd,
             "node %s/tests/support/duckdb.js \"SELECT TableName, DeltaVersion, RecordCount, "
             "SnapshotType, CapturedAt FROM read_parquet([%s])\"",
             src, list);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[1024] = "";
    assert_non_null(fgets(line, sizeof line, p));
    assert_int_equal(pclose(p), 0);
    json_error_t jerr;
    json_t *row = json_loads(line, 0, &jerr);
    assert_non_null(row);
    assert_string_equal(json_string_value(json_object_get(row, "TableName")), "account");
    assert_int_equal(json_integer_value(json_object_get(row, "DeltaVersion")), 57);
    assert_int_equal(json_integer_value(json_object_get(row, "RecordCount")), 1200);
    assert_string_equal(json_string_value(json_object_get(row, "CapturedAt")),
                        "2025-01-15T10:00:00.25Z");
    json_decref(row);
    lr_store_close(s);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metadata_schemas_match_product_md),
        cmocka_unit_test(test_metadata_append_creates_then_appends_and_reads_back),
        cmocka_unit_test(test_metadata_refuses_null_in_required_column),
        cmocka_unit_test(test_metadata_concurrent_appenders_both_land),
        cmocka_unit_test(test_metadata_read_back_by_duckdb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
