/* commands.c - the subcommand table: adding a subcommand means one line here and one file. */
#include <string.h>

#include "cli/commands.h"


const struct tui_command tui_commands[] = {
    {"config", "config check|paths|keys [--json]",
     "validate the configuration and show the resolved profile, the file used, or every key",
     tui_cmd_config},
    {"version", "version", "print the version", tui_cmd_version},
    {"table", "table show|history|restore URI [options]",
     "one Delta table: snapshot, history, restore to a version or time", tui_cmd_table},
    {"inspect", "inspect parquet FILE [--json] [--columns P,...]",
     "show a Parquet file's schema, row groups and statistics, or its rows as JSON lines",
     tui_cmd_inspect},
    {"checkpoints", "checkpoints list|show|create|validate|deactivate [NAME] [--json]",
     "named checkpoints: list them (filters, retention warnings), show one, take one",
     tui_cmd_checkpoints},
    {"rollback", "rollback CHECKPOINT [--tables a,b] [--dry-run | --execute --confirm PHRASE]",
     "roll tables back to a checkpoint: impact analysis (dry run) or the confirmed run",
     tui_cmd_rollback},
    {"demo", "demo [DIR] [--no-tui] [--as-of YYYY-MM-DD] [--seed N]",
     "build the demo lakehouse (if absent) and open the console on it", tui_cmd_demo},
    {"undo", "undo RUN_ID [--execute --confirm PHRASE] [--json]",
     "put every table a run restored back at its pre-rollback version", tui_cmd_undo},
    {"runs", "runs [show RUN_ID] [--json]", "what past runs did, from journals and audit rows",
     tui_cmd_runs},
    {"drill", "drill list|run SCENARIO|score SCENARIO|results [--dir DIR] [--answers FILE]",
     "training drills: sandbox incidents, scripted or console answers, scored debriefs",
     tui_cmd_drill},
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

int tui_cli_action_and_name(int argc, char **argv, int optind_now, const char *cmd,
                            void (*usage)(FILE *), const char **action, const char **name)
{
    int i = optind_now;
    *action = NULL;
    *name = NULL;
    if (i >= argc) {
        usage(stderr);
        return -1;
    }
    *action = argv[i++];
    if (i < argc)
        *name = argv[i++];
    if (i < argc) {
        fprintf(stderr, "lakerewind %s: unexpected argument \"%s\"\n", cmd, argv[i]);
        return -1;
    }
    return 0;
}
