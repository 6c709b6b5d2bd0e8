/* runner.h - one rollback workflow run (core's lr_rollback_run: a dry run for the impact
 * screen, or a confirmed execution; or an undo) on a worker thread. Each workflow event is
 * posted as TUI_EV_RUN_EVENT (a deep copy plus its log line); the end arrives as
 * TUI_EV_RUN_DONE carrying the whole lr_run_result.
 * The worker builds its own lakehouse context from the profile (tui/cli/wfctx.c), exactly as
 * `lakerewind rollback` does, so the console's phrase and digest match the headless ones. */
#ifndef TUI_RUNNER_H
#define TUI_RUNNER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "cli/cli.h"
#include "events.h"
#include "lakerewind/str.h"

struct tui_runner {
    pthread_t thread;
    bool is_started;
    atomic_bool is_done;
    struct tui_global g;      /* copy; lakehouse points at uri */
    char *uri;
    char *checkpoint;         /* rollback: the checkpoint; NULL for an undo */
    char *undo_of;            /* undo: the run to reverse (lr_undo_run); resume: the run */
    bool is_resume;           /* undo_of is a run to resume (lr_resume_run) */
    int pace_ms;              /* LAKEREWIND_PACE_MS: each table restore waits this long first */
    char *pace_gate;          /* LAKEREWIND_PACE_GATE: ... and until this file exists */
    struct lr_strvec tables;  /* scope; empty = the checkpoint's tables */
    bool execute;
    bool rehearse;            /* a dry run through every step (nothing written) */
    atomic_bool cancel;       /* set by tui_runner_cancel: no new table restore starts */
    char *confirm;
    unsigned token;           /* echoed in TUI_EV_RUN_DONE's index */
    struct tui_events *events;
};

/* Start a run (everything copied). Refused with LR_EINVAL while one is running. */
int tui_runner_start(struct tui_runner *r, const struct tui_global *g, const char *uri,
                     const char *checkpoint, const char *const *tables, size_t table_count,
                     bool execute, const char *confirm, unsigned token,
                     struct tui_events *events, struct lr_error *err);
/* Start an undo of run `run_id` (lr_undo_run: a dry run showing its impact and phrase unless
 * `execute`). Same rules and events as tui_runner_start. */
int tui_runner_start_undo(struct tui_runner *r, const struct tui_global *g, const char *uri,
                          const char *run_id, bool execute, const char *confirm, unsigned token,
                          struct tui_events *events, struct lr_error *err);
/* An undo rehearsed through every step (lr_undo_request.rehearse): the same events as an
 * executed undo, nothing written but IsDryRun audit rows. Same rules as tui_runner_start. */
int tui_runner_start_undo_rehearsal(struct tui_runner *r, const struct tui_global *g,
                                    const char *uri, const char *run_id, const char *confirm,
                                    unsigned token, struct tui_events *events,
                                    struct lr_error *err);
/* A dry run through every step (lr_rollback_request.rehearse): the same events as an
 * execution, nothing written. Same rules as tui_runner_start. */
int tui_runner_start_rehearsal(struct tui_runner *r, const struct tui_global *g, const char *uri,
                               const char *checkpoint, const char *const *tables,
                               size_t table_count, const char *confirm, unsigned token,
                               struct tui_events *events, struct lr_error *err);
/* Resume interrupted run `run_id` (lr_resume_run; a dry run showing what is left and its
 * phrase unless `execute`). Same rules as tui_runner_start. */
int tui_runner_start_resume(struct tui_runner *r, const struct tui_global *g, const char *uri,
                            const char *run_id, bool execute, const char *confirm,
                            unsigned token, struct tui_events *events, struct lr_error *err);
/* Ask the run in flight to stop: no new table restore starts, those committing finish, and an
 * executing run ends interrupted (resumable). No-op without a run. UI thread. */
void tui_runner_cancel(struct tui_runner *r);
/* Whether an executing (writing) run is in flight. UI thread. */
bool tui_runner_is_writing(const struct tui_runner *r);
/* Whether a run is in flight. UI thread. */
bool tui_runner_is_busy(const struct tui_runner *r);
/* Join a finished run (no-op when none). Wait at most `ms` for a running one; false when it is
 * still running then (the caller must then leave with _exit, see app.c). */
bool tui_runner_join_within(struct tui_runner *r, int ms);

#endif
