/* impact.h - the impact of rolling tables back to a checkpoint, per table and in total, and its
 * JSON document (product.md "Shapes scripts rely on").
 *
 * Pure logic. The inputs are plain structs filled by whoever reads the tables (the Delta engine:
 * the snapshot at the current version and at the checkpoint version, the commits in between,
 * and the restore plan's metrics); the outputs are owned structs and a JSON document. Nothing
 * here opens a store.
 *
 * Ownership: lr_impact_build() fills a caller-owned struct lr_impact freed with
 * lr_impact_free(); everything inside it is owned by it. Input structs are borrowed for the call. */
#ifndef LAKEREWIND_IMPACT_H
#define LAKEREWIND_IMPACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/confirm.h"
#include "lakerewind/error.h"
#include "lakerewind/risk.h"
#include "lakerewind/str.h"

/* What a snapshot of one table version tells the impact analysis. -1 = unknown. */
struct lr_snapshot_summary {
    int64_t version;
    int64_t timestamp_ms;       /* the version's commit time */
    int64_t num_files;
    int64_t size_bytes;
    int64_t num_records;        /* -1 when any live file lacks stats */
    const char *schema_string;  /* metadata.schemaString, borrowed; NULL when unknown */
    bool is_append_only;        /* delta.appendOnly = true at this version */
    bool has_cdf;               /* delta.enableChangeDataFeed = true at this version */
};

/* One commit that the rollback would undo (versions target+1 .. current). */
struct lr_commit_summary {
    int64_t version;
    int64_t timestamp_ms;
    const char *operation;  /* commitInfo.operation ("WRITE", "MERGE", ...), NULL if none */
    const char *engine;     /* commitInfo.engineInfo, NULL if none */
    const char *user;       /* commitInfo.userName / userId, NULL if none */
};

/* What the restore plan (current -> target) would do. -1 = unknown. */
struct lr_restore_metrics {
    int64_t files_to_add;     /* files of the target version not live now: added back */
    int64_t files_to_remove;  /* files live now not in the target version: removed */
    int64_t bytes_to_add;
    int64_t bytes_to_remove;
    int64_t rows_to_add;      /* rows in the files added back (from stats) */
    int64_t rows_to_remove;   /* rows in the files removed */
    int64_t missing_files;    /* files to add back that no longer exist in the store */
};

/* One table's input. `blockers` are reasons the table cannot be restored as planned ("version
 * 41 is no longer reconstructable", "unsupported writer feature X"); the analysis adds its own
 * (missing files, append-only). */
struct lr_impact_input {
    const char *name;
    struct lr_snapshot_summary now;
    struct lr_snapshot_summary then;
    const struct lr_commit_summary *commits; /* any order */
    size_t commit_count;
    struct lr_restore_metrics plan;
    const char *const *blockers;
    size_t blocker_count;
    bool has_streaming_readers; /* from the config */
    /* Resume: the interrupted run already restored this table (its RESTORE commit is `now`);
     * shown as 0 commits undone, nothing to add or remove, Low with that reason. */
    bool is_already_restored;
};

/* A relationship from the config: `table` and `related` should be rolled back together. */
struct lr_relationship {
    const char *table;
    const char *related;
};

struct lr_impact_options {
    const char *run_id;      /* borrowed */
    const char *checkpoint;  /* borrowed: the checkpoint, or the run undone/resumed */
    enum lr_plan_kind kind;  /* ROLLBACK (0) unless undoing or resuming a run */
    bool is_dry_run;
    const struct lr_risk_thresholds *thresholds; /* NULL: defaults */
    const struct lr_relationship *relationships;
    size_t relationship_count;
    const char *const *known_tables; /* every table of the lakehouse/checkpoint (for related-
                                        table warnings: only tables that exist are named) */
    size_t known_table_count;        /* 0: every related table counts as known */
};

struct lr_count_by {
    char *key;      /* owned: operation or writer ("unknown" when the commit names none) */
    int64_t count;
};

