/* main.c - argv -> the console or a subcommand. Global options come before the subcommand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lakerewind/alloc.h"
#include "lakerewind/config.h"
#include "lakerewind/error.h"
#include "lakerewind/log.h"
#include "lakerewind/store.h"
#include "lakerewind/timefmt.h"
#include "lakerewind/version.h"

static void print_help(FILE *out)
{
    fprintf(out,
            "lakerewind %s - roll Delta Lake lakehouse tables back to a named checkpoint\n\n"
            "usage: lakerewind [global options]             open the console\n"
            "       lakerewind [global options] COMMAND ...  run a command headless\n\n"
            "global options:\n"
            "  --config FILE      configuration file (default $XDG_CONFIG_HOME/lakerewind/config.yaml,\n"
            "                     then /etc/lakerewind/config.yaml)\n"
            "  --profile NAME     configuration profile (dev, test, prod, ...)\n"
            "  --lakehouse URI    lakehouse root: a folder, file://, abfss://, az://, https://, s3://\n"
            "  --read-only        never write; hide every write action\n"
            "  --live             allow writes in the console (it starts in dry-run mode)\n"
            "  --guided           guided dry-run walkthrough in the console\n"
            "  --log FILE         write a debug log (secrets redacted) to FILE\n"
            "  --stats            at the end, one stderr line per store: requests by kind,\n"
            "                     bytes in/out, retries, errors\n"
            "  --version          print the version\n"
            "  --help             this help; `lakerewind help COMMAND` for one command\n\n"
            "commands:\n",
            lr_version());
    for (const struct tui_command *c = tui_commands; c->name; c++)
        fprintf(out, "  %-58s %s\n", c->usage, c->summary);
}

static int take_value(int argc, char **argv, int *i, const char **out)
{
    const char *arg = argv[*i];
    const char *eq = strchr(arg, '=');
    if (eq) {
        *out = eq + 1;
        return 0;
    }
    if (*i + 1 >= argc || strncmp(argv[*i + 1], "--", 2) == 0) {
        fprintf(stderr, "lakerewind: %s needs a value (see lakerewind --help)\n", arg);
        return -1;
    }
    *out = argv[++*i];
    return 0;
}

static bool opt_is(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

/* LAKEREWIND_NOW only shifts ages, expiry and retention health; a value we cannot read would
 * silently leave the real clock in charge, so say so. */
static void check_fixed_clock(void)
{
    const char *now = getenv("LAKEREWIND_NOW");
    int64_t ms;
    if (now && *now && !lr_clock_parse(now, &ms))
        fprintf(stderr, "lakerewind: warning: LAKEREWIND_NOW=%s is not YYYY-MM-DD or "
                        "YYYY-MM-DDTHH:MM[:SS]Z; ages and expiry use the real clock\n", now);
}

int main(int argc, char **argv)
{
    lr_alloc_prefer_reuse();
    check_fixed_clock();
    struct tui_global g = {0};
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        int rc = 0;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            print_help(stdout);
            return TUI_EXIT_OK;
        } else if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
            printf("lakerewind %s\n", lr_version());
            return TUI_EXIT_OK;
        } else if (opt_is(a, "--config")) {
            rc = take_value(argc, argv, &i, &g.config_path);
        } else if (opt_is(a, "--profile")) {
            rc = take_value(argc, argv, &i, &g.profile);
        } else if (opt_is(a, "--lakehouse")) {
            rc = take_value(argc, argv, &i, &g.lakehouse);
        } else if (opt_is(a, "--log")) {
            rc = take_value(argc, argv, &i, &g.log_path);
        } else if (!strcmp(a, "--read-only")) {
            g.read_only = true;
        } else if (!strcmp(a, "--live")) {
            g.live = true;
        } else if (!strcmp(a, "--guided")) {
            g.guided = true;
        } else if (!strcmp(a, "--stats")) {
            g.show_stats = true;
        } else {
            fprintf(stderr, "lakerewind: unknown option %s (see lakerewind --help)\n", a);
            return TUI_EXIT_USAGE;
        }
        if (rc < 0)
            return TUI_EXIT_USAGE;
    }
    if (g.show_stats)
        lr_store_stats_track(true);
    /* The configuration, for the console and every command. `help` and `version` run
     * without it; `config` runs even when it is broken, to report the problem itself. */
    const char *cmd = i < argc ? argv[i] : NULL;
    if (cmd && strcmp(cmd, "help") != 0 && !tui_command_find(cmd)) {
        fprintf(stderr, "lakerewind: unknown command '%s' (see lakerewind --help)\n", cmd);
        return TUI_EXIT_USAGE;
    }
    bool is_config_cmd = cmd && strcmp(cmd, "config") == 0;
    bool wants_config = !cmd || (strcmp(cmd, "help") != 0 && strcmp(cmd, "version") != 0);
    struct lr_settings settings = {0};
    struct lr_error err;
    if (wants_config) {
        if (is_config_cmd ? lr_settings_load(&settings, g.config_path, g.profile, &err) < 0
                          : tui_load_profile(&g, &settings, &err) < 0) {
            lr_settings_free(&settings);
            if (!is_config_cmd) {
                fprintf(stderr, "lakerewind: %s\n", err.message);
                if (g.show_stats)
                    tui_print_store_stats(stderr);
                return TUI_EXIT_ERROR;
            }
        } else {
            g.settings = &settings;
        }
        if (!g.lakehouse)
            g.lakehouse = settings.profile.lakehouse;
        g.read_only = g.read_only || settings.profile.read_only;
    }
    /* The debug log: --log FILE (everything), else log.file from the configuration. */
    const char *log_path = g.log_path ? g.log_path : settings.log.file;
    int log_level = g.log_path ? LR_LOG_DEBUG : settings.log.level;
    if (log_path && lr_log_open(log_path, (enum lr_log_level)log_level, &err) < 0) {
        fprintf(stderr, "lakerewind: %s\n", err.message);
        lr_settings_free(&settings);
        if (g.show_stats)
            tui_print_store_stats(stderr);
        return TUI_EXIT_ERROR;
    }
    LR_INFO("lakerewind %s: command %s, configuration %s, profile %s", lr_version(),
            cmd ? cmd : "(console)", settings.source ? settings.source : "(built-in defaults)",
            settings.profile_name ? settings.profile_name : "(none)");
    int rc;
    if (i >= argc) {
        rc = tui_console_main(&g);
    } else if (!strcmp(argv[i], "help")) {
        const struct tui_command *c = i + 1 < argc ? tui_command_find(argv[i + 1]) : NULL;
        if (i + 1 < argc && !c) {
            fprintf(stderr, "lakerewind: no command '%s' (see lakerewind --help)\n", argv[i + 1]);
            rc = TUI_EXIT_USAGE;
        } else if (c) {
            tui_command_usage(stdout, c);
            rc = TUI_EXIT_OK;
        } else {
            print_help(stdout);
            rc = TUI_EXIT_OK;
        }
    } else {
        rc = tui_command_find(argv[i])->run(argc - i, argv + i, &g);
    }
    if (g.show_stats)
        tui_print_store_stats(stderr);
    lr_log_close();
    lr_settings_free(&settings);
    return rc;
}
