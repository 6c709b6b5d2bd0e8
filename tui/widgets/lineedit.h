/* lineedit.h - the pure half of the text prompt (`:` commands, `/` filter, the typed
 * confirmation): a bounded UTF-8 line with a cursor, edited by keys.h codes. */
#ifndef TUI_LINEEDIT_H
#define TUI_LINEEDIT_H

#include <stddef.h>

#define TUI_LINE_MAX 256

struct tui_line {
    char text[TUI_LINE_MAX]; /* always NUL-terminated valid UTF-8 */
    size_t len;              /* bytes */
    size_t cursor;           /* byte offset, on a character boundary */
};

enum tui_line_result {
    TUI_LINE_EDITING, /* the key changed (or did not change) the line */
    TUI_LINE_SUBMIT,  /* Enter */
    TUI_LINE_CANCEL,  /* Esc */
};

void tui_line_clear(struct tui_line *l);
void tui_line_set(struct tui_line *l, const char *s);
/* Apply one key: printable characters insert (when they fit), Backspace/Delete, Left/Right,
 * Home/End (and C-a/C-e), C-u clears, C-w deletes the word before the cursor. */
enum tui_line_result tui_line_key(struct tui_line *l, int key);
/* Columns from the start of the line to the cursor (for placing the terminal cursor). */
int tui_line_cursor_col(const struct tui_line *l);

#endif
