/* cli.h - the headless subcommands: one file each under tui/cli/, one table in commands.c.
 * Subcommands call core/ and print; they never touch curses. */
#ifndef TUI_CLI_H
#define TUI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "lakerewind/config.h"
#include "lakerewind/error.h"

/* Exit codes (documented in man/lakerewind.1). */
enum tui_exit {
    TUI_EXIT_OK = 0,       /* success */
    TUI_EXIT_ERROR = 1,    /* an error: store, log, I/O, ... */
    TUI_EXIT_USAGE = 2,    /* bad command line */
    TUI_EXIT_REFUSED = 3,  /* a safety check refused: validation, confirmation, blockers */
    TUI_EXIT_PARTIAL = 4,  /* some tables restored, some failed */
    TUI_EXIT_DRY_RUN = 5,  /* a dry run completed; nothing was written */
};

/* Options every subcommand shares (parsed before the subcommand name). */
struct tui_global {
    const char *config_path; /* --config */
    const char *profile;     /* --profile */
    const char *lakehouse;   /* --lakehouse */
    const char *log_path;    /* --log FILE: the debug log */
    bool read_only;          /* --read-only */
    bool guided;             /* --guided */
    bool live;               /* --live */
    bool show_stats;         /* --stats */
    /* The resolved configuration (tui/cli/settings.c), loaded by main before the console and
     * every command except help and version (NULL for those, and for `config` when the file
     * is broken: config reports that itself). Owned by main. When a profile gives a
     * lakehouse and --lakehouse is absent, `lakehouse` points at the profile's; `read_only` is
     * also set by the profile's read_only. */
    const struct lr_settings *settings;
};

typedef int (*tui_command_fn)(int argc, char **argv, const struct tui_global *g);

struct tui_command {
    const char *name;
    const char *usage;   /* one line: "table show URI [--version N] [--json]" */
    const char *summary; /* one line */
    tui_command_fn run;  /* argv[0] is the command name */
};

/* NULL-terminated table of subcommands. */
extern const struct tui_command tui_commands[];

/* Load the configuration for `g` (--config, --profile) into `out` (caller frees with
 * lr_settings_free(), also on failure) and print its warnings to stderr, one
 * "lakerewind: warning: ..." line each. */
int tui_load_profile(const struct tui_global *g, struct lr_settings *out, struct lr_error *err);

/* The lakehouse URI to use: --lakehouse, else the profile's, else NULL. Borrowed. */
const char *tui_lakehouse_uri(const struct tui_global *g);

/* Open the lakehouse store with the profile's storage options. Caller closes it. Fails with
 * LR_EINVAL naming the ways to choose a lakehouse when none is configured. */
int tui_open_lakehouse(const struct tui_global *g, struct lr_store **out, struct lr_error *err);

/* Open the store at `uri` (any URI a command names) with the profile's storage options
 * (credentials, endpoint, timeouts, single_writer) and the environment. Caller closes it. */
int tui_open_store(const struct tui_global *g, const char *uri, struct lr_store **out,
                   struct lr_error *err);

/* `--stats`: one line per store opened by this process (lr_store_stats_rows), each
 * "lakerewind: stats: BACKEND URI: N requests (list a, get b, head c, put d, delete e),
 * X bytes in, Y bytes out, R retries, E errors"; or one line saying no store was opened.
 * URIs are the secret-free display URIs (tui/cli/stats.c). */
void tui_print_store_stats(FILE *out);

/* The full-screen console (tui/console.c). */
int tui_console_main(const struct tui_global *g);

/* After getopt_long, take the positional "ACTION [NAME]" from argv[optind..] for command `cmd`
 * ("checkpoints", "drill"). 0 on success; -1 after printing the usage (no action) or the
 * unexpected extra argument to stderr. *name is NULL when absent. */
int tui_cli_action_and_name(int argc, char **argv, int optind_now, const char *cmd,
                            void (*usage)(FILE *), const char **action, const char **name);

/* Print `usage` lines of the command to `out`. */
void tui_command_usage(FILE *out, const struct tui_command *c);
const struct tui_command *tui_command_find(const char *name);

#endif
