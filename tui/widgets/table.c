/* table.c - drawing the table widget (header, rows, selection, sort arrow). Layout, selection
 * and sorting are table_model.c. */
#include <stdio.h>
#include <string.h>

#include "../sanitize.h"
#include "../term.h"
#include "widgets.h"

#define MAX_COLS 16

int tui_table_visible_rows(struct tui_rect r)
{
    return r.h > 1 ? r.h - 1 : 0;
}

static void draw_cell(int y, int x, int w, enum tui_role role, const char *text, bool right)
{
    int tw = tui_text_width(text);
    if (right && tw < w) {
        tui_term_fill(y, x, w - tw, role);
        tui_term_text(y, x + w - tw, tw, role, text);
    } else {
        tui_term_text_pad(y, x, w, role, text);
    }
}

int tui_table_draw(struct tui_rect r, const struct tui_column *cols, size_t ncols,
                   const struct tui_table_state *st, tui_cell_fn cell, void *payload)
{
    if (ncols > MAX_COLS)
        ncols = MAX_COLS;
    int widths[MAX_COLS];
    tui_table_layout(cols, ncols, r.w, widths);
    int x = r.x;
    for (size_t c = 0; c < ncols; c++) {
        char title[128];
        if ((int)c == st->sort_column)
            snprintf(title, sizeof title, "%s%s", cols[c].title,
                     tui_term_glyph(st->sort_desc ? GLYPH_ARROW_DOWN : GLYPH_ARROW_UP));
        else
            snprintf(title, sizeof title, "%s", cols[c].title);
        draw_cell(r.y, x, widths[c], ROLE_COLUMN_HEADER, title, cols[c].align_right);
        if (c + 1 < ncols)
            tui_term_fill(r.y, x + widths[c], 1, ROLE_NORMAL);
        x += widths[c] + 1;
    }
    int visible = tui_table_visible_rows(r);
    int sel_y = -1;
    for (int i = 0; i < visible; i++) {
        size_t row = st->top + (size_t)i;
        if (row >= st->count)
            break;
        int y = r.y + 1 + i;
        bool is_sel = row == st->selected;
        if (is_sel) {
            sel_y = y;
            tui_term_fill(y, r.x, r.w, ROLE_SELECTION);
        }
        x = r.x;
        for (size_t c = 0; c < ncols; c++) {
            char buf[512];
            enum tui_role role = ROLE_NORMAL;
            buf[0] = '\0';
            cell(row, c, buf, sizeof buf, &role, payload);
            draw_cell(y, x, widths[c], is_sel ? ROLE_SELECTION : role, buf,
                      cols[c].align_right);
            x += widths[c] + 1;
        }
    }
    return sel_y;
}
