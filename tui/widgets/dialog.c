/* dialog.c - a centred, bordered box with a title and a wrapped body; the caller draws its
 * own prompt or choices in the rows it asked for. */
#include <stdio.h>
#include <string.h>

#include "../sanitize.h"
#include "../term.h"
#include "widgets.h"

void tui_dialog_draw(int sw, int sh, int width, const char *title, const char *body, int extra,
                     int *extra_y, int *inner_x, int *inner_w)
{
    if (width > sw - 4)
        width = sw - 4;
    if (width < 20)
        width = 20;
    int iw = width - 4;
    int lines = tui_wrap_count(body, iw);
    int h = lines + extra + 4;
    if (h > sh - 2)
        h = sh - 2;
    int y = (sh - h) / 2;
    int x = (sw - width) / 2;
    for (int i = 0; i < h; i++)
        tui_term_fill(y + i, x, width, ROLE_DIALOG);
    tui_term_box(y, x, h, width, ROLE_BORDER);
    char t[256];
    snprintf(t, sizeof t, " %s ", title);
    tui_term_text(y, x + 2, width - 4, ROLE_TITLE, t);
    const char *s = body;
    int row = y + 2;
    while (*s && row < y + h - 2 - extra) {
        size_t skip;
        size_t n = tui_wrap_next(s, iw, &skip);
        char line[1024];
        if (n >= sizeof line)
            n = sizeof line - 1;
        memcpy(line, s, n);
        line[n] = '\0';
        tui_term_text(row++, x + 2, iw, ROLE_DIALOG, line);
        s += n + skip;
    }
    if (extra_y)
        *extra_y = y + h - 1 - extra;
    if (inner_x)
        *inner_x = x + 2;
    if (inner_w)
        *inner_w = iw;
}
