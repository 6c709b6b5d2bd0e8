/* rollback.c - `lakerewind rollback CHECKPOINT [--tables a,b] [--dry-run | --rehearse [--confirm
 * PHRASE] | --execute --confirm PHRASE] [--json] [--events]`: the impact analysis (a dry run,
 * the default), a dry run through every step (--rehearse: nothing written), or the confirmed
 * run. --json prints the impact document or the run summary (product.md); --events prints the
 * event stream as JSON lines instead; otherwise an executing run on a terminal shows live
 * per-table progress (progress.c) and everything else goes to stderr as plain timestamped
 * lines. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/wfctx.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: lakerewind rollback CHECKPOINT [--tables a,b] [--dry-run] [--json] "
            "[--events]\n"
            "       lakerewind rollback CHECKPOINT [--tables a,b] --rehearse [--confirm PHRASE] "
            "[--parallel N] [--json] [--events]\n"
            "       lakerewind rollback CHECKPOINT [--tables a,b] --execute --confirm PHRASE "
            "[--parallel N] [--json]\n"
            "       lakerewind rollback --resume RUN_ID [--execute --confirm PHRASE] [--json]\n"
            "  The dry run (default) prints the impact and the phrase --confirm needs.\n"
            "  --rehearse runs every step (phrase when given, snapshots, each restore commit\n"
            "  built and checked against the current version, validation of the result) and\n"
            "  writes nothing but audit rows marked as a dry run.\n");
}

struct rb_args {
    const char *checkpoint;
    const char *tables;
    const char *confirm;
    const char *resume;
    bool execute;
    bool dry_run;
    bool rehearse;
    bool json;
    bool events;
    int64_t parallel;
};

static int parse(int argc, char **argv, struct rb_args *a)
{
    static const struct option opts[] = {
        {"tables", required_argument, NULL, 'T'}, {"confirm", required_argument, NULL, 'c'},
        {"execute", no_argument, NULL, 'x'},      {"dry-run", no_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},         {"events", no_argument, NULL, 'e'},
        {"parallel", required_argument, NULL, 'p'}, {"help", no_argument, NULL, 'h'},
        {"resume", required_argument, NULL, 'r'}, {"rehearse", no_argument, NULL, 'R'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'T': a->tables = optarg; break;
        case 'c': a->confirm = optarg; break;
        case 'x': a->execute = true; break;
        case 'd': a->dry_run = true; break;
        case 'R': a->rehearse = true; break;
        case 'j': a->json = true; break;
        case 'e': a->events = true; break;
        case 'r': a->resume = optarg; break;
        case 'p':
            if (!lr_parse_int64(optarg, &a->parallel) || a->parallel < 1 || a->parallel > 64) {
                fprintf(stderr, "lakerewind rollback: --parallel needs 1 to 64, got \"%s\"\n",
                        optarg);
                return -1;
            }
            break;
        case 'h': usage(stdout); return 1;
        default:
            fprintf(stderr, "lakerewind rollback: unknown or incomplete option %s\n",
                    argv[optind - 1]);
            usage(stderr);
            return -1;
        }
    }
    if (a->resume ? optind != argc : optind != argc - 1) {
        fprintf(stderr, "lakerewind rollback: give exactly one CHECKPOINT (or --resume RUN_ID "
                        "alone)\n");
        usage(stderr);
        return -1;
    }
    a->checkpoint = a->resume ? NULL : argv[optind];
    if (a->execute && a->dry_run) {
        fprintf(stderr, "lakerewind rollback: --dry-run and --execute exclude each other\n");
        return -1;
    }
    if (a->rehearse && (a->execute || a->dry_run || a->resume)) {
        fprintf(stderr, "lakerewind rollback: --rehearse excludes --execute, --dry-run and "
                        "--resume\n");
        return -1;
    }
    if (a->execute && !a->confirm) {
        fprintf(stderr, "lakerewind rollback: --execute needs --confirm PHRASE (run the dry run "
                        "first: it prints the phrase)\n");
        return -1;
    }
    return 0;
}

void tui_print_impact(const struct lr_impact *im)
{
    if (im->kind == LR_PLAN_UNDO)
        printf("Impact of undoing run %s (run %s)\n\n", im->checkpoint, im->run_id);
    else
        printf("Impact of rolling back to %s (run %s)\n\n", im->checkpoint, im->run_id);
    printf("%-28s %-15s %10s %10s %9s %7s %7s %7s  %s\n", "table", "version", "rows now",
           "rows then", "delta", "+files", "-files", "commits", "risk");
    for (size_t i = 0; i < im->table_count; i++) {
        const struct lr_table_impact *t = &im->tables[i];
        char ver[40];
        snprintf(ver, sizeof ver, "%lld -> %lld", (long long)t->current_version,
                 (long long)t->target_version);
        printf("%-28s %-15s %10lld %10lld %9lld %7lld %7lld %7lld  %s\n", t->name, ver,
               (long long)t->rows_now, (long long)t->rows_then, (long long)t->delta_rows,
               (long long)t->files_to_add, (long long)t->files_to_remove,
               (long long)t->commits_undone, lr_risk_level_name(t->risk.level));
        for (size_t k = 0; k < t->risk.reasons.count; k++)
            printf("    - %s\n", t->risk.reasons.items[k]);
        for (size_t k = 0; k < t->blockers.count; k++)
            printf("    BLOCKER: %s\n", t->blockers.items[k]);
        for (size_t k = 0; k < t->warnings.count; k++)
            printf("    warning: %s\n", t->warnings.items[k]);
    }
    printf("\ntotal: %zu tables, delta rows %lld, files +%lld -%lld, %lld commits undone, "
           "%zu High / %zu Medium / %zu Low, %zu blocked\n",
           im->totals.tables, (long long)im->totals.delta_rows,
           (long long)im->totals.files_to_add, (long long)im->totals.files_to_remove,
           (long long)im->totals.commits_undone, im->totals.high, im->totals.medium,
           im->totals.low, im->totals.blocked);
    for (size_t k = 0; k < im->warnings.count; k++)
        printf("warning: %s\n", im->warnings.items[k]);
    printf("\nDry run: nothing was written but the audit log. To execute:\n"
           "  lakerewind %s %s --execute --confirm '%s'\n",
           im->kind == LR_PLAN_UNDO ? "undo" : im->kind == LR_PLAN_RESUME ? "rollback --resume"
                                                                          : "rollback",
           im->checkpoint,
           im->confirmation_phrase ? im->confirmation_phrase : "");
}

void tui_print_result(const struct lr_run_result *r, bool with_tables)
{
    if (r->is_rehearsal)
        printf("run %s: dry run through every step: the run would have %s; NOTHING was "
               "written (no table, no journal, no post-rollback checkpoint)\n", r->run_id,
               lr_run_status_name(r->rehearsal_outcome));
    else
        printf("run %s: %s\n", r->run_id, lr_run_status_name(r->status));
    if (r->refusal)
        printf("refused: %s\n", r->refusal);
    for (size_t i = 0; with_tables && i < r->table_count; i++) {
        const struct lr_table_result *t = &r->tables[i];
        printf("  %-28s %-8s", t->name, lr_table_state_name(t->state));
        if (t->version_written >= 0)
            printf(" version %lld", (long long)t->version_written);
        else if (t->version_rehearsed >= 0)
            printf(" would write version %lld", (long long)t->version_rehearsed);
        if (t->has_validation)
            printf(" quality %.0f%s", t->validation.quality_score,
                   t->validation.passed ? "" : " (validation failed)");
        if (t->error)
            printf(" - %s", t->error);
        printf("\n");
    }
    if (r->post_rollback_checkpoint)
        printf("post-rollback checkpoint: %s\n", r->post_rollback_checkpoint);
    for (size_t i = 0; i < r->warnings.count; i++)
        printf("warning: %s\n", r->warnings.items[i]);
}

int tui_cmd_rollback(int argc, char **argv, const struct tui_global *g)
{
    struct rb_args a;
    int prc = parse(argc, argv, &a);
    if (prc != 0)
        return prc > 0 ? TUI_EXIT_OK : TUI_EXIT_USAGE;
    if (a.execute && g->read_only) {
        fprintf(stderr, "lakerewind rollback: --execute is refused in read-only mode\n");
        return TUI_EXIT_REFUSED;
    }
    struct lr_strvec tables = {0};
    if (a.tables && tui_split_list("rollback", "--tables", a.tables, &tables) < 0)
        return TUI_EXIT_USAGE;
    struct tui_wfctx w;
    int rc = tui_wfctx_open(&w, g, "rollback");
    if (rc != 0) {
        lr_strvec_free(&tables);
        return rc;
    }
    if (a.parallel > 0)
        w.cfg.parallel = (int)a.parallel;
    tui_warn_interrupted(&w);
    struct lr_event_sink sink = a.events ? tui_event_sink_json()
                                : a.json ? (struct lr_event_sink){NULL, NULL}
                                         : tui_event_sink_text();
    struct tui_live *live = NULL;
    if (a.execute && !a.events && !a.json && tui_live_wanted(stdout)) {
        char title[160];
        if (a.resume)
            snprintf(title, sizeof title, "resume of run %.8s", a.resume);
        else
            snprintf(title, sizeof title, "rollback to %.100s", a.checkpoint);
        struct lr_event_sink ls;
        live = tui_live_open(stdout, title, &ls);
        if (live)
            sink = ls;
    }
    struct lr_emitter em;
    lr_emitter_init(&em, &sink, NULL);
    struct lr_rollback_request req = {a.checkpoint, (const char *const *)tables.items,
                                      tables.count, a.execute, a.confirm, a.rehearse, NULL};
    struct lr_undo_request resume = {a.resume, a.execute, a.confirm, NULL};
    struct lr_run_result res;
    struct lr_error err;
    int run_rc = a.resume ? lr_resume_run(&w.ctx, &w.cfg, &resume, &em, &res, &err)
                          : lr_rollback_run(&w.ctx, &w.cfg, &req, &em, &res, &err);
    bool is_live = live != NULL;
    tui_live_close(live, run_rc < 0 ? NULL : &res);
    if (run_rc < 0) {
        fprintf(stderr, "lakerewind rollback: %s\n", err.message);
        rc = TUI_EXIT_ERROR;
    } else {
        rc = tui_exit_for_status(res.status);
        bool show_impact = res.status == LR_RUN_DRY_RUN && res.has_impact && !res.is_rehearsal;
        if (a.events) {
            /* the events were the output */
        } else if (a.json) {
            char *s = show_impact ? lr_impact_to_json(&res.impact) : lr_run_result_to_json(&res);
            printf("%s\n", s ? s : "null");
            free(s);
        } else if (show_impact) {
            tui_print_impact(&res.impact);
        } else {
            tui_print_result(&res, !is_live);
        }
        if (res.status == LR_RUN_REFUSED && (a.json || a.events))
            fprintf(stderr, "lakerewind rollback: refused: %s\n", res.refusal ? res.refusal : "");
    }
    lr_run_result_free(&res);
    lr_emitter_destroy(&em);
    tui_wfctx_close(&w);
    lr_strvec_free(&tables);
    return rc;
}
