/* journal.h - the run journal: an append-only trail of a run, written to the lakehouse's store
 * before and after every write, so a killed process leaves a readable record from which the
 * next start finds the run, says what state every table is in, and resumes or undoes it.
 *
 * Layout: one small JSON object per entry at
 *     <runs_prefix>/<run_id>/journal-<seq, 6+ digits>.json      e.g.
 *     Files/_lakerewind/runs/1b4e28ba-…/journal-000001.json
 * written with put-if-absent. Entry 1 is always run_started and lists every table in scope with
 * its pre-rollback version and target version (invariant (2) of run.c: no table is written
 * before that entry exists). Entries are never rewritten; seq numbers are contiguous from 1. Two
 * processes acting on the same run collide on a seq and the second gets LR_ECONFLICT. The
 * default runs_prefix is under Files/ because OneLake lakehouses accept only Tables/ and Files/
 * at the root.
 *
 * Entry JSON (one line; "format" identifies the layout version):
 *   {"format":"lakerewind-journal/1","run_id":"…","seq":1,"time":"2025-…Z","entry":"run_started",
 *    "kind":"rollback","checkpoint":"cp","of_run":null,"operator":"alice","plan_digest":"3f9a2c",
 *    "dry_run":false,"tables":[{"name":"account","pre_version":57,"target_version":41}]}
 *   {"…","entry":"step","step":"restore","outcome":"ok"}
 *   {"…","entry":"table_intent","table":"account","expected_version":57,"target_version":41}
 *   {"…","entry":"table_restored","table":"account","version_written":58}
 *   {"…","entry":"table_failed","table":"account","error":"…","code":"ENOTFOUND"}
 *   {"…","entry":"table_skipped","table":"account","error":"changed since the impact analysis"}
 *   {"…","entry":"table_validated","table":"account","passed":true,"quality_score":100.0}
 *   {"…","entry":"run_resumed","operator":"bob"}
 *   {"…","entry":"run_finished","status":"partial"}
 *
 * Ownership: entries and states are caller-owned structs released with the matching _free. */
#ifndef LAKEREWIND_JOURNAL_H
#define LAKEREWIND_JOURNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/error.h"
#include "lakerewind/event.h"
#include "lakerewind/identity.h"
#include "lakerewind/store.h"

#define LR_JOURNAL_FORMAT "lakerewind-journal/1"
#define LR_JOURNAL_DEFAULT_PREFIX "Files/_lakerewind/runs"

enum lr_journal_kind {
    LR_J_RUN_STARTED = 1,
    LR_J_STEP,
    LR_J_TABLE_INTENT,    /* about to commit a restore of `table` (outcome unknown until next) */
    LR_J_TABLE_RESTORED,
    LR_J_TABLE_FAILED,
    LR_J_TABLE_SKIPPED,
    LR_J_TABLE_VALIDATED,
    LR_J_RUN_RESUMED,
    LR_J_RUN_FINISHED,
};

struct lr_journal_table {
    char *name;
    int64_t pre_version;    /* the version before the run touched it */
    int64_t target_version; /* the version the run restores it to */
};

/* One entry. Only the fields of its kind are meaningful; strings are owned (freed by
 * lr_journal_entry_free) when the entry came from lr_journal_read*, and borrowed when the caller
 * builds one to append. */
struct lr_journal_entry {
    enum lr_journal_kind kind;
    uint64_t seq;          /* set by lr_journal_append */
    int64_t time_ms;       /* set by lr_journal_append */
    /* run_started */
    enum lr_run_kind run_kind;
    char *checkpoint;
    char *of_run;          /* undo/resume: the run acted on */
    char *operator_name;   /* also run_resumed */
    char *plan_digest;
    bool is_dry_run;
    struct lr_journal_table *tables;
    size_t table_count;
    /* step */
    enum lr_step step;
    enum lr_step_outcome outcome;
    /* table_* */
    char *table;
    int64_t expected_version; /* intent: the version the table must be at */
    int64_t target_version;   /* intent */
    int64_t version_written;  /* restored */
    char *error;              /* failed / skipped */
    int code;                 /* failed: the LR_E* code */
    bool passed;              /* validated */
    double quality_score;     /* validated */
    /* run_finished */
    enum lr_run_status status;
};

void lr_journal_entry_free(struct lr_journal_entry *e);

/* Encode one entry as a JSON line (no newline) for `run_id`. Caller frees; NULL on ENOMEM. */
char *lr_journal_entry_to_json(const struct lr_journal_entry *e, const char *run_id);
/* Decode one entry; checks format, run id (when expected_run_id is not NULL) and fields.
 * LR_ECORRUPT naming what is wrong. `out` owns its strings. */
int lr_journal_entry_from_json(struct lr_journal_entry *out, const char *text, size_t len,
                               const char *expected_run_id, struct lr_error *err);

/* A journal being written. Thread-safe: worker threads append through the same handle. */
struct lr_journal;

/* Start the journal of a new run: the first append must be LR_J_RUN_STARTED. `runs_prefix`
 * NULL means LR_JOURNAL_DEFAULT_PREFIX. Store and strings are borrowed/copied: the store must
 * outlive the journal. Caller frees with lr_journal_close(). */
int lr_journal_create(struct lr_journal **out, struct lr_store *store, const char *runs_prefix,
                      const char *run_id, struct lr_error *err);
/* Continue an existing run's journal (resume): appends after its last entry. LR_ENOTFOUND when
 * the run has no journal. */
int lr_journal_reopen(struct lr_journal **out, struct lr_store *store, const char *runs_prefix,
                      const char *run_id, struct lr_error *err);
void lr_journal_close(struct lr_journal *j);

