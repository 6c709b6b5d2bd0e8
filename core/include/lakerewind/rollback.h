/* rollback.h - a rollback run end to end (product.md's nine steps) over a real lakehouse:
 * validate the checkpoint, analyse the impact, stop for a dry run, check the typed
 * confirmation, journal + pre-rollback snapshot, restore every table (one atomic Delta commit
 * each, in parallel), validate, write the post-rollback checkpoint, the comparison report and
 * the audit rows, notify. Progress goes out as events (event.h); the run state machine and its
 * invariants are in core/workflow/run.c.
 *
 * Ownership: lr_rollback_run fills a caller-owned struct lr_run_result freed with
 * lr_run_result_free(); requests and config are borrowed for the call. */
#ifndef LAKEREWIND_ROLLBACK_H
#define LAKEREWIND_ROLLBACK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/checkpoint.h"
#include "lakerewind/event.h"
#include "lakerewind/impact.h"
#include "lakerewind/notify.h"
#include "lakerewind/risk.h"
#include "lakerewind/validate.h"

/* Primary-key columns of one table (from the config). */
struct lr_table_columns {
    const char *table;
    const char *const *columns;
    size_t count;
};

/* What the profile says (everything borrowed; zero = defaults). */
struct lr_rollback_config {
    const struct lr_risk_thresholds *thresholds;   /* NULL: defaults */
    const struct lr_relationship *relationships;
    size_t relationship_count;
    const struct lr_table_columns *primary_keys;
    size_t primary_key_count;
    const char *const *tracking_columns;           /* e.g. SinkModifiedOn */
    size_t tracking_column_count;
    const char *const *streaming_tables;           /* tables read by streaming/CDF consumers */
    size_t streaming_table_count;
    const char *runs_prefix;                       /* NULL: LR_JOURNAL_DEFAULT_PREFIX */
    int parallel;                                  /* 0: 4 */
    int64_t post_rollback_retention_days;          /* 0: 30 */
    struct lr_notify_options notify;               /* url NULL: no notifications */
};

struct lr_rollback_request {
    const char *checkpoint;
    const char *const *tables; /* scope within the checkpoint; NULL/0 = all its tables */
    size_t table_count;
    bool execute;              /* false: dry run */
    const char *confirm;       /* the typed phrase (execute; a rehearsal checks it when given) */
    /* With execute false: rehearse, i.e. a dry run through EVERY step with the same events as
     * an execution: the phrase checked (when given), every table snapshotted, its restore
     * commit built, checked against the table's current version (conflict) and applied in
     * memory, the would-be state validated (record count, file set, schema, keys, tracking
     * columns) -- and nothing written but audit rows marked IsDryRun (run.c invariant 9): no
     * journal, no table commit, no post-rollback checkpoint. Status: dry-run; what the real
     * run would have ended as is in lr_run_result.rehearsal_outcome. Ignored with execute. */
    bool rehearse;
    /* May be NULL. Set (from any thread) to stop an executing run: no new table restore starts,
     * restores in flight finish their atomic commit, and the run ends LR_RUN_INTERRUPTED with
     * its journal left open (run.c invariant 10): the next start finds it to resume or undo. */
    const atomic_bool *cancel;
};

struct lr_table_result {
    char *name;
    enum lr_table_state state;     /* DONE, FAILED, SKIPPED (QUEUED in a dry run) */
    int64_t pre_version;
    int64_t target_version;
    int64_t version_written;       /* -1 none */
    int64_t version_rehearsed;     /* a rehearsal: the version the commit would have taken
                                      (never written); -1 none */
    int64_t rows_before;           /* -1 unknown */
    int64_t rows_after;            /* -1 unknown */
    int64_t checkpoint_rows;       /* -1 unknown */
    bool has_validation;
    struct lr_table_validation validation;
    char *error;                   /* FAILED / SKIPPED: why */
};

struct lr_run_result {
    char run_id[40];
    enum lr_run_status status;
    char *checkpoint;
    bool has_impact;
    struct lr_impact impact;       /* when has_impact */
    char *refusal;                 /* REFUSED: why (one line) */
    struct lr_table_result *tables;
    size_t table_count;
    double quality_score;          /* overall, executed and rehearsed runs */
    bool is_rehearsal;             /* a dry run through every step (status dry-run) */
    enum lr_run_status rehearsal_outcome; /* a rehearsal: what the run would have ended as
                                             (succeeded / partial / failed) */
    char *post_rollback_checkpoint;
    struct lr_strvec warnings;     /* notification failures, report-writing failures, ... */
};
void lr_run_result_free(struct lr_run_result *r);

/* Run a rollback. Returns 0 when the run reached an end (see out->status: dry-run, refused,
 * succeeded, partial, failed) and a negative code only when it could not run at all (store
 * unreachable, metadata unreadable) before writing anything. `em` may be NULL. */
int lr_rollback_run(const struct lr_lakehouse_ctx *ctx, const struct lr_rollback_config *cfg,
                    const struct lr_rollback_request *req, struct lr_emitter *em,
                    struct lr_run_result *out, struct lr_error *err);

struct lr_undo_request {
    const char *run_id;        /* the run to reverse */
    bool execute;              /* false: show the undo's impact and phrase */
    const char *confirm;
    const atomic_bool *cancel; /* may be NULL; as in lr_rollback_request */
    /* lr_undo_run with execute false: rehearse the undo exactly as lr_rollback_request.rehearse
     * rehearses a rollback (phrase checked when given, snapshots, every restore commit built
     * and checked, the would-be state validated against the pre-rollback versions) and write
     * nothing but audit rows marked IsDryRun. Ignored with execute, and by lr_resume_run. */
    bool rehearse;
};

/* Undo a run: every table the run restored goes back to its pre-rollback version, itself a run
 * (kind undo, its own run id and journal) with the same safeguards: an impact document with its
 * own phrase ("UNDO n TABLES OF RUN xxxxxxxx digest"), a table that another writer changed
 * after the run is skipped and reported, never restored over. The run's journal says what it
 * did; its commits are recognised in the logs by their run id, so an interrupted run can be
 * undone too. Returns like lr_rollback_run. */
int lr_undo_run(const struct lr_lakehouse_ctx *ctx, const struct lr_rollback_config *cfg,
                const struct lr_undo_request *req, struct lr_emitter *em,
                struct lr_run_result *out, struct lr_error *err);

/* Resume an interrupted run (same run id, its journal continued): tables still at their
 * pre-rollback version are restored, commits that landed but were never journaled are
 * recorded, restored tables are validated, and the report is written. Needs its own phrase
 * ("RESUME n TABLES OF RUN xxxxxxxx digest") like any write. `req->run_id` is the run. */
int lr_resume_run(const struct lr_lakehouse_ctx *ctx, const struct lr_rollback_config *cfg,
                  const struct lr_undo_request *req, struct lr_emitter *em,
                  struct lr_run_result *out, struct lr_error *err);

/* The run summary of product.md: {"run_id","status","tables":[{"name","status",
 * "version_written","quality_score","validations":[{"type","passed","expected","actual"}]}],
 * "post_rollback_checkpoint"} (+ "checkpoint", "refusal", "warnings" after). Caller frees. */
char *lr_run_result_to_json(const struct lr_run_result *r);

#endif
