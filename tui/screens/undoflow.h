/* undoflow.h - undoing a past run from a screen (the runs browser): `u` starts the undo's own
 * dry run (core's lr_undo_run without execute) on the runner; its end opens the typed
 * confirmation with the workflow's UNDO phrase, checked by the workflow's checker; in LIVE mode
 * the confirmed undo runs through the progress screen to its result; in dry-run mode it is
 * rehearsed (core's lr_undo_request.rehearse): the same progress, then a DRY RUN result, and
 * nothing written but IsDryRun audit rows. No key writes by itself (app.h invariant (5)).
 *
 * The flow lives inside its screen's state (the dialog's payload points at it), so it must not
 * move while the screen is open. */
#ifndef TUI_UNDOFLOW_H
#define TUI_UNDOFLOW_H

#include <stdbool.h>

#include "../app.h"

struct tui_undo_flow {
    char *run_id;              /* owned: the run being undone */
    struct lr_run_result *plan; /* owned: the undo's dry run (impact, digest, phrase) */
    unsigned token;
    bool is_analysing;
    bool is_executing;
};

/* Start undoing `run_id` (copied): refused and logged while any run is in flight. */
void tui_undo_flow_start(struct tui_undo_flow *u, struct tui_app *app, const char *run_id);
/* Feed a TUI_EV_RUN_DONE; true when it belonged to this flow (it may take ev->run). */
bool tui_undo_flow_run_done(struct tui_undo_flow *u, struct tui_app *app,
                            struct tui_event *ev);
void tui_undo_flow_free(struct tui_undo_flow *u);

#endif
