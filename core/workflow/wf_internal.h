/* wf_internal.h - what the rollback orchestration files share (analyse.c, execute.c,
 * report.c, rollback.c): one struct per table in scope, holding the Delta handles, the two
 * snapshots, the restore plan, the undone commits and the table's result. Not public. */
#ifndef LR_WF_INTERNAL_H
#define LR_WF_INTERNAL_H

#include "lakerewind/delta.h"
#include "lakerewind/journal.h"
#include "lakerewind/rollback.h"
#include "lakerewind/run.h"

struct wf_table {
    const struct lr_checkpoint_table *cpt; /* borrowed from the checkpoint */
    char *prefix;
    struct lr_delta_table *t;
    struct lr_delta_snapshot cur;
    bool has_cur;
    struct lr_delta_snapshot tgt;
    bool has_tgt;
    struct lr_delta_snapshot post;     /* after the restore, read by the validation */
    bool has_post;
    struct lr_delta_restore_plan plan;
    bool has_plan;
    bool is_noop;                      /* already at the checkpoint version */
    bool is_recorded;                  /* resume: restored before the interruption but not
                                          journaled; record it */
    bool is_already_restored;          /* resume: restored before the interruption (VALIDATE
                                          or RECORD): analysed as such, no restore plan */
    struct lr_delta_history hist;
    bool has_hist;
    struct lr_commit_summary *commits; /* borrowed strings from hist */
    size_t commit_count;
    struct lr_strvec blockers;         /* owned */
    struct lr_delta_snapshot after;    /* a rehearsal: the state the restore commit would
                                          produce (built in memory) */
    bool has_after;
    struct lr_table_result *res;       /* borrowed: the run result's entry */
    int64_t started_ms;                /* monotonic, when the table left QUEUED */
};

/* Analyse one table against its checkpoint entry. A table-level problem (unreadable log,
 * version gone, missing files) becomes a blocker, not an error: only ENOMEM and store outages
 * of the whole lakehouse are returned. */
int wf_analyse_table(struct wf_table *w, const struct lr_lakehouse_ctx *ctx,
                     struct lr_error *err);
void wf_table_free(struct wf_table *w);
/* The impact input of an analysed table (borrows from w). */
void wf_impact_input(const struct wf_table *w, struct lr_impact_input *in);

/* Restore every table not blocked, `parallel` at a time, journaling each (execute.c). */
struct wf_run {
    const struct lr_lakehouse_ctx *ctx;
    const struct lr_rollback_config *cfg;
    struct lr_emitter *em;
    struct lr_journal *journal;
    const char *run_id;
    const char *checkpoint;
    struct wf_table *tables;
    size_t count;
    bool is_rehearsal;         /* build and check each commit, apply it in memory; no writes */
    const atomic_bool *cancel; /* may be NULL: when set, no new table restore starts */
};
void wf_restore_all(struct wf_run *run);
/* Post-validate every restored table (execute.c). */
void wf_validate_all(struct wf_run *run);
/* What the tables of a run came to, after validation: counts by end state, validations that
 * failed, and the rows the restores change (both ways; -1 rows are left out). Also sets
 * out->quality_score, the mean over the validated tables (execute.c). */
struct wf_tally {
    size_t done, failed, skipped, invalid;
    int64_t rows_changed;
};
void wf_tally(struct lr_run_result *out, struct wf_tally *t);

/* Metadata rows (report.c). Failures become warnings in `out`. */
void wf_write_state_snapshots(struct wf_run *run, bool is_post, struct lr_run_result *out);
void wf_write_report(struct wf_run *run, struct lr_run_result *out, int64_t started_ms);
void wf_audit(const struct lr_lakehouse_ctx *ctx, const char *run_id, const char *checkpoint,
              const char *operation, const char *table, const char *status, int64_t records,
              int64_t start_ms, bool is_dry_run, const char *error, json_t *details,
              struct lr_run_result *out);
void wf_warn(struct lr_run_result *out, struct lr_emitter *em, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The orchestration state of one run (rollback.c, undo.c). */
struct wf_orch {
    const struct lr_lakehouse_ctx *ctx;
    const struct lr_rollback_config *cfg;
    struct lr_emitter *em;
    struct lr_run_result *out;
    enum lr_run_kind kind;
    const char *target;       /* the checkpoint name, or the run undone */
    bool is_execute;
    const char *confirm;
    enum lr_run_phase phase;
    int64_t started_ms;
    int64_t started_mono;
    int64_t step_mono;
    bool is_rehearsal;
    const atomic_bool *cancel;
};

void wf_advance(struct wf_orch *o, enum lr_run_trigger t);
void wf_step_start(struct wf_orch *o, enum lr_step s, const char *detail);
void wf_step_end(struct wf_orch *o, enum lr_step s, enum lr_step_outcome oc,
                 const char *detail);
void wf_refuse(struct wf_orch *o, enum lr_run_trigger t, const char *operation,
               const char *why);
void wf_notify(struct wf_orch *o, enum lr_notify_kind kind);
/* Step 2 over prepared tables (cpt and res set): analyse each and build the impact. */
int wf_analyse(struct wf_orch *o, struct wf_table *tables, size_t count,
               const char *const *known, size_t known_count, struct lr_error *err);
/* Steps 4 to 8 after a built impact. */
int wf_execute(struct wf_orch *o, struct wf_table *tables, size_t count, struct lr_error *err);
/* Steps 4 to 8 rehearsed after a built impact (rehearse.c): nothing written but audit rows. */
int wf_rehearse(struct wf_orch *o, struct wf_table *tables, size_t count, struct lr_error *err);
/* What each table of a journaled run looks like now (undo.c). */
int wf_observe(const struct lr_lakehouse_ctx *ctx, const struct lr_run_state *st,
               struct lr_table_observation *obs, struct lr_error *err);

/* The per-table arrays a resume or an undo works with (undo.c), one slot per table of the
 * journaled run: what each looks like now, the recovery step planned for it, and the tables
 * (with their checkpoint entries and names) the new run is built from. `count` is how many of
 * `tables`/`cpts` are in use. */
struct wf_recovery {
    struct lr_table_observation *obs;
    struct lr_recovery_step *steps;
    struct lr_checkpoint_table *cpts;
    struct wf_table *tables;
    const char **names;
    size_t count;
};
/* Allocate the arrays (and out->tables) for st's tables, observe them and plan `kind`. */
int wf_recovery_begin(struct wf_recovery *r, const struct lr_lakehouse_ctx *ctx,
                      const struct lr_run_state *st, enum lr_recovery_mode kind,
                      struct lr_run_result *out, struct lr_error *err);
void wf_recovery_free(struct wf_recovery *r);

/* Emit run_finished. */
void wf_finish(struct wf_orch *o);

#endif
