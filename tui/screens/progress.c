/* progress.c - a restore while it runs, live from the workflow's events (TUI_EV_RUN_EVENT):
 * per table the state (queued, snapshotting, restoring, validating, done, failed, skipped),
 * elapsed time and version written (a dry run: the version its commit would have taken, in
 * parentheses, never written); the current step; an overall bar; and the log pane. The
 * UI thread only applies events, so the screen stays responsive. When the run ends the result
 * screen opens on top (Esc comes back here, then to the impact). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../sanitize.h"
#include "../term.h"

#define MAX_ROWS 4096

enum { COL_NAME, COL_STATE, COL_ELAPSED, COL_VERSION, NCOLS };

static const struct tui_column columns[NCOLS] = {
    [COL_NAME] = {"TABLE", 10, 1, false},
    [COL_STATE] = {"STATE", 14, 0, false},
    [COL_ELAPSED] = {"ELAPSED", 8, 0, true},
    [COL_VERSION] = {"COMMIT", 8, 0, true},
};

static struct tui_keymap keys;

struct prow {
    char *name; /* sanitised */
    enum lr_table_state state;
    int64_t elapsed_ms;
    int64_t version_written;
    int64_t version_rehearsed; /* a dry run: the version not written; 0 none */
};

struct progscreen {
    char *checkpoint;
    struct prow *rows;
    size_t count;
    char *step; /* sanitised */
    size_t total;
    size_t done;
    bool is_finished;
    bool is_dry_run; /* a rehearsal: nothing is written */
    struct tui_table_state st;
    int visible;
};

static int open_screen(struct tui_app *app, void **state, const char *arg)
{
    struct progscreen *p = calloc(1, sizeof *p);
    if (!p)
        return LR_ENOMEM;
    p->checkpoint = tui_sanitize_str(arg ? arg : "", false);
    p->is_dry_run = tui_app_mode(app) != TUI_BANNER_LIVE;
    p->st.sort_column = -1;
    p->visible = 10;
    *state = p;
    return 0;
}

static void close_screen(void *state)
{
    struct progscreen *p = state;
    if (!p)
        return;
    for (size_t i = 0; i < p->count; i++)
        free(p->rows[i].name);
    free(p->rows);
    free(p->step);
    free(p->checkpoint);
    free(p);
}

static struct prow *find_row(struct progscreen *p, const char *raw)
{
    char *name = tui_sanitize_str(raw, false);
    if (!name)
        return NULL;
    for (size_t i = 0; i < p->count; i++)
        if (!strcmp(p->rows[i].name, name)) {
            free(name);
            return &p->rows[i];
        }
    struct prow *grown = p->count < MAX_ROWS
                             ? realloc(p->rows, (p->count + 1) * sizeof *p->rows)
                             : NULL;
    if (!grown) {
        free(name);
        return NULL;
    }
    p->rows = grown;
    struct prow *r = &p->rows[p->count++];
    memset(r, 0, sizeof *r);
    r->name = name;
    r->version_written = -1;
    tui_table_set_count(&p->st, p->count, p->visible);
    return r;
}

static void run_event(struct tui_app *app, void *state, const struct tui_event *ev)
{
    struct progscreen *p = state;
    if (!ev->has_run_event || p->is_finished)
        return;
    const struct lr_event *e = &ev->run_event;
    switch (e->kind) {
    case LR_EV_TABLE_STATE: {
        struct prow *r = find_row(p, e->u.table.table ? e->u.table.table : "?");
        if (r) {
            r->state = e->u.table.state;
            r->elapsed_ms = e->u.table.elapsed_ms;
            if (e->u.table.version_written >= 0)
                r->version_written = e->u.table.version_written;
            if (e->u.table.version_rehearsed > 0)
                r->version_rehearsed = e->u.table.version_rehearsed;
        }
        break;
    }
    case LR_EV_RUN_STARTED:
        p->is_dry_run = e->u.run_started.is_dry_run;
        p->total = e->u.run_started.table_count;
        break;
    case LR_EV_STEP_STARTED:
        free(p->step);
        p->step = tui_sanitize_str(lr_step_title(e->u.step.step), false);
        break;
    case LR_EV_PROGRESS:
        p->total = e->u.progress.tables_total;
        p->done = e->u.progress.tables_done;
        break;
    case LR_EV_RUN_FINISHED: p->is_finished = true; break;
    default: break;
    }
    tui_app_dirty(app);
}

