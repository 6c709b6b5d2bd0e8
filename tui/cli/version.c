/* version.c - `lakerewind version` / `--version`. */
#include <stdio.h>

#include "cli/commands.h"
#include "lakerewind/version.h"

int tui_cmd_version(int argc, char **argv, const struct tui_global *g)
{
    (void)argc;
    (void)argv;
    (void)g;
    printf("lakerewind %s\n", lr_version());
    return TUI_EXIT_OK;
}
