/* recover.c - resume or undo an interrupted run (chosen on start, when the loader found a run
 * journal without its end). The workflow's own analysis runs first (lr_resume_run or
 * lr_undo_run without execute, on the runner): the screen shows what is left to do per table
 * and the phrase; Enter opens the typed confirmation judged by lr_confirm_check. In LIVE mode
 * the confirmed run executes with the progress and result screens; in dry-run or read-only
 * mode nothing is written and the screen says so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../sanitize.h"
#include "../term.h"
#include "lakerewind/confirm.h"

static const struct tui_key_binding default_keys[] = {
    {TUI_KEY_ENTER, TUI_ACT_OPEN, "confirm", false},
};

static struct tui_keymap keys;

struct recover {
    char run_id[48];
    bool is_resume;
    unsigned token;
    bool is_analysing;
    bool is_executing;
    bool is_dry_confirmed;
    char *error;
    struct lr_run_result *plan; /* the analysis: impact, digest, phrase */
};

static void free_run(struct lr_run_result *r)
{
    if (r) {
        lr_run_result_free(r);
        free(r);
    }
}

static int open_screen(struct tui_app *app, void **state, const char *arg)
{
    const char *colon = arg ? strchr(arg, ':') : NULL;
    if (!colon || !colon[1])
        return LR_EINVAL;
    struct recover *r = calloc(1, sizeof *r);
    if (!r)
        return LR_ENOMEM;
    r->is_resume = !strncmp(arg, "resume:", 7);
    snprintf(r->run_id, sizeof r->run_id, "%s", colon + 1);
    int rc = r->is_resume ? tui_app_start_resume(app, r->run_id, false, NULL, &r->token)
                          : tui_app_start_undo(app, r->run_id, false, NULL, &r->token);
    r->is_analysing = rc == 0;
    if (rc < 0)
        r->error = lr_strdup("a run is in progress; try again when it has ended");
    *state = r;
    return 0;
}

static void close_screen(void *state)
{
    struct recover *r = state;
    if (!r)
        return;
    free(r->error);
    free_run(r->plan);
    free(r);
}

static bool check_phrase(void *payload, const char *typed, char *why, size_t cap)
{
    const struct recover *r = payload;
    if (!r->plan || !r->plan->has_impact) {
        snprintf(why, cap, "there is no plan to confirm");
        return false;
    }
    const struct lr_impact *im = &r->plan->impact;
    return lr_impact_confirm_check(im, typed, why, cap) == LR_CONFIRM_OK;
}

static void confirmed(struct tui_app *app, void *payload)
{
    struct recover *r = payload;
    if (!r->plan || r->is_executing || r->is_analysing)
        return;
    bool is_live = tui_app_mode(app) == TUI_BANNER_LIVE;
    if (!is_live && r->is_resume) {
        r->is_dry_confirmed = true;
        tui_app_log(app, TUI_LOG_INFO, "dry run: %s of run %s confirmed; nothing was written "
                    "(:live, then Enter, executes it)", r->is_resume ? "resume" : "undo",
                    r->run_id);
        return;
    }
    const char *phrase = r->plan->impact.confirmation_phrase;
    /* An undo in dry-run mode is rehearsed through every step (nothing written). */
    int rc = r->is_resume ? tui_app_start_resume(app, r->run_id, true, phrase, &r->token)
             : is_live    ? tui_app_start_undo(app, r->run_id, true, phrase, &r->token)
                          : tui_app_start_undo_rehearsal(app, r->run_id, phrase, &r->token);
    if (rc < 0)
        return;
    r->is_executing = true;
    char what[96];
    snprintf(what, sizeof what, "%s of run %.8s", r->is_resume ? "the rest" : "the state before",
             r->run_id);
    if (is_live)
        tui_app_log(app, TUI_LOG_WARN, "LIVE: %s run %s", r->is_resume ? "resuming" : "undoing",
                    r->run_id);
    else
        tui_app_log(app, TUI_LOG_INFO, "dry run: rehearsing the undo of run %s; nothing is "
                    "written", r->run_id);
    tui_app_push(app, &tui_screen_progress, what);
}

