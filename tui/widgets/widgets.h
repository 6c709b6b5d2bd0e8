/* widgets.h - drawing pieces shared by screens: table, footer, banner, prompt, dialog, progress
 * bar, sparkline, log pane. They draw through term.h with roles; their pure logic lives in
 * table_model, lineedit, chart, textwrap and logring (unit tested). Text handed to them must be
 * sanitised already. */
#ifndef TUI_WIDGETS_H
#define TUI_WIDGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../keys.h"
#include "../theme_parse.h"
#include "chart.h"
#include "lineedit.h"
#include "logring.h"
#include "table_model.h"
#include "textwrap.h"

struct tui_rect {
    int y;
    int x;
    int h;
    int w;
};

/* Fill one cell: write sanitised text to buf and pick its role (it starts as ROLE_NORMAL). */
typedef void (*tui_cell_fn)(size_t row, size_t col, char *buf, size_t cap, enum tui_role *role,
                            void *payload);

/* Draw a column header line and the visible rows of `st` in `r`; the selected row takes
 * ROLE_SELECTION across the full width, the sort column's title shows an arrow. Returns the
 * screen row of the selection (for the cursor), or -1 when there are no rows. */
int tui_table_draw(struct tui_rect r, const struct tui_column *cols, size_t ncols,
                   const struct tui_table_state *st, tui_cell_fn cell, void *payload);
/* Rows of `r` left for data (one goes to the header). */
int tui_table_visible_rows(struct tui_rect r);

/* The key bar on row `y`: the visible bindings of each map in order, "key label", separated,
 * stopping before one would not fit. */
void tui_footer_draw(int y, int w, const struct tui_keymap *const *maps, size_t nmaps);

enum tui_banner_mode { TUI_BANNER_DRY_RUN, TUI_BANNER_LIVE, TUI_BANNER_READ_ONLY };
/* The mode banner across row `y`. */
void tui_banner_draw(int y, int w, enum tui_banner_mode mode);

/* The prompt on row `y`: `prefix` (":" or "/") then the line; leaves the cursor in the line. */
void tui_prompt_draw(int y, int w, const char *prefix, const struct tui_line *l);

/* A centred dialog box of `width` columns (narrowed to fit) on a screen of `sw` x `sh`, with
 * `title` in the top border and `body` word-wrapped inside. `extra` rows are left after the
 * body for the caller (a prompt, buttons); their first row is returned in *extra_y, and the
 * inner left column and width in *inner_x / *inner_w. */
void tui_dialog_draw(int sw, int sh, int width, const char *title, const char *body, int extra,
                     int *extra_y, int *inner_x, int *inner_w);

/* "███████░░░░░  58%" in `w` columns: done/total. */
void tui_progress_draw(int y, int x, int w, uint64_t done, uint64_t total);

/* A sparkline of `values` in `w` columns, `mark` the checkpoint index or -1. */
void tui_sparkline_draw(int y, int x, int w, const int64_t *values, size_t n, long mark);

/* A row-count chart on two rows from (y, x), `w` wide: the sparkline of `rows` (oldest first,
 * -1 unknown; `versions` the matching versions) and under it a "^" under each version in
 * `marks` (the checkpoints) that is shown. */
void tui_rowchart_draw(int y, int x, int w, const int64_t *versions, const int64_t *rows,
                       size_t n, const int64_t *marks, size_t nmarks);

/* Draw `raw` (sanitised here) on row y of `body`, one column in from each side, in `role`;
 * nothing once y is past the body. Returns the next row. */
int tui_body_line(struct tui_rect body, int y, enum tui_role role, const char *raw);

/* The log pane: the last lines of `log` that fit in `r`, oldest first, `scroll` lines up from
 * the newest. */
void tui_logpane_draw(struct tui_rect r, const struct tui_logring *log, size_t scroll);

#endif
