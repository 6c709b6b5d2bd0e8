/* event.h - the stream of events a workflow run emits; the console and the CLI render it.
 *
 * A run reports everything the operator sees as events: the run starting, each of the nine steps
 * of product.md starting and finishing, per-table state changes, log lines, progress counters
 * and the run finishing. core/ never prints; tui/ never asks the store: events are the only
 * channel between them.
 *
 * Events are plain structs. Every string in an event is BORROWED for the duration of the
 * callback only: a sink that keeps one must copy it (lr_event_copy() copies a whole event).
 *
 * Threading: restores run in worker threads and emit from there. An lr_emitter serialises
 * delivery with a mutex, so a sink's callback is never called by two threads at once and sees
 * events in one total order (seq strictly increasing); it may be called from any thread, so a
 * console must hand the event to its own loop (copy + wake pipe) rather than draw from the
 * callback. A callback must return quickly and must not emit through the same emitter (that
 * would deadlock). */
#ifndef LAKEREWIND_EVENT_H
#define LAKEREWIND_EVENT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/error.h"
#include "lakerewind/log.h"

enum lr_event_kind {
    LR_EV_RUN_STARTED = 1,
    LR_EV_STEP_STARTED,
    LR_EV_STEP_FINISHED,
    LR_EV_TABLE_STATE,
    LR_EV_LOG,
    LR_EV_PROGRESS,
    LR_EV_RUN_FINISHED,
};

/* The nine steps of a rollback (product.md "A rollback, end to end"), numbered as there. */
enum lr_step {
    LR_STEP_VALIDATE_CHECKPOINT = 1,
    LR_STEP_IMPACT_ANALYSIS = 2,
    LR_STEP_DRY_RUN = 3,
    LR_STEP_CONFIRMATION = 4,
    LR_STEP_PRE_ROLLBACK_SNAPSHOT = 5,
    LR_STEP_RESTORE = 6,
    LR_STEP_POST_VALIDATION = 7,
    LR_STEP_REPORT = 8, /* post-rollback checkpoint, comparison report, audit, notification */
    LR_STEP_UNDO = 9,
};
#define LR_STEP_COUNT 9

enum lr_step_outcome {
    LR_STEP_OK = 0,
    LR_STEP_WARNING, /* finished, but something needs the operator's attention */
    LR_STEP_FAILED,
    LR_STEP_SKIPPED, /* not needed in this run (e.g. restore in a dry run) */
};

enum lr_table_state {
    LR_TABLE_QUEUED = 0,
    LR_TABLE_SNAPSHOTTING,
    LR_TABLE_RESTORING,
    LR_TABLE_VALIDATING,
    LR_TABLE_DONE,
    LR_TABLE_FAILED,
    LR_TABLE_SKIPPED,
};

enum lr_run_status {
    LR_RUN_SUCCEEDED = 0,
    LR_RUN_PARTIAL,  /* some tables restored, some failed or skipped */
    LR_RUN_FAILED,   /* nothing restored, or the run could not proceed after writing began */
    LR_RUN_DRY_RUN,  /* impact analysed, nothing written but the audit trail */
    LR_RUN_REFUSED,  /* a safety check refused: checkpoint validation, confirmation, blockers */
    LR_RUN_INTERRUPTED, /* stopped on request after the tables in flight committed; the journal
                           has no run_finished: resume or undo it (run.c invariant 7) */
};

enum lr_run_kind { LR_RUN_ROLLBACK = 0, LR_RUN_UNDO, LR_RUN_RESUME };

struct lr_ev_run_started {
    enum lr_run_kind kind;
    const char *checkpoint; /* rollback: the checkpoint; undo/resume: the original run id */
    const char *operator_name;
    bool is_dry_run;
    bool is_rehearsal;      /* a dry run through every step (lr_rollback_request.rehearse) */
    size_t table_count;
};

struct lr_ev_step {
    enum lr_step step;
    enum lr_step_outcome outcome; /* LR_EV_STEP_FINISHED only */
    int64_t elapsed_ms;           /* LR_EV_STEP_FINISHED only */
    const char *detail;           /* one line or NULL */
};

struct lr_ev_table {
    const char *table;
    enum lr_table_state state;
    int64_t elapsed_ms;     /* since this table left QUEUED; 0 when queued */
    int64_t version_written; /* the commit version written (DONE after a restore), else -1 */
    const char *error;       /* FAILED/SKIPPED: why; else NULL */
    int64_t version_rehearsed; /* a rehearsal: the version the restore commit would have
                                  taken (built and checked, never written); 0 otherwise */
};

struct lr_ev_log {
    enum lr_log_level level;
    const char *table; /* the table the line is about, or NULL */
    const char *text;
};

