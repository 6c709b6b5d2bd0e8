/* runfmt.h - formatting shared by the runs, run and history screens: sanitised copies, UTC
 * times, durations, a run's status as symbol + word + role, and why a run cannot be undone. */
#ifndef TUI_RUNFMT_H
#define TUI_RUNFMT_H

#include <stddef.h>
#include <stdint.h>

#include "../theme_parse.h"
#include "lakerewind/journal.h"

/* Sanitise raw lake text into buf. */
void tui_put_clean(char *buf, size_t cap, const char *raw);
/* UTC time of `ms` with strftime `fmt`; "-" when ms < 0. */
void tui_format_ms(char *buf, size_t cap, int64_t ms, const char *fmt);
/* "850ms", "3.2s", "2m05s", "1h02m"; "-" when negative. */
void tui_format_duration(char *buf, size_t cap, int64_t ms);
/* "+ succeeded", "! partial", "x failed", "! interrupted", "- dry-run" with its role. */
const char *tui_run_status_word(const struct lr_run_state *r, enum tui_role *role);
/* NULL when `r` can be undone, else why not (static text). */
const char *tui_run_undo_refusal(const struct lr_run_state *r);

#endif
