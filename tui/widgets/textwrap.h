/* textwrap.h - word wrapping of sanitised text to a column width (dialogs, help). Pure. */
#ifndef TUI_TEXTWRAP_H
#define TUI_TEXTWRAP_H

#include <stddef.h>

/* The byte length of the next line of `s` that fits in `width` columns, breaking at a space
 * when it can (a word longer than the line is cut) and at '\n' always. `*skip` gets the bytes to
 * skip after the line (the space or newline it broke at). 0 with *skip 0 at the end of `s`. */
size_t tui_wrap_next(const char *s, int width, size_t *skip);

/* The number of lines `s` wraps to in `width` columns. */
int tui_wrap_count(const char *s, int width);

#endif
