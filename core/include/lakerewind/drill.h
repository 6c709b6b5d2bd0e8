/* drill.h - training drills (lakerewind-scenarios(7)): a catalog of incident scenarios, each a
 * sandbox lakehouse built deterministically from the demo generator with a variation, a story
 * for the trainee and the expected answer; scoring of what the trainee really did, read from
 * the sandbox's audit trail (SyncAuditLog, DataValidation, RollbackComparisonReports,
 * CheckpointHistory), never from what the trainee claims; and the DrillResults table where
 * the trainer finds every scored attempt.
 *
 * Ownership: the catalog is static; scores and result lists are caller-owned and freed with
 * their _free; stores and contexts are borrowed for the call. */
#ifndef LAKEREWIND_DRILL_H
#define LAKEREWIND_DRILL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/checkpoint.h"
#include "lakerewind/error.h"
#include "lakerewind/metadata.h"
#include "lakerewind/rollback.h"
#include "lakerewind/store.h"

/* What the right recovery is. */
enum lr_drill_move {
    LR_DRILL_ROLLBACK = 0,   /* dry run, then a confirmed rollback of the right scope */
    LR_DRILL_PARTIAL,        /* a rollback of the restorable tables only (a table is blocked) */
    LR_DRILL_UNDO_THEN_ROLLBACK, /* undo the wrong run, then roll back to the right checkpoint */
    LR_DRILL_RESUME,         /* resume the interrupted run (rollback --resume RUN_ID) */
    LR_DRILL_RETAIN,         /* no rollback: re-take the expiring checkpoint, longer retention */
};

#define LR_DRILL_MAX_TABLES 8

struct lr_drill_scenario {
    const char *id;          /* "bad-sync-three" */
    const char *title;       /* one line */
    const char *story;       /* the incident as the trainee hears it (several sentences) */
    const char *task;        /* what to do, one paragraph */
    /* the sandbox */
    const char *tables[LR_DRILL_MAX_TABLES];          /* demo catalog tables built */
    const char *incident_tables[LR_DRILL_MAX_TABLES]; /* the bad sync hits these (may be none) */
    const char *schema_change_table;                  /* NULL or the table a deployment altered */
    const char *later_sync_tables[LR_DRILL_MAX_TABLES]; /* good syncs after the incident */
    const char *vacuumed_table;      /* NULL or the table whose pre-incident files are gone */
    int anchor_shift_days;           /* the incident happened this many days before today */
    bool expire_checkpoints;         /* the retention job deactivated expired checkpoints */
    const char *wrong_checkpoint;    /* a rollback to it was executed before the drill */
    bool interrupted;                /* a rollback to the right checkpoint was cut short */
    bool writer;                     /* a sync writer commits after the trainee's dry run */
    bool relationships;              /* the sandbox holds a config with relationships */
    const char *expiring_checkpoint; /* a checkpoint that expires within a day */
    /* the expected answer */
    enum lr_drill_move move;
    const char *checkpoint;          /* the right checkpoint; "@daily-last" = the newest
                                        Daily checkpoint (its name has the sandbox's date) */
    const char *scope[LR_DRILL_MAX_TABLES]; /* the right tables; empty = every table */
    const char *answer;              /* the right move in words (debrief) */
};

/* The catalog: a static array of *count scenarios. */
const struct lr_drill_scenario *lr_drill_catalog(size_t *count);
const struct lr_drill_scenario *lr_drill_find(const char *id);
const char *lr_drill_move_name(enum lr_drill_move m);

struct lr_drill_options {
    int64_t anchor_ms;  /* the sandbox's "today" 00:00 UTC; 0 = the current UTC day */
    unsigned scale_pct; /* demo row scale; 0 = 5 */
    uint64_t seed;      /* 0 = 42 */
    const char *operator_name; /* who runs the setup runs; NULL = "drill-setup" */
};

/* What lr_drill_build leaves for the runner and the scorer. */
struct lr_drill_sandbox {
    char drill_id[40];        /* this attempt's id (the DrillStarted audit row's run id) */
    char checkpoint[64];      /* the right checkpoint, resolved ("@daily-last" -> a name) */
    char setup_run[40];       /* the wrong or interrupted run, "" when none */
    char config_path[32];     /* "lakerewind.yaml" (relative to the sandbox) or "" */
    int64_t started_ms;       /* the DrillStarted row's time */
};

/* Build the sandbox of `sc` into `store` (its Tables/ must be empty): the demo variation, the
 * scenario's setup (runs through the real workflow) and the DrillStarted audit row. Writes the
 * config file into the sandbox when the scenario has relationships. */
int lr_drill_build(struct lr_store *store, const struct lr_drill_scenario *sc,
                   const struct lr_drill_options *opts, struct lr_drill_sandbox *out,
                   struct lr_error *err);

/* The drill of the sandbox: reads the newest DrillStarted row (its scenario must be `sc`, or
 * LR_EINVAL naming both). */
int lr_drill_sandbox_load(struct lr_store *store, const struct lr_drill_scenario *sc,
                          struct lr_drill_sandbox *out, struct lr_error *err);

/* The writer scenario's concurrent sync: one more commit on the incident table, as the still
 * running job would write it. */
int lr_drill_writer_commit(struct lr_store *store, const struct lr_drill_scenario *sc,
                           struct lr_error *err);

/* One scored point of the debrief. */
struct lr_drill_point {
    char *name;      /* "checkpoint", "scope", "dry-run-first", "validations", ... */
    int earned;
    int possible;
    char *text;      /* what happened and what the right move was */
};

struct lr_drill_score {
    char drill_id[40];
    const struct lr_drill_scenario *scenario;
    int score;       /* 0..100 */
    bool passed;     /* score >= 70 */
    int64_t duration_ms;  /* first to last audit row of the drill; -1 when no action */
    char *checkpoint_used;   /* NULL when none */
    struct lr_strvec tables_restored;
    size_t runs;     /* executed runs after the start */
    struct lr_strvec refusals; /* what the workflow refused during the drill (ErrorMessage) */
    struct lr_drill_point *points;
    size_t point_count;
    char *debrief;   /* the whole debrief as text */
};
void lr_drill_score_free(struct lr_drill_score *s);

/* Score the trainee's work in the sandbox from its metadata tables. */
int lr_drill_score(const struct lr_lakehouse_ctx *ctx, const struct lr_drill_scenario *sc,
                   const struct lr_drill_sandbox *sb, struct lr_drill_score *out,
                   struct lr_error *err);

/* The score as JSON: {"drill_id","scenario","score","passed","duration_ms","checkpoint_used",
 * "tables_restored","points":[{"name","earned","possible","text"}],"debrief"}. New ref. */
json_t *lr_drill_score_json(const struct lr_drill_score *s);

/* The DrillResults table (<metadata location>/DrillResults): one row per scored attempt. */
const struct lr_table_def *lr_drill_results_def(void);
int lr_drill_results_append(const struct lr_lakehouse_ctx *ctx, const struct lr_drill_score *s,
                            const char *trainee, struct lr_error *err);
/* Every row (new reference, an array of objects). */
int lr_drill_results_read(const struct lr_lakehouse_ctx *ctx, json_t **rows_out,
                          struct lr_error *err);

#endif
