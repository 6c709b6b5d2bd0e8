/* table_model.h - the pure half of the table widget: column layout, selection, scrolling and
 * sorting over row indices. No terminal; table.h draws. Unit tested in tests/tui_unit. */
#ifndef TUI_TABLE_MODEL_H
#define TUI_TABLE_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "../keys.h"

struct tui_column {
    const char *title;
    int min_width;    /* columns always given (title fits in it) */
    int flex;         /* share of the spare width (0: fixed) */
    bool align_right; /* numbers */
};

/* Selection and scroll position over `count` rows (rows are shown in the screen's order). */
struct tui_table_state {
    size_t count;
    size_t selected;
    size_t top;      /* first visible row */
    int sort_column; /* -1: the screen's natural order */
    bool sort_desc;
};

/* Give each of `n` columns a width so they fill `width` with one space between columns: first
 * min widths, then spare columns split by flex. When even the minimums do not fit, later
 * columns shrink to 0. Writes `out[n]`; returns the total drawn width. */
int tui_table_layout(const struct tui_column *cols, size_t n, int width, int *out);

/* Move the selection by `delta` rows (clamped), then keep it within `visible` rows. */
void tui_table_move(struct tui_table_state *t, long delta, int visible);
/* The moves every table screen shares: up, down, page up/down (`visible` - 1 rows), home and
 * end. true when `a` was one of them (and applied). */
bool tui_table_navigate(struct tui_table_state *t, enum tui_action a, int visible);
/* Set count (rows came or went), clamping the selection and scroll. */
void tui_table_set_count(struct tui_table_state *t, size_t count, int visible);
/* Scroll so the selection is visible. */
void tui_table_reveal(struct tui_table_state *t, int visible);

/* The row shown at screen row `y` when the first data row is at `first_y` and `visible` rows
 * fit: true and *out set, false when `y` is outside the rows (a click on the header, a gap). */
bool tui_table_row_at(const struct tui_table_state *t, int first_y, int visible, int y,
                      size_t *out);

/* Cycle to the next sort column (of `ncols`), or flip the direction. */
void tui_table_sort_next(struct tui_table_state *t, int ncols);
void tui_table_sort_flip(struct tui_table_state *t);

/* Stable sort of `idx[n]` by cmp(a, b, column, payload) (<0, 0, >0), descending when asked. */
typedef int (*tui_row_cmp)(size_t a, size_t b, int column, void *payload);
void tui_table_sort(size_t *idx, size_t n, int column, bool desc, tui_row_cmp cmp,
                    void *payload);

#endif
