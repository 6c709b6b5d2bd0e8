/* metadata.h - the five metadata tables (product.md, lakerewind-metadata(7)) as data, and
 * writing/reading small Delta tables with our own Parquet writer and reader.
 *
 * The tables live under the lakehouse's metadata location (default "Tables/metadata"):
 * CheckpointHistory, SyncAuditLog, DataValidation, RollbackStateSnapshots,
 * RollbackComparisonReports. They are ordinary append-only Delta tables (delta.appendOnly =
 * true, protocol 1/2): created on first append, one Parquet file + one commit per append,
 * readable by Spark, Fabric, DuckDB, delta-rs.
 *
 * Rows are jansson objects keyed by column name: strings, integers, booleans, reals, and
 * timestamps as "YYYY-MM-DDTHH:MM:SS.mmmZ" strings (UTC) or integers (microseconds); a missing
 * key or null is null (refused for a non-nullable column, naming table, row and column).
 *
 * Ownership: schemas are static; rows arrays handed in are borrowed; rows read are a new
 * reference the caller releases with json_decref(). */
#ifndef LAKEREWIND_METADATA_H
#define LAKEREWIND_METADATA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/error.h"
#include "lakerewind/store.h"

#define LR_METADATA_DEFAULT_LOCATION "Tables/metadata"

/* Delta primitive types used by the metadata tables (and by test tables). */
enum lr_col_type {
    LR_COL_STRING = 0,
    LR_COL_LONG,
    LR_COL_INTEGER,
    LR_COL_BOOLEAN,
    LR_COL_DOUBLE,
    LR_COL_TIMESTAMP,
};

struct lr_column_def {
    const char *name;
    enum lr_col_type type;
    bool is_nullable;
    const char *doc;
};

struct lr_table_def {
    const char *name;      /* "CheckpointHistory" */
    const char *row_per;   /* "named checkpoint and table" */
    const struct lr_column_def *columns;
    size_t column_count;
};

enum lr_md_table {
    LR_MD_CHECKPOINT_HISTORY = 0,
    LR_MD_SYNC_AUDIT_LOG,
    LR_MD_DATA_VALIDATION,
    LR_MD_STATE_SNAPSHOTS,
    LR_MD_COMPARISON_REPORTS,
};
#define LR_MD_TABLE_COUNT 5

/* The schema of one metadata table. Static storage. */
const struct lr_table_def *lr_md_table_def(enum lr_md_table which);
/* By name (exact); NULL when unknown. */
const struct lr_table_def *lr_md_table_find(const char *name);
/* Delta type name: "string", "long", "integer", "boolean", "double", "timestamp". */
const char *lr_col_type_name(enum lr_col_type t);

/* The Delta schemaString of a table definition (compact JSON). Caller frees; NULL on ENOMEM. */
char *lr_table_def_schema_string(const struct lr_table_def *def);

/* Options for lr_table_append_rows. Zero-initialise. */
struct lr_append_options {
    bool is_append_only;     /* create with delta.appendOnly = true */
    const char *operation;   /* commitInfo.operation, default "WRITE" */
    const char *run_id;      /* recorded as commitInfo.txnId and tags.lakerewindRunId */
    const char *operator_name; /* commitInfo.userName */
    int max_attempts;        /* commit retries when another writer took the version; 0 = 10 */
};

/* Append `rows` (a JSON array of objects) to the Delta table at `prefix` in `store` as one
 * Parquet file and one commit, creating the table (protocol 1/2, metaData with the schema of
 * `def`) when it has no log yet. Another writer taking the version is retried at the next one
 * (blind appends do not conflict). *version_out (may be NULL) = the version written. An empty
 * array writes nothing and returns 0 (version_out = -1). */
int lr_table_append_rows(struct lr_store *store, const char *prefix,
                         const struct lr_table_def *def, json_t *rows,
                         const struct lr_append_options *opts, int64_t *version_out,
                         struct lr_error *err);

/* Remove data files from the table (a commit of remove actions, as a DELETE that drops whole
 * files does). `paths` as in the log. For test "bad syncs" and demos. */
int lr_table_remove_files(struct lr_store *store, const char *prefix, const char *const *paths,
                          size_t count, const struct lr_append_options *opts,
                          int64_t *version_out, struct lr_error *err);

/* Every row of the table's latest version, from the live Parquet files the log lists, as a new
 * JSON array (file order, then row order). A table without a log is an empty array. */
int lr_table_read_rows(struct lr_store *store, const char *prefix, json_t **rows_out,
                       struct lr_error *err);

/* Metadata-table conveniences: the prefix is <location>/<TableName>; `location` NULL means
 * LR_METADATA_DEFAULT_LOCATION. */
int lr_md_append(struct lr_store *store, const char *location, enum lr_md_table which,
                 json_t *rows, const struct lr_append_options *opts, struct lr_error *err);
int lr_md_read(struct lr_store *store, const char *location, enum lr_md_table which,
               json_t **rows_out, struct lr_error *err);

/* One SyncAuditLog row. Strings borrowed; -1 / NULL become null. */
struct lr_audit_entry {
    const char *run_id;
    const char *operation;   /* CheckpointCreated, ImpactAnalysis, DryRun, ... */
    const char *table;
    const char *status;      /* Started, Succeeded, Failed, Skipped, Refused */
    int64_t records;
    int64_t start_ms;
    int64_t end_ms;
    const char *executed_by;
    const char *checkpoint;
    bool is_dry_run;
    const char *error;
    json_t *details;         /* borrowed object, serialised into Details; NULL = null */
};

/* The row (a new reference) with a fresh LogId; NULL on ENOMEM or RNG failure. */
json_t *lr_audit_row(const struct lr_audit_entry *e);

/* One SyncAuditLog row read back. Strings owned (NULL for null cells); -1 for null numbers
 * and times. */
struct lr_audit_step {
    char *run_id;
    char *operation;
    char *table;
    char *status;
    char *executed_by;
    char *checkpoint;
    char *error;
    int64_t records;
    int64_t start_ms;
    int64_t end_ms;
    int64_t duration_ms;
    bool is_dry_run;
};
struct lr_audit_steps {
    struct lr_audit_step *items; /* owned, by start time then end time */
    size_t count;
};
/* The SyncAuditLog rows of run `run_id` (NULL: every row) under `location` (NULL: the default
 * metadata location), oldest first. A missing table is no rows. Caller frees with
 * lr_audit_steps_free(). */
int lr_audit_read(struct lr_store *store, const char *location, const char *run_id,
                  struct lr_audit_steps *out, struct lr_error *err);
void lr_audit_steps_free(struct lr_audit_steps *s);

/* "2025-01-15T10:00:00.123Z" for a row from ms since the epoch; JSON null when ms < 0. */
json_t *lr_md_time(int64_t ms);
/* Milliseconds from a timestamp cell read back (ISO string or integer microseconds); -1 when
 * null or unparseable. */
int64_t lr_md_time_ms(json_t *cell);

#endif