static void run_done(struct tui_app *app, void *state, struct tui_event *ev)
{
    (void)ev;
    struct progscreen *p = state;
    p->is_finished = true;
    tui_app_dirty(app);
}

static bool action(struct tui_app *app, void *state, enum tui_action a)
{
    (void)app;
    struct progscreen *p = state;
    switch (a) {
    case TUI_ACT_UP: tui_table_move(&p->st, -1, p->visible); return true;
    case TUI_ACT_DOWN: tui_table_move(&p->st, 1, p->visible); return true;
    case TUI_ACT_BACK:
        if (p->is_finished)
            return false;
        tui_app_log(app, TUI_LOG_WARN, "the restore is running: wait for it to finish "
                                       "(q offers to quit when it has)");
        return true;
    case TUI_ACT_QUIT:
        if (p->is_finished)
            return false;
        tui_app_request_quit(app);
        return true;
    default: return false;
    }
}

static enum tui_role state_role(enum lr_table_state s)
{
    switch (s) {
    case LR_TABLE_DONE: return ROLE_OK;
    case LR_TABLE_FAILED: return ROLE_ERROR;
    case LR_TABLE_SKIPPED: return ROLE_WARN;
    case LR_TABLE_QUEUED: return ROLE_DIM;
    default: return ROLE_NORMAL;
    }
}

static void cell(size_t row, size_t col, char *buf, size_t cap, enum tui_role *role,
                 void *payload)
{
    const struct progscreen *p = payload;
    const struct prow *r = &p->rows[row];
    switch (col) {
    case COL_NAME: snprintf(buf, cap, "%s", r->name); return;
    case COL_STATE:
        snprintf(buf, cap, "%s %s",
                 r->state == LR_TABLE_DONE     ? "+"
                 : r->state == LR_TABLE_FAILED ? "x"
                 : r->state == LR_TABLE_QUEUED ? "."
                                               : ">",
                 lr_table_state_name(r->state));
        *role = state_role(r->state);
        return;
    case COL_ELAPSED:
        if (r->state != LR_TABLE_QUEUED)
            snprintf(buf, cap, "%.1fs", (double)r->elapsed_ms / 1000.0);
        return;
    case COL_VERSION:
        if (r->version_written >= 0)
            snprintf(buf, cap, "v%lld", (long long)r->version_written);
        else if (r->version_rehearsed > 0)
            snprintf(buf, cap, "(v%lld)", (long long)r->version_rehearsed);
        return;
    default: return;
    }
}

static void draw(struct tui_app *app, void *state, struct tui_rect body)
{
    struct progscreen *p = state;
    char text[512];
    snprintf(text, sizeof text, "%s %s", p->is_finished ? "finished:" : "step:",
             p->step ? p->step : "starting");
    tui_term_text(body.y, body.x + 1, body.w - 2, ROLE_TITLE, text);
    tui_progress_draw(body.y + 1, body.x + 1, body.w - 2, p->done, p->total ? p->total : 1);
    int top = 3;
    if (p->is_dry_run) {
        tui_term_text(body.y + 2, body.x + 1, body.w - 2, ROLE_BANNER_DRYRUN,
                      "DRY RUN: every step runs, NOTHING is written; (vN) = the commit version "
                      "it would take");
        top = 4;
    }
    int log_h = body.h / 3;
    struct tui_rect list = body;
    list.y = body.y + top;
    list.h = body.h - top - log_h - 1;
    p->visible = tui_app_table(app, list, columns, NCOLS, &p->st, cell, p);
    tui_term_hline(list.y + list.h, body.x, body.w, ROLE_BORDER);
    struct tui_rect logr = {list.y + list.h + 1, body.x, log_h, body.w};
    tui_logpane_draw(logr, tui_app_log_ring(app), 0);
}

static void title(struct tui_app *app, void *state, char *buf, size_t cap)
{
    (void)app;
    struct progscreen *p = state;
    snprintf(buf, cap, "%s to %s  (%zu of %zu tables)",
             p->is_dry_run ? "DRY RUN: restoring" : "Restoring", p->checkpoint, p->done,
             p->total);
}

const struct tui_screen_ops tui_screen_progress = {
    .name = "progress",
    .summary = "a restore in progress",
    .keys = &keys,
    .open = open_screen,
    .close = close_screen,
    .action = action,
    .draw = draw,
    .title = title,
    .run_done = run_done,
    .run_event = run_event,
};
