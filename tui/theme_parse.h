/* theme_parse.h - themes as data: the roles the screen draws with, and the YAML that maps each
 * role to colours and attributes. Pure (no curses): term.c turns a struct tui_theme into colour
 * pairs; tests/tui_unit/test_theme.c checks the parser and every file in themes/.
 *
 * A theme file:
 *     name: default
 *     roles:
 *       header:    { fg: white, bg: blue, attrs: [bold] }
 *       risk_high: { fg: 196, attrs: [bold] }      # 0-255: reduced on 16/8-colour terminals
 * Colours: default, black, red, green, yellow, blue, magenta, cyan, white, bright-<name>, 0-255.
 * Attributes: bold, dim, underline, reverse, italic, standout.
 * A role the file leaves out keeps the built-in default theme's style. */
#ifndef TUI_THEME_PARSE_H
#define TUI_THEME_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "lakerewind/error.h"

enum tui_role {
    ROLE_NORMAL,         /* body text */
    ROLE_HEADER,         /* the top bar: product, lakehouse, mode */
    ROLE_TITLE,          /* a screen's title line */
    ROLE_COLUMN_HEADER,  /* table column names */
    ROLE_SELECTION,      /* the selected row */
    ROLE_DIM,            /* secondary text, loading marks */
    ROLE_BORDER,         /* boxes and separators */
    ROLE_FOOTER,         /* the key bar */
    ROLE_FOOTER_KEY,     /* a key name inside the footer */
    ROLE_OK,
    ROLE_WARN,
    ROLE_ERROR,
    ROLE_RISK_HIGH,
    ROLE_RISK_MEDIUM,
    ROLE_RISK_LOW,
    ROLE_BANNER_DRYRUN,  /* "DRY RUN" banner */
    ROLE_BANNER_LIVE,    /* "LIVE" banner: writes are allowed */
    ROLE_BANNER_READONLY,
    ROLE_PROMPT,         /* the : and / prompt line */
    ROLE_DIALOG,         /* dialog body */
    ROLE_PROGRESS_DONE,  /* filled part of a progress bar */
    ROLE_PROGRESS_LEFT,
    ROLE_SPARKLINE,
    ROLE_MATCH,          /* filter matches */
    ROLE_COUNT
};

/* Colour values: TUI_COLOR_DEFAULT (-1, the terminal's own) or 0..255 (0-7 normal, 8-15 bright,
 * 16-255 the xterm 256-colour cube and greys). */
#define TUI_COLOR_DEFAULT (-1)

enum tui_attr {
    TUI_ATTR_BOLD = 1 << 0,
    TUI_ATTR_DIM = 1 << 1,
    TUI_ATTR_UNDERLINE = 1 << 2,
    TUI_ATTR_REVERSE = 1 << 3,
    TUI_ATTR_ITALIC = 1 << 4,
    TUI_ATTR_STANDOUT = 1 << 5,
};

struct tui_style {
    short fg;
    short bg;
    unsigned attrs; /* enum tui_attr bits */
};

struct tui_theme {
    char name[64];
    struct tui_style roles[ROLE_COUNT];
};

/* The YAML key of a role ("risk_high"), static storage; NULL for an out-of-range role. */
const char *tui_role_key(enum tui_role role);

/* The built-in default theme (the same as themes/default.yaml; a unit test checks they agree). */
void tui_theme_builtin(struct tui_theme *out);

/* The built-in monochrome theme (the same as themes/monochrome.yaml): attributes only. The
 * terminal uses it for every role when colour is off (NO_COLOR, or a monochrome terminal). */
void tui_theme_monochrome(struct tui_theme *out);

/* Parse theme YAML held in memory. `filename` only names the source in errors. On error returns
 * LR_ECORRUPT (or LR_ENOMEM) with err->message "FILE:LINE:COL: key 'roles.x.fg': expected ...,
 * got '...'" and leaves `out` unspecified. */
int tui_theme_parse(struct tui_theme *out, const char *text, size_t len, const char *filename,
                    struct lr_error *err);

/* Read and parse a theme file. LR_ENOTFOUND / LR_EIO name the path. */
int tui_theme_load_file(struct tui_theme *out, const char *path, struct lr_error *err);

/* Reduce a colour to what a terminal with `ncolors` colours can show: 256 keeps it, 16 maps the
 * cube and greys to the nearest of the 16 ANSI colours, 8 folds bright colours to normal ones,
 * fewer than 8 (or NO_COLOR) gives TUI_COLOR_DEFAULT. */
short tui_color_reduce(short color, int ncolors);

/* Whether any role in the theme uses a colour (not TUI_COLOR_DEFAULT). */
bool tui_theme_has_color(const struct tui_theme *t);

#endif
