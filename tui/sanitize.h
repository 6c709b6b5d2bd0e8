/* sanitize.h - the one gate every string from the lake passes before it reaches the screen.
 *
 * Table names, operations, user names and error text come from logs and stores that an attacker
 * may write. tui_sanitize() turns any byte string into printable text: no C0/C1 control, no DEL,
 * no escape sequence (CSI, OSC, DCS, ...), no bidi override and no invalid UTF-8 survives; each
 * is replaced by a visible stand-in, so the operator still sees that something odd is there.
 * The width helpers measure and cut sanitised text by terminal columns (wcwidth), never bytes.
 * Pure functions: no curses, so they are unit tested (tests/tui_unit/test_sanitize.c). */
#ifndef TUI_SANITIZE_H
#define TUI_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

/* Stand-ins used for what cannot be shown (documented for the tests and the manual):
 *   ESC -> "\e", BEL -> "\a", TAB -> "\t", LF -> "\n", CR -> "\r", other C0 and DEL -> "\xNN",
 *   C1 (U+0080..U+009F) -> "\u00NN", bidi/zero-width format characters -> "\uNNNN",
 *   invalid UTF-8 byte -> U+FFFD (or "?" in ASCII mode), other non-ASCII in ASCII mode -> "?".
 * Printability follows the locale (wcwidth): in a non-UTF-8 locale every non-ASCII character
 * is shown as "\uNNNN". */

/* Sanitise `len` bytes of `in` (which may contain NULs and garbage). `ascii` asks for pure
 * 7-bit output (non-UTF-8 locale or ui.ascii). Returns a NUL-terminated malloc'd string that the
 * caller frees, or NULL when out of memory. */
char *tui_sanitize(const char *in, size_t len, bool ascii);

/* Same, for a NUL-terminated string (NULL gives ""). Caller frees. */
char *tui_sanitize_str(const char *in, bool ascii);

/* Display width in columns of sanitised (valid, printable UTF-8) text. */
int tui_text_width(const char *s);

/* Copy `s` into `out` (capacity `cap` bytes) cut to at most `width` columns; when cut, the
 * last column is an ellipsis ("…", or "~" in ASCII mode). A double-width character is never
 * split. Returns the columns used. `out` is always NUL-terminated when cap > 0. */
int tui_text_fit(char *out, size_t cap, const char *s, int width, bool ascii);

#endif
