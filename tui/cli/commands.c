/* commands.c - the subcommand table: adding a subcommand means one line here and one file. */
#include <string.h>

#include "cli/commands.h"


const struct tui_command tui_commands[] = {
    {"version", "version", "print the version", tui_cmd_version},
    {"table", "table show|history|restore URI [options]",
     "one Delta table: snapshot, history, restore to a version or time", tui_cmd_table},
    {"inspect", "inspect parquet FILE [--json] [--columns P,...]",
     "show a Parquet file's schema, row groups and statistics, or its rows as JSON lines",
     tui_cmd_inspect},
    {NULL, NULL, NULL, NULL},
};

const struct tui_command *tui_command_find(const char *name)
{
    for (const struct tui_command *c = tui_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

void tui_command_usage(FILE *out, const struct tui_command *c)
{
    fprintf(out, "usage: lakerewind [global options] %s\n  %s\n", c->usage, c->summary);
}
