/* undoflow.c - the undo of a past run: analysis, typed confirmation, execution (undoflow.h). */
#include "undoflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sanitize.h"
#include "lakerewind/confirm.h"
#include "lakerewind/str.h"

static void free_plan(struct tui_undo_flow *u)
{
    if (u->plan) {
        lr_run_result_free(u->plan);
        free(u->plan);
        u->plan = NULL;
    }
}

void tui_undo_flow_free(struct tui_undo_flow *u)
{
    free_plan(u);
    free(u->run_id);
    memset(u, 0, sizeof *u);
}

void tui_undo_flow_start(struct tui_undo_flow *u, struct tui_app *app, const char *run_id)
{
    if (u->is_analysing || u->is_executing || tui_app_run_is_busy(app)) {
        tui_app_log(app, TUI_LOG_WARN, "a run is in progress; wait for it to finish");
        return;
    }
    char *id = lr_strdup(run_id);
    if (!id)
        return;
    free(u->run_id);
    u->run_id = id;
    if (tui_app_start_undo(app, run_id, false, NULL, &u->token) == 0) {
        u->is_analysing = true;
        tui_app_log(app, TUI_LOG_INFO, "analysing the undo of run %.8s", run_id);
    }
}

static bool check_phrase(void *payload, const char *typed, char *why, size_t cap)
{
    const struct tui_undo_flow *u = payload;
    if (!u->plan || !u->plan->has_impact) {
        snprintf(why, cap, "the undo has no plan");
        return false;
    }
    const struct lr_impact *im = &u->plan->impact;
    return lr_impact_confirm_check(im, typed, why, cap) == LR_CONFIRM_OK;
}

static void confirmed(struct tui_app *app, void *payload)
{
    struct tui_undo_flow *u = payload;
    const struct lr_impact *im = u->plan ? &u->plan->impact : NULL;
    if (!im || u->is_executing || u->is_analysing)
        return;
    bool is_live = tui_app_mode(app) == TUI_BANNER_LIVE;
    /* Dry-run mode rehearses the undo like a dry-run restore: every step, nothing written. */
    if ((is_live ? tui_app_start_undo(app, u->run_id, true, im->confirmation_phrase, &u->token)
                 : tui_app_start_undo_rehearsal(app, u->run_id, im->confirmation_phrase,
                                                &u->token)) < 0)
        return;
    u->is_executing = true;
    char what[96];
    snprintf(what, sizeof what, "the state before run %.8s (undo)", u->run_id);
    if (is_live)
        tui_app_log(app, TUI_LOG_WARN, "LIVE: undoing run %s", u->run_id);
    else
        tui_app_log(app, TUI_LOG_INFO, "dry run: rehearsing the undo of run %s; nothing is "
                    "written", u->run_id);
    tui_app_push(app, &tui_screen_progress, what);
}

static void open_confirm(struct tui_undo_flow *u, struct tui_app *app)
{
    const struct lr_impact *im = &u->plan->impact;
    bool is_live = tui_app_mode(app) == TUI_BANNER_LIVE;
    char *phrase = tui_sanitize_str(im->confirmation_phrase ? im->confirmation_phrase : "",
                                    false);
    char *id = tui_sanitize_str(u->run_id, false);
    char *body = lr_asprintf("Undo run %s: %zu table%s go back to their versions before it "
                             "(a table another writer changed since is skipped, never "
                             "overwritten). %s\n\nType exactly:\n%s", id ? id : "?",
                             im->totals.tables, im->totals.tables == 1 ? "" : "s",
                             is_live ? "LIVE mode: the tables WILL be rewritten."
                                     : "Dry-run mode: the undo is rehearsed through every "
                                       "step and nothing is written.",
                             phrase ? phrase : "");
    struct tui_confirm_request req = {
        .title = is_live ? "Undo (LIVE)" : "Undo (dry run)",
        .body = body ? body : "",
        .phrase = im->confirmation_phrase ? im->confirmation_phrase : "",
        .on_confirm = confirmed,
        .payload = u,
        .check = check_phrase,
        .width = 96,
    };
    tui_confirm_open(app, &req);
    free(body);
    free(id);
    free(phrase);
}

bool tui_undo_flow_run_done(struct tui_undo_flow *u, struct tui_app *app,
                            struct tui_event *ev)
{
    if (ev->index != u->token || (!u->is_analysing && !u->is_executing))
        return false;
    tui_app_dirty(app);
    if (u->is_executing) {
        u->is_executing = false;
        if (ev->run) {
            /* The result replaces the finished progress screen: Esc then goes back to the
             * screen the undo was started from. */
            struct lr_run_result *done = ev->run;
            ev->run = NULL;
            if (tui_app_top(app) == &tui_screen_progress)
                tui_app_pop(app);
            tui_result_open(app, done);
        }
        return true;
    }
    u->is_analysing = false;
    if (!ev->run)
        return true; /* the app logs why */
    free_plan(u);
    u->plan = ev->run;
    ev->run = NULL;
    if (!u->plan->has_impact) {
        tui_app_log(app, TUI_LOG_ERROR, "undo refused: %s",
                    u->plan->refusal ? u->plan->refusal : lr_run_status_name(u->plan->status));
        return true;
    }
    open_confirm(u, app);
    return true;
}
