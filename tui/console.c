/* console.c - the full-screen console's entry point: `lakerewind` with no subcommand. The
 * console itself is app.c (loop, screens) over term.c (curses); this file only hands over. */
#include "app.h"
#include "cli/cli.h"

int tui_console_main(const struct tui_global *g)
{
    return tui_app_run(g);
}
