/* theme.h - choosing the console's theme: a name from themes/ or a path, loaded with a fall
 * back to the built-in default so a bad file never leaves the console unusable. */
#ifndef TUI_THEME_H
#define TUI_THEME_H

#include <stddef.h>

#include "theme_parse.h"

/* Load the theme `name` ("colorblind", or a path to a .yaml file; NULL or "" is "default").
 * Names are looked up in $LAKEREWIND_THEME_DIR, then the source tree's themes/, then the
 * installed share/lakerewind/themes. Always fills `out`: on any problem it holds the built-in
 * default theme, `problem` (capacity `cap`) says what went wrong ("theme: FILE:LINE:COL: key
 * ...; using the default theme") and the return value is negative; 0 when `name` loaded. */
int tui_theme_select(struct tui_theme *out, const char *name, char *problem, size_t cap);

#endif
