/* term.h - the terminal, as the rest of tui/ sees it: roles instead of colours, sanitised UTF-8
 * text cut to a width, line-drawing glyphs with an ASCII fallback, translated keys, and the
 * cursor left on the selected row. term.c is the only file that includes curses.
 *
 * Every string passed here must already be sanitised (sanitize.h); term.c only cuts it. */
#ifndef TUI_TERM_H
#define TUI_TERM_H

#include <stdbool.h>

#include "lakerewind/error.h"
#include "theme_parse.h"

struct tui_term_options {
    const struct tui_theme *theme;
    bool no_color; /* NO_COLOR set (any non-empty value), or the user asked for no colour */
    bool ascii;    /* force ASCII line drawing and text (ui.ascii); also when the locale is not
                      UTF-8 */
    bool mouse;    /* report clicks and the wheel (ui.mouse); off by default */
};

enum tui_mouse_kind { TUI_MOUSE_PRESS = 1, TUI_MOUSE_WHEEL_UP, TUI_MOUSE_WHEEL_DOWN };

struct tui_mouse {
    enum tui_mouse_kind kind;
    int y;
    int x;
};

enum tui_glyph {
    GLYPH_HLINE,
    GLYPH_VLINE,
    GLYPH_TL,
    GLYPH_TR,
    GLYPH_BL,
    GLYPH_BR,
    GLYPH_SEP,        /* header separator "│" */
    GLYPH_ELLIPSIS,   /* loading mark "…" */
    GLYPH_ARROW_UP,   /* sort markers */
    GLYPH_ARROW_DOWN,
    GLYPH_BAR_FULL,   /* progress bar */
    GLYPH_BAR_EMPTY,
    GLYPH_POINTER,    /* selected row marker */
    GLYPH_COUNT
};

/* Set up the terminal (locale, curses, colours, keys, SIGWINCH wake-up). `wake_fd` is written
 * one byte on SIGWINCH so a poll() loop wakes (-1 for none). Returns LR_EIO when there is no
 * terminal. Pair with tui_term_end(). */
int tui_term_init(const struct tui_term_options *o, int wake_fd, struct lr_error *err);
void tui_term_end(void);

/* Switch themes at run time (colour pairs are rebuilt). */
void tui_term_set_theme(const struct tui_theme *t);

bool tui_term_is_ascii(void);
/* Colours in use: 0 with NO_COLOR or a monochrome terminal, else 8, 16 or 256. */
int tui_term_colors(void);
void tui_term_size(int *w, int *h);

/* Drawing: coordinates are clipped to the screen. */
void tui_term_erase(void);
void tui_term_fill(int y, int x, int w, enum tui_role role);
/* Draw sanitised `s` at (y, x) cut to `maxw` columns (with an ellipsis when cut). Returns the
 * columns used. */
int tui_term_text(int y, int x, int maxw, enum tui_role role, const char *s);
/* Like tui_term_text, then pads with spaces in the same role up to exactly `w` columns. */
void tui_term_text_pad(int y, int x, int w, enum tui_role role, const char *s);
void tui_term_hline(int y, int x, int w, enum tui_role role);
void tui_term_box(int y, int x, int h, int w, enum tui_role role);
const char *tui_term_glyph(enum tui_glyph g);

/* Leave the hardware cursor at (y, x) after the next flush (screen readers follow it). */
void tui_term_cursor(int y, int x);
void tui_term_flush(void);
/* Forget what the terminal shows and repaint everything on the next flush (Ctrl-L). */
void tui_term_invalidate(void);

/* The terminal's input file descriptor, for poll(). */
int tui_term_input_fd(void);
/* One key without waiting: a keys.h code, TUI_KEY_RESIZE after a resize, TUI_KEY_MOUSE for a
 * mouse event (only with the mouse option), or -1 when none. */
int tui_term_read_key(void);
/* The mouse event behind a TUI_KEY_MOUSE (call once per TUI_KEY_MOUSE: it is taken). */
struct tui_mouse tui_term_mouse(void);

#endif
