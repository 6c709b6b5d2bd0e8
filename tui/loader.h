/* loader.h - reading the lakehouse off the UI thread, so the first frame never waits for a
 * store. One worker: open the store, list the tables and post them (TUI_EV_LAKEHOUSE_OPENED,
 * or TUI_EV_LAKEHOUSE_FAILED); the checkpoints (TUI_EV_CHECKPOINTS) and interrupted runs; then,
 * table by table, the latest snapshot and last commit (TUI_EV_TABLE_FACTS); then core's
 * checkpoint health for every checkpoint (lr_checkpoint_check_all: TUI_EV_CP_HEALTH, from which
 * the checkpoints screen's warnings and the overview's retention column come); and
 * TUI_EV_FACTS_DONE at the end. The worker owns its store and closes it. */
#ifndef TUI_LOADER_H
#define TUI_LOADER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "events.h"
#include "lakerewind/config.h"

struct tui_loader {
    pthread_t thread;
    bool is_started;
    atomic_bool is_done;      /* the worker has posted its last event and touches nothing */
    atomic_bool is_cancelled; /* stop between tables */
    char *uri;
    const struct lr_profile *profile; /* borrowed (main owns the settings); may be NULL */
    struct tui_events *events;
};

/* Start loading `uri` (copied). `profile` (borrowed, may be NULL) gives the tables and
 * metadata locations and a configured table list, exactly as the headless commands use them,
 * so the metadata tables are never listed as the lakehouse's tables. LR_ENOMEM or LR_EIO
 * when the thread cannot start. */
int tui_loader_start(struct tui_loader *l, const char *uri, const struct lr_profile *profile,
                     struct tui_events *events, struct lr_error *err);
/* Ask the worker to stop after the table it is reading. */
void tui_loader_cancel(struct tui_loader *l);
/* Wait for the worker. */
void tui_loader_join(struct tui_loader *l);
/* Whether the worker has finished. */
bool tui_loader_is_done(const struct tui_loader *l);
/* Wait at most `ms` milliseconds for the worker to finish, then join it and return true; false
 * when it is still busy (a slow store): the thread is then left running, still owning l->uri
 * and posting to the queue, and the caller must leave the process with _exit (see app.c). */
bool tui_loader_join_within(struct tui_loader *l, int ms);

#endif
