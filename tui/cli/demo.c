/* demo.c - `lakerewind demo [DIR] [--no-tui]`: build the demo lakehouse if DIR holds none yet,
 * then open the console on it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "lakerewind/demo.h"
#include "lakerewind/lakehouse.h"
#include "lakerewind/str.h"
#include "lakerewind/store.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: lakerewind demo [DIR] [--no-tui] [--seed N] [--as-of YYYY-MM-DD] "
            "[--scale PCT]\n"
            "  Builds the demo lakehouse in DIR (default $XDG_DATA_HOME/lakerewind/demo, i.e.\n"
            "  ~/.local/share/lakerewind/demo) unless it already holds tables, then opens the\n"
            "  console on it. --no-tui only builds. --as-of fixes the demo's 'today' (default:\n"
            "  the current UTC day) so builds are reproducible; --seed varies the data;\n"
            "  --scale shrinks or grows the row counts (percent, default 100).\n");
}

static char *default_dir(void)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && xdg[0] == '/')
        return lr_asprintf("%s/lakerewind/demo", xdg);
    const char *home = getenv("HOME");
    return home && *home ? lr_asprintf("%s/.local/share/lakerewind/demo", home)
                         : lr_strdup("lakerewind-demo");
}

static int parse_day(const char *text, int64_t *ms_out)
{
    struct tm tm = {0};
    const char *end = strptime(text, "%Y-%m-%d", &tm);
    if (!end || *end)
        return -1;
    *ms_out = (int64_t)timegm(&tm) * 1000;
    return 0;
}

int tui_cmd_demo(int argc, char **argv, const struct tui_global *g)
{
    const char *dir_arg = NULL;
    bool no_tui = false;
    struct lr_demo_options opts = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int64_t v;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return TUI_EXIT_OK;
        } else if (!strcmp(a, "--no-tui")) {
            no_tui = true;
        } else if (!strcmp(a, "--seed") && i + 1 < argc && lr_parse_int64(argv[i + 1], &v) &&
                   v > 0) {
            opts.seed = (uint64_t)v;
            i++;
        } else if (!strcmp(a, "--scale") && i + 1 < argc && lr_parse_int64(argv[i + 1], &v) &&
                   v > 0 && v <= 1000) {
            opts.scale_pct = (unsigned)v;
            i++;
        } else if (!strcmp(a, "--as-of") && i + 1 < argc &&
                   parse_day(argv[i + 1], &opts.anchor_ms) == 0) {
            i++;
        } else if (a[0] == '-') {
            fprintf(stderr, "lakerewind demo: bad or incomplete option %s\n", a);
            usage(stderr);
            return TUI_EXIT_USAGE;
        } else if (!dir_arg) {
            dir_arg = a;
        } else {
            fprintf(stderr, "lakerewind demo: one DIR only (got %s and %s)\n", dir_arg, a);
            return TUI_EXIT_USAGE;
        }
    }
    char *dir = dir_arg ? lr_strdup(dir_arg) : default_dir();
    if (!dir) {
        fprintf(stderr, "lakerewind demo: out of memory\n");
        return TUI_EXIT_ERROR;
    }
    struct lr_error err;
    struct lr_kv create = {"create_root", "true"};
    struct lr_store_options sopts = {&create, 1, false};
    struct lr_store *store = NULL;
    struct lr_table_list tables = {0};
    int rc = lr_store_open(&store, dir, &sopts, &err);
    if (rc == 0)
        rc = lr_lakehouse_discover(store, "Tables", &tables, &err);
    if (rc == 0 && tables.count > 0) {
        printf("demo lakehouse already built in %s (%zu tables)\n", dir, tables.count);
    } else if (rc == 0) {
        struct lr_demo_summary sum;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        rc = lr_demo_build(store, &opts, &sum, &err);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (rc == 0)
            printf("built the demo lakehouse in %s: %zu tables, %lld commits, %lld data files, "
                   "%lld rows, %zu named checkpoints (%.1f s)\n"
                   "a bad sync ran after checkpoint '%s': roll back to it with\n"
                   "  lakerewind --lakehouse %s rollback %s\n",
                   dir, sum.tables, (long long)sum.commits, (long long)sum.data_files,
                   (long long)sum.rows, sum.checkpoints,
                   (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
                   sum.good_checkpoint, dir, sum.good_checkpoint);
    }
    lr_table_list_free(&tables);
    lr_store_close(store);
    if (rc < 0) {
        fprintf(stderr, "lakerewind demo: %s\n", err.message);
        free(dir);
        return TUI_EXIT_ERROR;
    }
    int exit_code = TUI_EXIT_OK;
    if (!no_tui) {
        struct tui_global console = *g;
        console.lakehouse = dir;
        exit_code = tui_console_main(&console);
    }
    free(dir);
    return exit_code;
}
