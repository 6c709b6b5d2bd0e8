/* wfctx.c - the lakehouse context and rollback configuration from the profile, list parsing,
 * and the event sinks the headless commands use. */
#include "cli/wfctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/identity.h"
#include "lakerewind/journal.h"
#include "lakerewind/store.h"

int tui_wfctx_open(struct tui_wfctx *w, const struct tui_global *g, const char *command)
{
    memset(w, 0, sizeof *w);
    struct lr_error err;
    struct lr_store *store = NULL;
    if (tui_open_lakehouse(g, &store, &err) < 0) {
        fprintf(stderr, "lakerewind %s: %s\n", command, err.message);
        return err.code == LR_EINVAL ? TUI_EXIT_USAGE : TUI_EXIT_ERROR;
    }
    const struct lr_profile *p = g->settings ? &g->settings->profile : NULL;
    w->ctx.store = store;
    w->ctx.tables_location = p ? p->tables_location : NULL;
    w->ctx.metadata_location = p ? p->metadata_location : NULL;
    if (p && p->tables.count) {
        w->ctx.tables = (const char *const *)p->tables.items;
        w->ctx.table_count = p->tables.count;
    }
    /* The credential's identity first (identity.h): a token that cannot be obtained here
     * fails the first request the same way, so only warn. */
    char *token_identity = NULL;
    if (lr_store_identity(store, &token_identity, &err) < 0)
        fprintf(stderr, "lakerewind %s: warning: %s\n", command, err.message);
    char login[128];
    struct lr_identity_inputs in = {token_identity, p ? p->operator_name : NULL,
                                    lr_login_name(login, sizeof login)};
    snprintf(w->operator_name, sizeof w->operator_name, "%s",
             lr_operator_resolve(&in, &w->operator_source));
    free(token_identity);
    w->ctx.operator_name = w->operator_name;
    w->warn_ms = p && p->retention_warn_ms > 0 ? p->retention_warn_ms : 7 * 86400000LL;
    w->checkpoint_retention_days =
        p && p->retention_checkpoint_ms >= 86400000LL ? p->retention_checkpoint_ms / 86400000LL
                                                      : 30;

    lr_risk_thresholds_default(&w->thresholds);
    w->cfg.thresholds = &w->thresholds;
    if (!p)
        return 0;
    w->thresholds.high_rows_pct = p->risk_high.rows_changed_pct;
    w->thresholds.medium_rows_pct = p->risk_medium.rows_changed_pct;
    w->thresholds.high_commits = p->risk_high.commits_undone;
    w->thresholds.medium_commits = p->risk_medium.commits_undone;
    w->thresholds.high_rows = p->risk_high.rows_changed;
    w->thresholds.medium_rows = p->risk_medium.rows_changed;
    w->thresholds.high_bytes = p->risk_high.bytes;
    w->thresholds.medium_bytes = p->risk_medium.bytes;
    w->thresholds.high_span_ms = p->risk_high.time_span_ms;
    w->thresholds.medium_span_ms = p->risk_medium.time_span_ms;
    w->thresholds.schema_change_is_high = p->schema_change_risk == LR_CONFIG_HIGH;
    size_t nrel = 0;
    for (size_t i = 0; i < p->relationships.count; i++)
        nrel += p->relationships.items[i].names.count;
    w->relationships = calloc(nrel + 1, sizeof *w->relationships);
    w->primary_keys = calloc(p->primary_keys.count + 1, sizeof *w->primary_keys);
    if (!w->relationships || !w->primary_keys) {
        fprintf(stderr, "lakerewind %s: out of memory\n", command);
        tui_wfctx_close(w);
        return TUI_EXIT_ERROR;
    }
    for (size_t i = 0; i < p->relationships.count; i++)
        for (size_t k = 0; k < p->relationships.items[i].names.count; k++) {
            w->relationships[w->cfg.relationship_count].table = p->relationships.items[i].key;
            w->relationships[w->cfg.relationship_count].related =
                p->relationships.items[i].names.items[k];
            w->cfg.relationship_count++;
        }
    for (size_t i = 0; i < p->primary_keys.count; i++) {
        w->primary_keys[i].table = p->primary_keys.items[i].key;
        w->primary_keys[i].columns = (const char *const *)p->primary_keys.items[i].names.items;
        w->primary_keys[i].count = p->primary_keys.items[i].names.count;
    }
    w->cfg.relationships = w->relationships;
    w->cfg.primary_keys = w->primary_keys;
    w->cfg.primary_key_count = p->primary_keys.count;
    w->cfg.tracking_columns = (const char *const *)p->tracking_columns.items;
    w->cfg.tracking_column_count = p->tracking_columns.count;
    w->cfg.streaming_tables = (const char *const *)p->streaming_tables.items;
    w->cfg.streaming_table_count = p->streaming_tables.count;
    w->cfg.parallel = (int)p->parallel;
    w->cfg.post_rollback_retention_days = p->retention_post_rollback_ms / 86400000LL;
    w->cfg.notify.url = p->webhook_url;
    w->cfg.notify.timeout_ms = (long)p->webhook_timeout_ms;
    return 0;
}

