/* validate.h - post-rollback validation of one table (step 7) as pure functions over facts,
 * producing DataValidation-shaped results and a quality score.
 *
 * Checks (ValidationType as in lakerewind-metadata(7), Severity when it fails, weight):
 *   RecordCount      Error    4  the table's record count equals the checkpoint's
 *   FileSet          Error    4  the live file set equals the checkpoint version's
 *   Schema           Error    4  the schema equals the checkpoint's (JSON-equal schemaString)
 *   NullPrimaryKeys  Error    2  per primary-key column: nullCount from stats (or footers) is 0
 *   TrackingColumns  Warning  1  per tracking column (e.g. SinkModifiedOn): max <= checkpoint time
 * A passed check has Severity "Info". A check whose facts are unknown (no stats, no checkpoint
 * count) is recorded as not evaluated: Passed = false, Severity "Warning", Actual "unknown",
 * and it counts half in the score.
 *
 * Quality score of a table = 100 * sum(weight * s) / sum(weight), with s = 1 for a pass, 0 for
 * a failure, 0.5 for not evaluated (100 when there are no checks). The table passes when no
 * evaluated check failed. The overall score is the mean of the table scores.
 *
 * Ownership: lr_validate_table fills a caller-owned struct freed with
 * lr_table_validation_free(); facts are borrowed for the call. */
#ifndef LAKEREWIND_VALIDATE_H
#define LAKEREWIND_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/error.h"

enum lr_validation_type {
    LR_VAL_RECORD_COUNT = 0,
    LR_VAL_FILE_SET,
    LR_VAL_SCHEMA,
    LR_VAL_NULL_PRIMARY_KEY,
    LR_VAL_TRACKING_COLUMN,
};

enum lr_severity { LR_SEV_ERROR = 0, LR_SEV_WARNING, LR_SEV_INFO };

struct lr_column_fact {
    const char *column;  /* borrowed */
    int64_t null_count;  /* primary keys: nulls across live files, -1 unknown */
    int64_t max_ms;      /* tracking columns: the maximum, ms since the epoch, -1 unknown */
    const char *source;  /* borrowed, may be NULL: where the count came from ("stats in 3
                            files, Parquet footers of 1, the column read in 1"), or why it is
                            unknown; appended to the check's Details */
};

struct lr_validation_facts {
    int64_t record_count;            /* now (after the restore), -1 unknown */
    int64_t checkpoint_record_count; /* as recorded in CheckpointHistory, -1 unknown */
    const char *const *live_files;   /* paths as in the log's add actions; any order */
    size_t live_file_count;
    const char *const *checkpoint_files; /* the checkpoint version's live paths */
    size_t checkpoint_file_count;
    bool has_file_sets;              /* false: the file-set check is not evaluated */
    const char *schema_now;          /* schemaString; NULL unknown */
    const char *schema_checkpoint;
    const struct lr_column_fact *primary_keys;
    size_t primary_key_count;
    const struct lr_column_fact *tracking;
    size_t tracking_count;
    int64_t checkpoint_time_ms;      /* the checkpoint version's commit time */
};

/* One DataValidation row. All strings owned. */
struct lr_validation {
    enum lr_validation_type type;
    char *column;     /* NULL for table-wide checks */
    char *expected;
    char *actual;
    bool passed;
    bool is_evaluated;
    enum lr_severity severity; /* Info when passed; else as in the table above */
    char *details;
};

struct lr_table_validation {
    char *table;
    struct lr_validation *items;
    size_t count;
    double quality_score; /* 0..100 */
    bool passed;
};

/* Run every check of `facts` for `table`. 0 or LR_ENOMEM. */
int lr_validate_table(struct lr_table_validation *out, const char *table,
                      const struct lr_validation_facts *facts, struct lr_error *err);
void lr_table_validation_free(struct lr_table_validation *v);

/* Mean of the table scores (100 for no tables). */
double lr_validation_overall(const struct lr_table_validation *tables, size_t count);

/* "RecordCount", "FileSet", "Schema", "NullPrimaryKeys", "TrackingColumns". Static storage. */
const char *lr_validation_type_name(enum lr_validation_type t);
/* "Error", "Warning", "Info". Static storage. */
const char *lr_severity_name(enum lr_severity s);

#endif
