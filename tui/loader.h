/* loader.h - opening the lakehouse off the UI thread, so the first frame never waits for a
 * store: the worker opens the store, discovers the tables and posts the result as one event
 * (TUI_EV_LAKEHOUSE_OPENED with the store handed over, or TUI_EV_LAKEHOUSE_FAILED). */
#ifndef TUI_LOADER_H
#define TUI_LOADER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "events.h"

struct tui_loader {
    pthread_t thread;
    bool is_started;
    atomic_bool is_done; /* the worker has posted its event and touches nothing more */
    char *uri;
    struct tui_events *events;
};

/* Start loading `uri` (copied). LR_ENOMEM or LR_EIO when the thread cannot start. */
int tui_loader_start(struct tui_loader *l, const char *uri, struct tui_events *events,
                     struct lr_error *err);
/* Wait for the worker. */
void tui_loader_join(struct tui_loader *l);
/* Whether the worker has finished (its event is posted). When the operator quits while a slow
 * store is still listing, the app detaches instead of waiting (tui_loader_abandon) and keeps
 * the event queue alive, since the worker will still post to it. */
bool tui_loader_is_done(const struct tui_loader *l);
void tui_loader_abandon(struct tui_loader *l);

#endif
