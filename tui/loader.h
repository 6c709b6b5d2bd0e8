/* loader.h - opening the lakehouse off the UI thread, so the first frame never waits for a
 * store: the worker opens the store, discovers the tables and posts the result as one event
 * (TUI_EV_LAKEHOUSE_OPENED with the store handed over, or TUI_EV_LAKEHOUSE_FAILED). */
#ifndef TUI_LOADER_H
#define TUI_LOADER_H

#include <pthread.h>
#include <stdbool.h>

#include "events.h"

struct tui_loader {
    pthread_t thread;
    bool is_started;
    char *uri;
    struct tui_events *events;
};

/* Start loading `uri` (copied). LR_ENOMEM or LR_EIO when the thread cannot start. */
int tui_loader_start(struct tui_loader *l, const char *uri, struct tui_events *events,
                     struct lr_error *err);
/* Wait for the worker (it always finishes: discovery is one bounded listing). */
void tui_loader_join(struct tui_loader *l);

#endif