static void open_confirm(struct tui_app *app, struct recover *r)
{
    const struct lr_impact *im = &r->plan->impact;
    bool is_live = tui_app_mode(app) == TUI_BANNER_LIVE;
    char *phrase = tui_sanitize_str(im->confirmation_phrase ? im->confirmation_phrase : "",
                                    false);
    char *body = lr_asprintf("%s run %s: %zu table%s. %s\n\nType exactly:\n%s",
                             r->is_resume ? "Resume" : "Undo", r->run_id, im->totals.tables,
                             im->totals.tables == 1 ? "" : "s",
                             is_live ? "LIVE mode: the tables WILL be rewritten."
                             : r->is_resume ? "Dry-run mode: nothing is written."
                                            : "Dry-run mode: the undo is rehearsed through "
                                              "every step and nothing is written.",
                             phrase ? phrase : "");
    struct tui_confirm_request req = {
        .title = r->is_resume ? "Resume an interrupted run" : "Undo an interrupted run",
        .body = body ? body : "",
        .phrase = im->confirmation_phrase ? im->confirmation_phrase : "",
        .on_confirm = confirmed,
        .payload = r,
        .check = check_phrase,
        .width = 96,
    };
    tui_confirm_open(app, &req);
    free(body);
    free(phrase);
}

static void run_done(struct tui_app *app, void *state, struct tui_event *ev)
{
    struct recover *r = state;
    if (ev->index != r->token || (!r->is_analysing && !r->is_executing))
        return;
    tui_app_dirty(app);
    if (r->is_executing) {
        r->is_executing = false;
        if (ev->run) {
            struct lr_run_result *done = ev->run;
            ev->run = NULL;
            tui_result_open(app, done);
        }
        return;
    }
    r->is_analysing = false;
    if (!ev->run) {
        r->error = lr_strdup(ev->text ? ev->text : "the analysis could not run");
        return;
    }
    free_run(r->plan);
    r->plan = ev->run;
    ev->run = NULL;
    if (!r->plan->has_impact) {
        r->error = lr_asprintf("refused: %s", r->plan->refusal ? r->plan->refusal
                                                              : lr_run_status_name(
                                                                    r->plan->status));
        return;
    }
    open_confirm(app, r);
}

static bool action(struct tui_app *app, void *state, enum tui_action a)
{
    struct recover *r = state;
    if (a != TUI_ACT_OPEN)
        return false;
    if (r->plan && r->plan->has_impact && !r->is_executing)
        open_confirm(app, r);
    return true;
}

static void draw(struct tui_app *app, void *state, struct tui_rect body)
{
    (void)app;
    struct recover *r = state;
    char text[1024];
    int y = body.y + 1;
    if (r->error) {
        tui_body_line(body, y, ROLE_ERROR, r->error);
        return;
    }
    if (r->is_analysing || !r->plan) {
        snprintf(text, sizeof text, "analysing the %s of run %s %s",
                 r->is_resume ? "resume" : "undo", r->run_id, tui_term_glyph(GLYPH_ELLIPSIS));
        tui_body_line(body, y, ROLE_DIM, text);
        return;
    }
    const struct lr_impact *im = &r->plan->impact;
    for (size_t i = 0; i < im->table_count && y < body.y + body.h - 3; i++) {
        const struct lr_table_impact *t = &im->tables[i];
        const char *why = t->blockers.count        ? t->blockers.items[0]
                          : t->risk.reasons.count ? t->risk.reasons.items[0]
                                                  : "";
        if (t->is_already_restored) /* the run's own RESTORE commit: only validation left */
            snprintf(text, sizeof text, "%-28s restored at v%lld (= v%lld), validate  %s",
                     t->name, (long long)t->current_version, (long long)t->target_version, why);
        else
            snprintf(text, sizeof text, "%-28s version %lld, back to %lld  %s", t->name,
                     (long long)t->current_version, (long long)t->target_version, why);
        y = tui_body_line(body, y, t->blockers.count ? ROLE_ERROR : ROLE_NORMAL, text);
    }
    if (r->is_dry_confirmed)
        tui_body_line(body, body.y + body.h - 2, ROLE_OK,
             "DRY RUN: confirmed; NO table was written (:live, then Enter, executes it).");
    snprintf(text, sizeof text, "phrase: %s  (Enter opens the confirmation)",
             im->confirmation_phrase ? im->confirmation_phrase : "");
    tui_body_line(body, body.y + body.h - 1, ROLE_DIM, text);
}

static void title(struct tui_app *app, void *state, char *buf, size_t cap)
{
    (void)app;
    struct recover *r = state;
    snprintf(buf, cap, "%s interrupted run %s", r->is_resume ? "Resume" : "Undo", r->run_id);
}

const struct tui_screen_ops tui_screen_recover = {
    .name = "recover",
    .summary = "resume or undo an interrupted run",
    .keys = &keys,
    .default_keys = default_keys,
    .default_key_count = sizeof default_keys / sizeof default_keys[0],
    .open = open_screen,
    .close = close_screen,
    .action = action,
    .draw = draw,
    .title = title,
    .run_done = run_done,
};
