/* fetcher.h - reads for the runs and history screens off the UI thread. One worker thread,
 * started on the first request, takes requests in order from a small queue; each answer is
 * posted as TUI_EV_FETCHED carrying a struct tui_fetch_result (fetch_data.h) and the request's
 * token. The worker builds its lakehouse context from the profile once (tui/cli/wfctx.c, as
 * the headless `runs` and `table history` commands do) and reads only through core/:
 * lr_journal_list_runs, lr_md_read (SyncAuditLog), lr_delta_history_read, lr_delta_row_counts,
 * lr_checkpoint_list.
 *
 * Invariants: (1) the worker never touches the screen or the app; (2) requests are answered in
 * the order asked; (3) after tui_fetcher_stop() the worker takes no new request. */
#ifndef TUI_FETCHER_H
#define TUI_FETCHER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "cli/cli.h"
#include "events.h"

struct tui_fetch_job;

struct tui_fetcher {
    pthread_t thread;
    bool is_started;
    atomic_bool is_done;      /* the worker has left its loop and touches nothing more */
    bool is_stopping;         /* under mu */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct tui_fetch_job *head; /* under mu */
    struct tui_fetch_job *tail;
    struct tui_global g;      /* copy; lakehouse points at uri */
    char *uri;
    struct tui_events *events;
};

/* Prepare (no thread yet). `g` is copied; its settings are borrowed for the console's life. */
int tui_fetcher_init(struct tui_fetcher *f, const struct tui_global *g, const char *uri,
                     struct tui_events *events, struct lr_error *err);
/* Ask for every run and the audit log. 0 or LR_ENOMEM / LR_EIO (thread). */
int tui_fetcher_runs(struct tui_fetcher *f, unsigned token, struct lr_error *err);
/* Ask for up to `limit` commits of `table` (raw name) older than `before` (< 0: from the
 * latest), with row counts and the checkpoints that name the table. */
int tui_fetcher_history(struct tui_fetcher *f, unsigned token, const char *table,
                        int64_t before, size_t limit, struct lr_error *err);
/* Stop taking requests, wait at most `ms` for the worker, join it and free everything: true.
 * False when it is still inside a store request (the caller then leaves with _exit). */
bool tui_fetcher_stop(struct tui_fetcher *f, int ms);

#endif