struct lr_ev_progress {
    size_t tables_total;
    size_t tables_done;   /* DONE + FAILED + SKIPPED */
    size_t tables_failed;
    size_t tables_skipped;
    uint64_t bytes_done;  /* optional byte counter (0 when unknown) */
};

struct lr_ev_run_finished {
    enum lr_run_status status;
    int64_t elapsed_ms;
    const char *summary; /* one line for humans */
};

struct lr_event {
    enum lr_event_kind kind;
    uint64_t seq;       /* filled by the emitter: 1, 2, ... per emitter */
    int64_t time_ms;    /* filled by the emitter: wall clock, ms since the epoch, UTC */
    const char *run_id; /* filled by the emitter from its run id (may be NULL before one exists) */
    union {
        struct lr_ev_run_started run_started;
        struct lr_ev_step step;
        struct lr_ev_table table;
        struct lr_ev_log log;
        struct lr_ev_progress progress;
        struct lr_ev_run_finished run_finished;
    } u;
};

/* Where events go: a callback and its payload. `fn` NULL means "discard". */
typedef void (*lr_event_fn)(const struct lr_event *ev, void *payload);
struct lr_event_sink {
    lr_event_fn fn;
    void *payload;
};

/* The emitter a run owns: stamps seq/time/run id and serialises delivery (see the top).
 * Initialise with lr_emitter_init(), release with lr_emitter_destroy(). The sink is copied;
 * run_id is copied. */
struct lr_emitter {
    pthread_mutex_t lock;
    struct lr_event_sink sink;
    uint64_t seq;
    char run_id[40];
};

void lr_emitter_init(struct lr_emitter *em, const struct lr_event_sink *sink, const char *run_id);
void lr_emitter_set_run_id(struct lr_emitter *em, const char *run_id);
void lr_emitter_destroy(struct lr_emitter *em);

/* Deliver `ev` (its seq, time_ms and run_id are filled in here; the caller's copy is not
 * modified). Safe from any thread. */
void lr_emit(struct lr_emitter *em, const struct lr_event *ev);

/* Conveniences building one event each. Strings are borrowed for the call. */
void lr_emit_step_started(struct lr_emitter *em, enum lr_step step, const char *detail);
void lr_emit_step_finished(struct lr_emitter *em, enum lr_step step,
                           enum lr_step_outcome outcome, int64_t elapsed_ms, const char *detail);
void lr_emit_table(struct lr_emitter *em, const char *table, enum lr_table_state state,
                   int64_t elapsed_ms, int64_t version_written, const char *error);
/* A rehearsal's table event: `version` is the commit version that was not written. */
void lr_emit_table_rehearsed(struct lr_emitter *em, const char *table,
                             enum lr_table_state state, int64_t elapsed_ms, int64_t version,
                             const char *error);
void lr_emit_log(struct lr_emitter *em, enum lr_log_level level, const char *table,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Stable lower-case names for JSON and plain output ("validate_checkpoint", "restoring",
 * "partial", ...). Static storage; "unknown" for an out-of-range value. */
const char *lr_event_kind_name(enum lr_event_kind k);
const char *lr_step_name(enum lr_step s);
const char *lr_step_title(enum lr_step s); /* "Validate the checkpoint", for humans */
const char *lr_step_outcome_name(enum lr_step_outcome o);
const char *lr_table_state_name(enum lr_table_state s);
const char *lr_run_status_name(enum lr_run_status s);
const char *lr_run_kind_name(enum lr_run_kind k);
const char *lr_log_level_name(enum lr_log_level l);

/* One JSON object on one line (no trailing newline), for `--json` event streams:
 *   {"seq":3,"time":"2025-01-15T10:00:00.123Z","run_id":"…","event":"table_state",
 *    "table":"account","state":"done","elapsed_ms":812,"version_written":58,"error":null}
 * Returns a malloc'd string the caller frees, or NULL on ENOMEM. */
char *lr_event_to_json(const struct lr_event *ev);

/* One plain line for a non-terminal output: "2025-01-15T10:00:00Z account: done (v58, 812 ms)".
 * Writes at most `cap` bytes including the NUL; returns `out`. */
char *lr_event_format_text(const struct lr_event *ev, char *out, size_t cap);

/* A deep copy that owns its strings (for a console queue). Free with lr_event_copy_free(). */
int lr_event_copy(struct lr_event *out, const struct lr_event *ev);
void lr_event_copy_free(struct lr_event *ev);

/* Milliseconds since the epoch (CLOCK_REALTIME) and monotonic milliseconds (for elapsed). */
int64_t lr_event_now_ms(void);
int64_t lr_event_mono_ms(void);

/* "2025-01-15T10:00:00.123Z" from ms since the epoch into `out` (cap >= 25). Returns out. */
char *lr_event_format_time(int64_t ms, char *out, size_t cap);

#endif
