/* events.h - how worker threads talk to the UI thread: a locked queue plus a wake pipe that
 * the event loop polls next to the keyboard. Workers post; only the UI thread takes.
 *
 * Today the lakehouse loader posts here; the rollback workflow's progress events (core's
 * event.h) arrive the same way, wrapped as further kinds, so screens never block on I/O. */
#ifndef TUI_EVENTS_H
#define TUI_EVENTS_H

#include <pthread.h>

#include "lakerewind/checkpoint.h"
#include "lakerewind/checkpoint_health.h"
#include "lakerewind/error.h"
#include "lakerewind/lakehouse.h"
#include "lakerewind/rollback.h"
#include "lakerewind/store.h"
#include "fetch_data.h"
#include "model.h"

enum tui_event_kind {
    TUI_EV_LOG,              /* text: a line for the log pane (level) */
    TUI_EV_LAKEHOUSE_OPENED, /* store + tables: the loader finished */
    TUI_EV_LAKEHOUSE_FAILED, /* text: why the lakehouse could not be opened */
    TUI_EV_TABLE_FACTS,      /* index + facts: one table's version, rows, size, retention */
    TUI_EV_FACTS_DONE,       /* every table reported; elapsed_ms */
    TUI_EV_CHECKPOINTS,      /* checkpoints (or text: why they could not be listed) */
    TUI_EV_RUN_DONE,         /* run (or text: why it could not run); index: the run token */
    TUI_EV_RUN_EVENT,        /* run_event (a deep copy) + text (its log line); index: token */
    TUI_EV_FETCHED,          /* fetched: runs or a history page (fetcher.h); index: token */
    TUI_EV_INTERRUPTED,      /* run_id + text (what it was): a run journal without its end */
    TUI_EV_CP_HEALTH,        /* checkpoints + cp_warnings (parallel; core's checkpoint_health),
                                or text: why they could not be checked */
};

struct tui_event {
    enum tui_event_kind kind;
    int level;                  /* enum tui_log_level for TUI_EV_LOG */
    char *text;                 /* owned, raw (sanitised by whoever displays it) */
    char *run_id;               /* owned: TUI_EV_INTERRUPTED */
    struct lr_store *store;     /* owned: handed to the UI thread with LAKEHOUSE_OPENED */
    struct lr_table_list tables;
    size_t index;               /* TUI_EV_TABLE_FACTS: the table's row in the view */
    struct tui_table_facts facts;
    struct lr_checkpoint_list checkpoints;
    struct lr_cp_warnings *cp_warnings; /* owned: checkpoints.count lists (TUI_EV_CP_HEALTH) */
    struct lr_run_result *run;  /* owned: TUI_EV_RUN_DONE (a screen may take it: set NULL) */
    struct lr_event run_event;  /* owned when has_run_event (lr_event_copy) */
    bool has_run_event;
    struct tui_fetch_result *fetched; /* owned: TUI_EV_FETCHED (a screen may take it) */
    double elapsed_ms;
    struct tui_event *next;
};

struct tui_events {
    int fds[2]; /* [0] polled by the UI, [1] written by posters and the SIGWINCH handler */
    pthread_mutex_t mu;
    struct tui_event *head;
    struct tui_event *tail;
};

int tui_events_init(struct tui_events *q, struct lr_error *err);
/* Frees events still queued. */
void tui_events_destroy(struct tui_events *q);
/* Queue `ev` (takes ownership, even on failure) and wake the UI. Any thread. */
void tui_events_post(struct tui_events *q, struct tui_event *ev);
/* Drain the wake pipe and take every queued event, oldest first (a list through ->next; the
 * caller frees each with tui_event_free). UI thread. */
struct tui_event *tui_events_take(struct tui_events *q);
/* Turn SIGINT, SIGTERM and SIGHUP into a wake-up plus a flag, so the loop can restore the
 * terminal and leave cleanly (asking first when a run is in flight) instead of dying with the
 * screen in raw mode. */
void tui_events_catch_signals(struct tui_events *q);
/* The signal caught since the last call (0 when none), cleared by reading. UI thread. */
int tui_events_take_signal(void);

/* A zeroed event of `kind`, or NULL when out of memory. */
struct tui_event *tui_event_new(enum tui_event_kind kind);
void tui_event_free(struct tui_event *ev);

#endif
