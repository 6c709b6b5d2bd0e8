/* prompt.c - drawing the one-line prompt (`:`, `/`, typed confirmation) with the cursor in it.
 * Editing is lineedit.c. */
#include <string.h>

#include "../sanitize.h"
#include "../term.h"
#include "widgets.h"

void tui_prompt_draw(int y, int w, const char *prefix, const struct tui_line *l)
{
    tui_term_fill(y, 0, w, ROLE_PROMPT);
    int x = tui_term_text(y, 0, w, ROLE_PROMPT, prefix);
    int room = w - x - 1;
    int col = tui_line_cursor_col(l);
    /* Keep the cursor visible on long lines by showing the tail. */
    const char *shown = l->text;
    while (col > room && *shown) {
        const char *next = shown + 1;
        while ((*next & 0xC0) == 0x80)
            next++;
        char head[TUI_LINE_MAX];
        size_t n = (size_t)(next - shown);
        memcpy(head, shown, n);
        head[n] = '\0';
        col -= tui_text_width(head);
        shown = next;
    }
    tui_term_text(y, x, room, ROLE_PROMPT, shown);
    tui_term_cursor(y, x + col);
}
