/* progress.h - live per-table progress of an executing run on a terminal (tui/cli/progress.c):
 * one line per table (state, elapsed, version written, quality) and an overall line, redrawn
 * in place with plain ANSI cursor sequences (no curses, no terminfo: CSI A, CSI J and CSI K
 * are understood by every terminal emulator lakerewind supports). Warnings scroll above the
 * block. Commands choose it with tui_live_wanted(); everything else gets the plain lines of
 * tui_event_sink_text(). */
#ifndef TUI_CLI_PROGRESS_H
#define TUI_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

#include "lakerewind/event.h"
#include "lakerewind/rollback.h"

struct tui_live;

/* True when `out` is a terminal that can take the live view (TERM set and not "dumb"). */
bool tui_live_wanted(FILE *out);

/* Start a live view on `out` titled `title` ("rollback to cp-1", "undo of run 1a2b3c4d");
 * a ticker thread refreshes the elapsed times. Returns NULL on ENOMEM (the caller falls back to
 * plain lines). `*sink` receives the sink to hand to the emitter. Free with tui_live_close(). */
struct tui_live *tui_live_open(FILE *out, const char *title, struct lr_event_sink *sink);

/* Stop the ticker, draw the final state once more - with each table's quality score from
 * `result` when it is not NULL - and release everything. NULL `live` is a no-op. */
void tui_live_close(struct tui_live *live, const struct lr_run_result *result);

#endif
