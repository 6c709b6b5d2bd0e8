/* runs.c - `lakerewind runs [show RUN_ID] [--json]`: what happened, from the run journals and
 * the SyncAuditLog metadata table. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/wfctx.h"
#include "lakerewind/journal.h"
#include "lakerewind/metadata.h"

static const char *run_status(const struct lr_run_state *st)
{
    if (st->is_dry_run)
        return "dry-run";
    return st->is_finished ? lr_run_status_name(st->status) : "interrupted";
}

static json_t *run_json(const struct lr_run_state *st, bool with_tables)
{
    json_t *o = json_object();
    char when[40];
    json_object_set_new(o, "run_id", json_string(st->run_id));
    json_object_set_new(o, "kind", json_string(lr_run_kind_name(st->kind)));
    json_object_set_new(o, "status", json_string(run_status(st)));
    json_object_set_new(o, "checkpoint", st->checkpoint ? json_string(st->checkpoint)
                                                        : json_null());
    json_object_set_new(o, "of_run", st->of_run ? json_string(st->of_run) : json_null());
    json_object_set_new(o, "operator", st->operator_name ? json_string(st->operator_name)
                                                         : json_null());
    json_object_set_new(o, "started", json_string(lr_event_format_time(st->started_ms, when,
                                                                         sizeof when)));
    json_object_set_new(o, "plan_digest", st->plan_digest ? json_string(st->plan_digest)
                                                          : json_null());
    json_object_set_new(o, "table_count", json_integer((json_int_t)st->table_count));
    if (with_tables) {
        json_t *tables = json_array();
        for (size_t i = 0; i < st->table_count; i++) {
            const struct lr_jtable *t = &st->tables[i];
            json_t *to = json_object();
            json_object_set_new(to, "name", json_string(t->name));
            json_object_set_new(to, "state", json_string(lr_jtable_state_name(t->state)));
            json_object_set_new(to, "pre_version", json_integer(t->pre_version));
            json_object_set_new(to, "target_version", json_integer(t->target_version));
            json_object_set_new(to, "version_written", t->version_written >= 0
                                                           ? json_integer(t->version_written)
                                                           : json_null());
            json_object_set_new(to, "quality_score", t->state == LR_JT_VALIDATED
                                                         ? json_real(t->quality_score)
                                                         : json_null());
            json_object_set_new(to, "error", t->error ? json_string(t->error) : json_null());
            json_array_append_new(tables, to);
        }
        json_object_set_new(o, "tables", tables);
    }
    return o;
}

static json_t *audit_of(const struct tui_wfctx *w, const char *run_id)
{
    json_t *rows = NULL;
    struct lr_error err;
    json_t *mine = json_array();
    if (lr_md_read(w->ctx.store, w->ctx.metadata_location, LR_MD_SYNC_AUDIT_LOG, &rows,
                   &err) < 0) {
        fprintf(stderr, "lakerewind runs: warning: audit log unreadable: %s\n", err.message);
        return mine;
    }
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *id = json_string_value(json_object_get(row, "PipelineRunId"));
        if (id && strcmp(id, run_id) == 0)
            json_array_append(mine, row);
    }
    json_decref(rows);
    return mine;
}

int tui_cmd_runs(int argc, char **argv, const struct tui_global *g)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
    };
    bool json = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'j') {
            json = true;
        } else if (c == 'h') {
            printf("usage: lakerewind runs [show RUN_ID] [--json]\n");
            return TUI_EXIT_OK;
        } else {
            fprintf(stderr, "lakerewind runs: unknown option %s\n", argv[optind - 1]);
            return TUI_EXIT_USAGE;
        }
    }
    const char *show = NULL;
    if (optind < argc) {
        if (strcmp(argv[optind], "show") != 0 || optind + 2 != argc) {
            fprintf(stderr, "usage: lakerewind runs [show RUN_ID] [--json]\n");
            return TUI_EXIT_USAGE;
        }
        show = argv[optind + 1];
    }
    struct tui_wfctx w;
    int rc = tui_wfctx_open(&w, g, "runs");
    if (rc != 0)
        return rc;
    struct lr_run_state *runs = NULL;
    size_t n = 0;
    struct lr_error err;
    if (lr_journal_list_runs(w.ctx.store, w.cfg.runs_prefix, &runs, &n, &err) < 0) {
        fprintf(stderr, "lakerewind runs: %s\n", err.message);
        tui_wfctx_close(&w);
        return TUI_EXIT_ERROR;
    }
    rc = TUI_EXIT_OK;
    const struct lr_run_state *found = NULL;
    for (size_t i = 0; show && i < n; i++)
        if (strcmp(runs[i].run_id, show) == 0)
            found = &runs[i];
    if (show && !found) {
        fprintf(stderr, "lakerewind runs: no run %s (see `lakerewind runs`)\n", show);
        rc = TUI_EXIT_ERROR;
    } else if (show) {
        json_t *o = run_json(found, true);
        json_object_set_new(o, "audit", audit_of(&w, found->run_id));
        if (json) {
            char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            printf("%s\n", s ? s : "null");
            free(s);
        } else {
            printf("run %s: %s %s, %s, by %s\n", found->run_id, lr_run_kind_name(found->kind),
                   found->checkpoint ? found->checkpoint : found->of_run ? found->of_run : "",
                   run_status(found), found->operator_name ? found->operator_name : "?");
            for (size_t i = 0; i < found->table_count; i++) {
                const struct lr_jtable *t = &found->tables[i];
                printf("  %-28s %-9s %lld -> %lld", t->name, lr_jtable_state_name(t->state),
                       (long long)t->pre_version, (long long)t->target_version);
                if (t->version_written >= 0)
                    printf(" (written %lld)", (long long)t->version_written);
                if (t->error)
                    printf(" - %s", t->error);
                printf("\n");
            }
            size_t i;
            json_t *row;
            json_array_foreach(json_object_get(o, "audit"), i, row)
                printf("  audit: %-24s %-10s %s\n",
                       json_string_value(json_object_get(row, "Operation")),
                       json_string_value(json_object_get(row, "Status")),
                       json_string_value(json_object_get(row, "TableName"))
                           ? json_string_value(json_object_get(row, "TableName"))
                           : "");
        }
        json_decref(o);
    } else if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, run_json(&runs[i], false));
        char *s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("%s\n", s ? s : "[]");
        free(s);
        json_decref(arr);
    } else if (n == 0) {
        printf("no executed runs yet (dry runs are in the audit log only)\n");
    } else {
        for (size_t i = 0; i < n; i++) {
            char when[40];
            printf("%s  %-8s %-11s %-24s %3zu tables  %s\n", runs[i].run_id,
                   lr_run_kind_name(runs[i].kind), run_status(&runs[i]),
                   lr_event_format_time(runs[i].started_ms, when, sizeof when),
                   runs[i].table_count,
                   runs[i].checkpoint ? runs[i].checkpoint
                                      : runs[i].of_run ? runs[i].of_run : "");
        }
    }
    for (size_t i = 0; i < n; i++)
        lr_run_state_free(&runs[i]);
    free(runs);
    tui_wfctx_close(&w);
    return rc;
}