void tui_wfctx_close(struct tui_wfctx *w)
{
    lr_store_close(w->ctx.store);
    free(w->relationships);
    free(w->primary_keys);
    memset(w, 0, sizeof *w);
}

int tui_split_list(const char *command, const char *option, const char *text,
                   struct lr_strvec *out)
{
    const char *p = text;
    for (;;) {
        size_t n = strcspn(p, ",");
        if (n == 0) {
            fprintf(stderr, "lakerewind %s: %s has an empty name in \"%s\" (use a,b,c)\n",
                    command, option, text);
            return -1;
        }
        char *item = lr_strndup(p, n);
        if (!item || lr_strvec_push_owned(out, item) < 0)
            return -1;
        if (!p[n])
            return 0;
        p += n + 1;
    }
}

static void print_text(const struct lr_event *ev, void *payload)
{
    (void)payload;
    char line[2048];
    fprintf(stderr, "%s\n", lr_event_format_text(ev, line, sizeof line));
}

static void print_json(const struct lr_event *ev, void *payload)
{
    (void)payload;
    char *s = lr_event_to_json(ev);
    if (s) {
        fprintf(stdout, "%s\n", s);
        fflush(stdout);
    }
    free(s);
}

struct lr_event_sink tui_event_sink_text(void)
{
    struct lr_event_sink s = {print_text, NULL};
    return s;
}

struct lr_event_sink tui_event_sink_json(void)
{
    struct lr_event_sink s = {print_json, NULL};
    return s;
}

int tui_exit_for_status(enum lr_run_status s)
{
    switch (s) {
    case LR_RUN_SUCCEEDED:
        return TUI_EXIT_OK;
    case LR_RUN_PARTIAL:
        return TUI_EXIT_PARTIAL;
    case LR_RUN_DRY_RUN:
        return TUI_EXIT_DRY_RUN;
    case LR_RUN_REFUSED:
        return TUI_EXIT_REFUSED;
    default:
        return TUI_EXIT_ERROR;
    }
}

void tui_warn_interrupted(const struct tui_wfctx *w)
{
    struct lr_run_state *runs = NULL;
    size_t n = 0;
    struct lr_error err;
    if (lr_journal_find_interrupted(w->ctx.store, w->cfg.runs_prefix, &runs, &n, &err) < 0) {
        fprintf(stderr, "lakerewind: warning: cannot check for interrupted runs: %s\n",
                err.message);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        fprintf(stderr, "lakerewind: warning: run %s (%s %s, %zu tables) was interrupted; "
                        "`lakerewind rollback --resume %s` finishes it, `lakerewind undo %s` "
                        "reverses it\n",
                runs[i].run_id, lr_run_kind_name(runs[i].kind),
                runs[i].checkpoint ? runs[i].checkpoint : (runs[i].of_run ? runs[i].of_run : ""),
                runs[i].table_count, runs[i].run_id, runs[i].run_id);
        lr_run_state_free(&runs[i]);
    }
    free(runs);
}