struct lr_table_impact {
    char *name;
    int64_t current_version;
    int64_t target_version;
    int64_t rows_now;        /* -1 unknown */
    int64_t rows_then;       /* -1 unknown */
    int64_t delta_rows;      /* rows_now - rows_then; 0 when either is unknown */
    bool delta_rows_known;
    int64_t files_now;
    int64_t files_then;
    int64_t bytes_now;
    int64_t bytes_then;
    int64_t files_to_add;
    int64_t files_to_remove;
    int64_t bytes_to_add;
    int64_t bytes_to_remove;
    int64_t commits_undone;
    int64_t first_undone_ms; /* earliest undone commit's time, -1 when none */
    int64_t last_undone_ms;
    int64_t time_span_ms;    /* last - first, 0 with one commit, -1 when none */
    struct lr_count_by *by_operation; /* owned; sorted by count desc, then key */
    size_t by_operation_count;
    struct lr_count_by *by_writer;    /* writer = "user via engine" or whichever is known */
    size_t by_writer_count;
    bool schema_changed;
    bool has_cdf;
    bool has_streaming_readers;
    struct lr_strvec blockers;  /* owned */
    struct lr_strvec warnings;  /* owned: CDF/streaming, unknown counts */
    bool is_already_restored;   /* resume: restored at current_version before the interruption,
                                   validation still to do (JSON "already_restored": true) */
    struct lr_risk risk;        /* owned */
};

struct lr_impact_totals {
    size_t tables;
    int64_t delta_rows;
    int64_t files_to_add;
    int64_t files_to_remove;
    int64_t bytes_to_add;
    int64_t bytes_to_remove;
    int64_t commits_undone;
    size_t high;
    size_t medium;
    size_t low;
    size_t blocked;  /* tables with at least one blocker */
};

struct lr_impact {
    char *run_id;
    char *checkpoint;        /* the checkpoint, or for undo/resume the run acted on */
    enum lr_plan_kind kind;
    bool is_dry_run;
    char plan_digest[LR_DIGEST_LEN + 1];
    char *confirmation_phrase;
    struct lr_table_impact *tables; /* owned; sorted by name */
    size_t table_count;
    struct lr_impact_totals totals;
    struct lr_strvec warnings;      /* owned: related tables left out of scope, ... */
};

/* Build the impact of rolling `inputs` back (one per table in scope) and its digest and phrase.
 * Errors: LR_EINVAL (a table without a name, a duplicate, target newer than current),
 * LR_ENOMEM. */
int lr_impact_build(struct lr_impact *out, const struct lr_impact_input *inputs, size_t count,
                    const struct lr_impact_options *opts, struct lr_error *err);
void lr_impact_free(struct lr_impact *impact);

/* The plan (for lr_plan_digest / lr_confirm_check) of a built impact; `tables` must have room
 * for impact->table_count entries and borrows the impact's names. */
void lr_impact_plan(const struct lr_impact *impact, struct lr_plan *plan,
                    struct lr_plan_table *tables);
/* lr_confirm_check of `typed` against the impact's plan and digest (what every confirmation
 * dialog and the workflow's step 4 do). LR_CONFIRM_MALFORMED with "out of memory" when the plan
 * cannot be built. */
enum lr_confirm_verdict lr_impact_confirm_check(const struct lr_impact *impact,
                                                const char *typed, char *why, size_t cap);

/* The impact document as product.md shows it: run_id, checkpoint, dry_run, plan_digest,
 * confirmation_phrase, tables[{name, current_version, target_version, rows_now, rows_then,
 * delta_rows, files_to_add, files_to_remove, bytes_to_add, bytes_to_remove, commits_undone,
 * risk, reasons, blockers}], totals{tables, delta_rows, files_to_add, files_to_remove}. Those
 * keys come first and in that order; after them each table carries the detail the issue asks
 * for (commits_by_operation, commits_by_writer, first_undone, last_undone, time_span_ms,
 * schema_changed, warnings), totals carry bytes/commits/risk counts, and the document ends with
 * "warnings" (related tables left out of scope) and "kind" (rollback, undo, resume; for undo
 * and resume "checkpoint" holds the run acted on). Unknown counts are null.
 * Returns a malloc'd, pretty-printed (indent 2) string the caller frees; NULL on ENOMEM. */
char *lr_impact_to_json(const struct lr_impact *impact);

#endif
