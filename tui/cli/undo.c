/* undo.c - `lakerewind undo RUN_ID [--execute --confirm PHRASE] [--json] [--events]`: put every
 * table a run restored back at its pre-rollback version; without --execute, the undo's impact
 * and its own phrase. Progress as in rollback.c: live on a terminal, plain lines otherwise. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/wfctx.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: lakerewind undo RUN_ID [--execute --confirm PHRASE] [--json] "
                 "[--events]\n");
}

int tui_cmd_undo(int argc, char **argv, const struct tui_global *g)
{
    static const struct option opts[] = {
        {"confirm", required_argument, NULL, 'c'}, {"execute", no_argument, NULL, 'x'},
        {"dry-run", no_argument, NULL, 'd'},       {"json", no_argument, NULL, 'j'},
        {"events", no_argument, NULL, 'e'},        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool execute = false, json = false, events = false;
    const char *confirm = NULL;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c': confirm = optarg; break;
        case 'x': execute = true; break;
        case 'd': break;
        case 'j': json = true; break;
        case 'e': events = true; break;
        case 'h': usage(stdout); return TUI_EXIT_OK;
        default:
            fprintf(stderr, "lakerewind undo: unknown or incomplete option %s\n",
                    argv[optind - 1]);
            usage(stderr);
            return TUI_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "lakerewind undo: give exactly one RUN_ID (see `lakerewind runs`)\n");
        return TUI_EXIT_USAGE;
    }
    if (execute && !confirm) {
        fprintf(stderr, "lakerewind undo: --execute needs --confirm PHRASE (run `lakerewind "
                        "undo %s` first: it prints the phrase)\n", argv[optind]);
        return TUI_EXIT_USAGE;
    }
    if (execute && g->read_only) {
        fprintf(stderr, "lakerewind undo: --execute is refused in read-only mode\n");
        return TUI_EXIT_REFUSED;
    }
    struct tui_wfctx w;
    int rc = tui_wfctx_open(&w, g, "undo");
    if (rc != 0)
        return rc;
    struct lr_event_sink sink = events ? tui_event_sink_json()
                                : json ? (struct lr_event_sink){NULL, NULL}
                                       : tui_event_sink_text();
    struct tui_live *live = NULL;
    if (execute && !events && !json && tui_live_wanted(stdout)) {
        char title[64];
        snprintf(title, sizeof title, "undo of run %.8s", argv[optind]);
        struct lr_event_sink ls;
        live = tui_live_open(stdout, title, &ls);
        if (live)
            sink = ls;
    }
    struct lr_emitter em;
    lr_emitter_init(&em, &sink, NULL);
    struct lr_undo_request req = {argv[optind], execute, confirm, NULL};
    struct lr_run_result res;
    struct lr_error err;
    int run_rc = lr_undo_run(&w.ctx, &w.cfg, &req, &em, &res, &err);
    bool is_live = live != NULL;
    tui_live_close(live, run_rc < 0 ? NULL : &res);
    if (run_rc < 0) {
        fprintf(stderr, "lakerewind undo: %s\n", err.message);
        rc = TUI_EXIT_ERROR;
    } else {
        rc = tui_exit_for_status(res.status);
        bool show_impact = res.status == LR_RUN_DRY_RUN && res.has_impact;
        if (events) {
            /* the events were the output */
        } else if (json) {
            char *s = show_impact ? lr_impact_to_json(&res.impact) : lr_run_result_to_json(&res);
            printf("%s\n", s ? s : "null");
            free(s);
        } else if (show_impact) {
            tui_print_impact(&res.impact);
        } else {
            tui_print_result(&res, !is_live);
        }
        if (res.status == LR_RUN_REFUSED && (json || events))
            fprintf(stderr, "lakerewind undo: refused: %s\n", res.refusal ? res.refusal : "");
    }
    lr_run_result_free(&res);
    lr_emitter_destroy(&em);
    tui_wfctx_close(&w);
    return rc;
}
