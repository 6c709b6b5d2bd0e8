/* chart.h - the pure halves of the sparkline and the progress bar, and number formatting for
 * cells: plain functions producing text, drawn by widgets.h. */
#ifndef TUI_CHART_H
#define TUI_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A sparkline of `n` values in exactly `width` columns (the last `width` values when there are
 * more; right-aligned when fewer), scaled from the minimum to the maximum: "▁▂▃▄▅▆▇█" or, in
 * ASCII, "_.-=+*#@". `mark` (an index into values, or -1) is drawn as "│" / "|" (the
 * checkpoint). Writes a NUL-terminated string to `out`. */
void tui_sparkline(char *out, size_t cap, const int64_t *values, size_t n, int width,
                   long mark, bool ascii);

/* A row-count sparkline: like tui_sparkline without a mark, but a negative value means
 * "unknown" and is drawn as a space (scaled over the known values only). */
void tui_sparkline_counts(char *out, size_t cap, const int64_t *values, size_t n, int width,
                          bool ascii);
/* The column (0-based, within `width`) at which value `index` of `n` is drawn by the
 * sparklines above, or -1 when it is not shown (older than the last `width` values). */
int tui_sparkline_column(size_t n, int width, size_t index);

/* Filled cells of a `width`-cell bar for done/total (0 when total is 0; full only when done >=
 * total). */
int tui_progress_cells(uint64_t done, uint64_t total, int width);

/* "1.2 GiB", "512 B": binary units, one decimal from KiB up. */
void tui_format_bytes(char *out, size_t cap, uint64_t bytes);
/* "1,234,567" (thousands separators), with a sign when negative. */
void tui_format_count(char *out, size_t cap, int64_t n);

#endif