/* Append `e` as the next entry (seq and time are assigned here; e is not modified). Returns the
 * seq written (>= 1). LR_ECONFLICT when another process wrote that seq first; LR_ESTATE when
 * the first entry is not run_started or after run_finished. */
int64_t lr_journal_append(struct lr_journal *j, const struct lr_journal_entry *e,
                          struct lr_error *err);

/* Test hook: after `n` more successful appends, every append fails with LR_ECANCELLED as if the
 * process had been killed (0 disables). Used to simulate a crash at each point. */
void lr_journal_crash_after(struct lr_journal *j, size_t n);

/* Every entry of `run_id`, in seq order. Gaps, a first entry that is not run_started, or an
 * entry of another run are LR_ECORRUPT. Caller frees with lr_journal_entries_free(). */
struct lr_journal_entries {
    char run_id[LR_RUN_ID_LEN + 1];
    struct lr_journal_entry *items;
    size_t count;
};
int lr_journal_read(struct lr_store *store, const char *runs_prefix, const char *run_id,
                    struct lr_journal_entries *out, struct lr_error *err);
void lr_journal_entries_free(struct lr_journal_entries *entries);

/* ---- Replay: the run's state from its entries (pure) ---- */

enum lr_jtable_state {
    LR_JT_PENDING = 0,   /* nothing written yet */
    LR_JT_INTENT,        /* a restore commit was being written: it may or may not have landed */
    LR_JT_RESTORED,
    LR_JT_VALIDATED,
    LR_JT_FAILED,
    LR_JT_SKIPPED,
};

struct lr_jtable {
    char *name;
    int64_t pre_version;
    int64_t target_version;
    enum lr_jtable_state state;
    int64_t version_written; /* RESTORED/VALIDATED: the commit written; -1 otherwise */
    bool passed;             /* VALIDATED */
    double quality_score;    /* VALIDATED */
    char *error;             /* FAILED/SKIPPED */
};

struct lr_run_state {
    char run_id[LR_RUN_ID_LEN + 1];
    enum lr_run_kind kind;
    char *checkpoint;
    char *of_run;
    char *operator_name;
    char *plan_digest;
    bool is_dry_run;
    int64_t started_ms;
    int64_t last_ms;
    uint64_t last_seq;
    enum lr_step last_step;       /* the last step recorded (0 when none) */
    bool is_finished;
    enum lr_run_status status;    /* when finished */
    size_t resumed;               /* how many times it was resumed */
    struct lr_jtable *tables;
    size_t table_count;
};

/* Fold `entries` (from lr_journal_read) into the run's state. LR_ECORRUPT when an entry names a
 * table outside the run or contradicts the order (restored before intent is tolerated: the
 * intent entry is advisory). Caller frees with lr_run_state_free(). */
int lr_run_state_replay(struct lr_run_state *out, const struct lr_journal_entries *entries,
                        struct lr_error *err);
void lr_run_state_free(struct lr_run_state *st);

/* A run whose journal has no run_finished entry (and that is not a dry run) was interrupted. */
bool lr_run_state_is_interrupted(const struct lr_run_state *st);

/* Read and replay every run under runs_prefix whose journal is unfinished. Caller frees each
 * with lr_run_state_free() and the array with free(). */
int lr_journal_find_interrupted(struct lr_store *store, const char *runs_prefix,
                                struct lr_run_state **out, size_t *count, struct lr_error *err);

/* Every run under runs_prefix (finished, interrupted and dry runs), newest first. Caller frees
 * each with lr_run_state_free() and the array with free(). */
int lr_journal_list_runs(struct lr_store *store, const char *runs_prefix,
                         struct lr_run_state **out, size_t *count, struct lr_error *err);

/* ---- Recovery: what to do with each table of an interrupted run (pure) ---- */

/* What the caller observed in the table's Delta log right now. */
struct lr_table_observation {
    const char *name;        /* borrowed */
    int64_t current_version;
    int64_t version_by_run;  /* a commit in the log written by this run (its commitInfo / txn
                                names the run id) after pre_version, or -1 when none */
};

enum lr_recovery_mode { LR_RECOVER_RESUME = 0, LR_RECOVER_UNDO };

enum lr_recovery_action {
    LR_RA_NONE = 0,    /* nothing to do (already where it should be, or never touched) */
    LR_RA_RESTORE,     /* restore to `restore_to`, only if the table is still at `expect` */
    LR_RA_RECORD,      /* our commit landed but the journal missed it: record `recorded` */
    LR_RA_VALIDATE,    /* restored; post-validation still to do */
    LR_RA_SKIP,        /* another writer moved the table: never restore over unseen commits */
};

struct lr_recovery_step {
    const char *table;        /* borrowed from the state */
    enum lr_recovery_action action;
    int64_t expect_version;   /* RESTORE: the table must be at this version */
    int64_t restore_to;       /* RESTORE */
    int64_t recorded_version; /* RECORD / VALIDATE: the version our run wrote */
    char reason[256];         /* one line for the operator */
};

/* Decide, per table of `st`, what resuming (finish the rollback) or undoing (back to the
 * pre-rollback versions) must do, given what is in the logs now. `obs` lists every table of
 * the run (any order); `out` has room for st->table_count steps, in the state's table order.
 * LR_EINVAL when a table has no observation. */
int lr_recovery_plan(const struct lr_run_state *st, const struct lr_table_observation *obs,
                     size_t obs_count, enum lr_recovery_mode mode, struct lr_recovery_step *out,
                     struct lr_error *err);

const char *lr_jtable_state_name(enum lr_jtable_state s);
const char *lr_recovery_action_name(enum lr_recovery_action a);

#endif
