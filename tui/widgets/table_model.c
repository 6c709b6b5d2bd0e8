/* table_model.c - column widths, selection, scrolling and stable sorting for the table widget. */
#include "table_model.h"

#include <stdlib.h>
#include <string.h>

int tui_table_layout(const struct tui_column *cols, size_t n, int width, int *out)
{
    if (n == 0)
        return 0;
    int need = (int)n - 1;
    int flex = 0;
    for (size_t i = 0; i < n; i++) {
        need += cols[i].min_width;
        flex += cols[i].flex;
    }
    if (need > width) {
        int left = width;
        for (size_t i = 0; i < n; i++) {
            int w = cols[i].min_width < left ? cols[i].min_width : left;
            out[i] = w < 0 ? 0 : w;
            left -= out[i] + 1;
        }
        return width;
    }
    int spare = width - need;
    int given = 0;
    int last_flex = -1;
    for (size_t i = 0; i < n; i++) {
        int extra = flex ? spare * cols[i].flex / flex : 0;
        out[i] = cols[i].min_width + extra;
        given += extra;
        if (cols[i].flex)
            last_flex = (int)i;
    }
    if (last_flex >= 0)
        out[last_flex] += spare - given; /* rounding leftovers */
    return flex ? width : need;
}

void tui_table_reveal(struct tui_table_state *t, int visible)
{
    if (visible <= 0 || t->count == 0) {
        t->top = 0;
        return;
    }
    if (t->selected < t->top)
        t->top = t->selected;
    if (t->selected >= t->top + (size_t)visible)
        t->top = t->selected - (size_t)visible + 1;
    /* Do not leave blank rows at the bottom when rows could fill them. */
    if (t->count >= (size_t)visible && t->top > t->count - (size_t)visible)
        t->top = t->count - (size_t)visible;
    if (t->count < (size_t)visible)
        t->top = 0;
}

void tui_table_move(struct tui_table_state *t, long delta, int visible)
{
    if (t->count == 0) {
        t->selected = t->top = 0;
        return;
    }
    long s = (long)t->selected + delta;
    if (s < 0)
        s = 0;
    if (s >= (long)t->count)
        s = (long)t->count - 1;
    t->selected = (size_t)s;
    tui_table_reveal(t, visible);
}

bool tui_table_navigate(struct tui_table_state *t, enum tui_action a, int visible)
{
    long page = visible > 1 ? visible - 1 : 1;
    switch (a) {
    case TUI_ACT_UP: tui_table_move(t, -1, visible); return true;
    case TUI_ACT_DOWN: tui_table_move(t, 1, visible); return true;
    case TUI_ACT_PAGE_UP: tui_table_move(t, -page, visible); return true;
    case TUI_ACT_PAGE_DOWN: tui_table_move(t, page, visible); return true;
    case TUI_ACT_HOME: tui_table_move(t, -(long)t->count, visible); return true;
    case TUI_ACT_END: tui_table_move(t, (long)t->count, visible); return true;
    default: return false;
    }
}

void tui_table_set_count(struct tui_table_state *t, size_t count, int visible)
{
    t->count = count;
    if (count == 0)
        t->selected = 0;
    else if (t->selected >= count)
        t->selected = count - 1;
    tui_table_reveal(t, visible);
}

void tui_table_sort_next(struct tui_table_state *t, int ncols)
{
    t->sort_column = t->sort_column + 1 >= ncols ? 0 : t->sort_column + 1;
    t->sort_desc = false;
}

void tui_table_sort_flip(struct tui_table_state *t)
{
    if (t->sort_column < 0)
        t->sort_column = 0;
    t->sort_desc = !t->sort_desc;
}

static void merge(size_t *idx, size_t *tmp, size_t lo, size_t mid, size_t hi, int column,
                  bool desc, tui_row_cmp cmp, void *payload)
{
    size_t i = lo;
    size_t j = mid;
    size_t k = lo;
    while (i < mid && j < hi) {
        int c = cmp(idx[i], idx[j], column, payload);
        if (desc)
            c = -c;
        tmp[k++] = c <= 0 ? idx[i++] : idx[j++];
    }
    while (i < mid)
        tmp[k++] = idx[i++];
    while (j < hi)
        tmp[k++] = idx[j++];
    memcpy(idx + lo, tmp + lo, (hi - lo) * sizeof *idx);
}

void tui_table_sort(size_t *idx, size_t n, int column, bool desc, tui_row_cmp cmp,
                    void *payload)
{
    if (n < 2)
        return;
    size_t *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return; /* out of memory: the rows keep their order, which is still correct data */
    for (size_t width = 1; width < n; width *= 2)
        for (size_t lo = 0; lo + width < n; lo += 2 * width) {
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            merge(idx, tmp, lo, lo + width, hi, column, desc, cmp, payload);
        }
    free(tmp);
}

bool tui_table_row_at(const struct tui_table_state *t, int first_y, int visible, int y,
                      size_t *out)
{
    if (y < first_y || y >= first_y + visible)
        return false;
    size_t row = t->top + (size_t)(y - first_y);
    if (row >= t->count)
        return false;
    *out = row;
    return true;
}
