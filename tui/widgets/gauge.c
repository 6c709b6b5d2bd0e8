/* gauge.c - drawing the progress bar, the sparkline and the log pane. Their arithmetic is
 * chart.c and logring.c. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../sanitize.h"
#include "../term.h"
#include "widgets.h"

void tui_progress_draw(int y, int x, int w, uint64_t done, uint64_t total)
{
    char pct[16];
    unsigned p = total ? (unsigned)((done >= total ? total : done) * 100 / total) : 0;
    snprintf(pct, sizeof pct, " %3u%%", p);
    int bar = w - (int)strlen(pct);
    if (bar < 1)
        bar = 1;
    int full = tui_progress_cells(done, total, bar);
    for (int i = 0; i < bar; i++)
        tui_term_text(y, x + i, 1, i < full ? ROLE_PROGRESS_DONE : ROLE_PROGRESS_LEFT,
                      tui_term_glyph(i < full ? GLYPH_BAR_FULL : GLYPH_BAR_EMPTY));
    tui_term_text(y, x + bar, w - bar, ROLE_NORMAL, pct);
}

void tui_sparkline_draw(int y, int x, int w, const int64_t *values, size_t n, long mark)
{
    char buf[1024];
    tui_sparkline(buf, sizeof buf, values, n, w > 200 ? 200 : w, mark, tui_term_is_ascii());
    tui_term_text(y, x, w, ROLE_SPARKLINE, buf);
}

void tui_rowchart_draw(int y, int x, int w, const int64_t *versions, const int64_t *rows,
                       size_t n, const int64_t *marks, size_t nmarks)
{
    char buf[1024];
    int width = w > 200 ? 200 : w;
    tui_sparkline_counts(buf, sizeof buf, rows, n, width, tui_term_is_ascii());
    tui_term_text(y, x, w, ROLE_SPARKLINE, buf);
    char under[201];
    memset(under, ' ', sizeof under);
    int last = -1;
    for (size_t i = 0; i < n; i++) {
        for (size_t m = 0; m < nmarks; m++) {
            int col = versions[i] == marks[m] ? tui_sparkline_column(n, width, i) : -1;
            if (col >= 0 && col < width) {
                under[col] = '^';
                last = col > last ? col : last;
            }
        }
    }
    under[last + 1] = '\0';
    if (last >= 0)
        tui_term_text(y + 1, x, w, ROLE_WARN, under);
}

void tui_logpane_draw(struct tui_rect r, const struct tui_logring *log, size_t scroll)
{
    size_t count = log->count;
    size_t end = scroll < count ? count - scroll : 0;
    size_t start = end > (size_t)r.h ? end - (size_t)r.h : 0;
    int y = r.y;
    for (size_t i = start; i < end; i++, y++) {
        const struct tui_logline *l = tui_log_get(log, i);
        struct tm tm;
        localtime_r(&l->when, &tm);
        char stamp[16];
        strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);
        enum tui_role role = l->level == TUI_LOG_ERROR  ? ROLE_ERROR
                             : l->level == TUI_LOG_WARN ? ROLE_WARN
                                                        : ROLE_NORMAL;
        int x = r.x;
        x += tui_term_text(y, x, 9, ROLE_DIM, stamp) + 1;
        char lvl[8];
        snprintf(lvl, sizeof lvl, "%-5s", tui_log_level_name(l->level));
        x += tui_term_text(y, x, 6, role, lvl) + 1;
        tui_term_text(y, x, r.w - (x - r.x), role, l->text);
    }
}
