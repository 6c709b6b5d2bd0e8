/* runs.c - the runs / audit browser: every past run from its journal (core's
 * lr_journal_list_runs, through the fetch worker), newest first: short run id, kind (rollback,
 * undo, resume), checkpoint (or the run undone), start, duration, operator, status as a symbol
 * and a word, and the tables in scope. Enter opens a run's steps and per-table outcome
 * (run.c); u on a finished run starts its undo through the typed confirmation (undoflow.h).
 * Strings from the lake are sanitised when drawn. Shared helpers for run.c: runfmt.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../app.h"
#include "../sanitize.h"
#include "../term.h"
#include "runfmt.h"
#include "undoflow.h"

enum { COL_ID, COL_KIND, COL_WHAT, COL_STARTED, COL_TOOK, COL_OPERATOR, COL_STATUS, COL_TABLES,
       NCOLS };

static const struct tui_column columns[NCOLS] = {
    [COL_ID] = {"RUN", 8, 0, false},
    [COL_KIND] = {"KIND", 8, 0, false},
    [COL_WHAT] = {"CHECKPOINT", 10, 1, false},
    [COL_STARTED] = {"STARTED", 11, 0, false},
    [COL_TOOK] = {"TOOK", 6, 0, true},
    [COL_OPERATOR] = {"OPERATOR", 8, 0, false},
    [COL_STATUS] = {"STATUS", 12, 0, false},
    [COL_TABLES] = {"TABLES", 6, 0, true},
};

static const struct tui_key_binding default_keys[] = {
    {TUI_KEY_ENTER, TUI_ACT_OPEN, "steps", false},
    {'u', TUI_ACT_UNDO, "undo", false},
};

static struct tui_keymap keys;

struct runsscreen {
    unsigned token;
    bool is_loading;
    struct tui_fetch_result *data; /* owned */
    struct tui_table_state st;
    int visible;
    int list_y;
    struct tui_undo_flow undo;
};

static void refresh(struct tui_app *app, struct runsscreen *s)
{
    if (tui_app_fetch_runs(app, &s->token) == 0)
        s->is_loading = true;
}

static int open_screen(struct tui_app *app, void **state, const char *arg)
{
    (void)arg;
    struct runsscreen *s = calloc(1, sizeof *s);
    if (!s)
        return LR_ENOMEM;
    s->st.sort_column = -1;
    s->visible = 10;
    *state = s;
    refresh(app, s);
    return 0;
}

static void close_screen(void *state)
{
    struct runsscreen *s = state;
    if (!s)
        return;
    tui_fetch_result_free(s->data);
    tui_undo_flow_free(&s->undo);
    free(s);
}

static size_t run_count(const struct runsscreen *s)
{
    return s->data && !s->data->error ? s->data->runs.count : 0;
}

static const struct lr_run_state *selected(const struct runsscreen *s)
{
    return run_count(s) ? &s->data->runs.runs[s->st.selected] : NULL;
}

static void fetched(struct tui_app *app, void *state, struct tui_event *ev)
{
    struct runsscreen *s = state;
    if (!s->is_loading || ev->index != s->token || !ev->fetched)
        return;
    s->is_loading = false;
    char keep[LR_RUN_ID_LEN + 1] = "";
    if (selected(s))
        snprintf(keep, sizeof keep, "%s", selected(s)->run_id);
    tui_fetch_result_free(s->data);
    s->data = ev->fetched;
    ev->fetched = NULL;
    s->st.selected = 0;
    for (size_t i = 0; i < run_count(s); i++)
        if (!strcmp(s->data->runs.runs[i].run_id, keep))
            s->st.selected = i;
    tui_table_set_count(&s->st, run_count(s), s->visible);
    tui_app_dirty(app);
}

static void run_done(struct tui_app *app, void *state, struct tui_event *ev)
{
    struct runsscreen *s = state;
    bool was_executing = s->undo.is_executing;
    if (tui_undo_flow_run_done(&s->undo, app, ev) && was_executing)
        refresh(app, s); /* the undo is a run of its own: list it */
}

static bool action(struct tui_app *app, void *state, enum tui_action a)
{
    struct runsscreen *s = state;
    const struct lr_run_state *r = selected(s);
    if (tui_table_navigate(&s->st, a, s->visible))
        return true;
    switch (a) {
    case TUI_ACT_OPEN:
        if (r)
            tui_app_push(app, &tui_screen_run, r->run_id);
        return true;
    case TUI_ACT_UNDO: {
        const char *why = r ? tui_run_undo_refusal(r) : "no run selected";
        if (why)
            tui_app_log(app, TUI_LOG_WARN, "nothing to undo: %s", why);
        else
            tui_undo_flow_start(&s->undo, app, r->run_id);
        return true;
    }
    default: return false;
    }
}

static void cell(size_t row, size_t col, char *buf, size_t cap, enum tui_role *role,
                 void *payload)
{
    const struct runsscreen *s = payload;
    const struct lr_run_state *r = &s->data->runs.runs[row];
    switch (col) {
    case COL_ID: {
        char id[9];
        snprintf(id, sizeof id, "%.8s", r->run_id);
        tui_put_clean(buf, cap, id); /* a journal folder's name: from the lake too */
        return;
    }
    case COL_KIND: snprintf(buf, cap, "%s", lr_run_kind_name(r->kind)); return;
    case COL_WHAT:
        if (r->checkpoint)
            tui_put_clean(buf, cap, r->checkpoint);
        else if (r->of_run) {
            char of[16];
            snprintf(of, sizeof of, "run %.8s", r->of_run);
            tui_put_clean(buf, cap, of);
        }
        return;
    case COL_STARTED: tui_format_ms(buf, cap, r->started_ms, "%m-%d %H:%M"); return;
    case COL_TOOK: tui_format_duration(buf, cap, r->last_ms - r->started_ms); return;
    case COL_OPERATOR: tui_put_clean(buf, cap, r->operator_name ? r->operator_name : "?");
        return;
    case COL_STATUS: snprintf(buf, cap, "%s", tui_run_status_word(r, role)); return;
    case COL_TABLES: snprintf(buf, cap, "%zu", r->table_count); return;
    default: return;
    }
}

static void draw(struct tui_app *app, void *state, struct tui_rect body)
{
    struct runsscreen *s = state;
    char text[2048];
    if (!s->data) {
        snprintf(text, sizeof text, "reading the run journals %s", tui_term_glyph(GLYPH_ELLIPSIS));
        tui_body_line(body, body.y + 1, ROLE_DIM, text);
        return;
    }
    if (s->data->error) {
        tui_body_line(body, body.y + 1, ROLE_ERROR, "Cannot list the runs");
        tui_body_line(body, body.y + 3, ROLE_NORMAL, s->data->error);
        return;
    }
    if (run_count(s) == 0) {
        tui_body_line(body, body.y + 1, ROLE_WARN, "No executed runs yet.");
        tui_body_line(body, body.y + 3, ROLE_NORMAL,
             "A confirmed restore in LIVE mode, or `lakerewind rollback --execute`,");
        tui_body_line(body, body.y + 4, ROLE_NORMAL, "records a run here. Dry runs leave audit rows only.");
        return;
    }
    struct tui_rect list = body;
    list.h = body.h - 4;
    s->list_y = list.y + 1;
    s->visible = tui_app_table(app, list, columns, NCOLS, &s->st, cell, s);
    const struct lr_run_state *r = selected(s);
    int y = body.y + body.h - 4;
    tui_term_hline(y++, body.x, body.w, ROLE_BORDER);
    char when[40];
    tui_format_ms(when, sizeof when, r->started_ms, "%Y-%m-%d %H:%M:%SZ");
    snprintf(text, sizeof text, "run %s  started %s by %s", r->run_id, when,
             r->operator_name ? r->operator_name : "?");
    y = tui_body_line(body, y, ROLE_NORMAL, text);
    size_t n = 0;
    for (size_t i = 0; i < r->table_count && n + 1 < sizeof text; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", i ? ", " : "tables: ",
                              r->tables[i].name);
    y = tui_body_line(body, y, ROLE_DIM, r->table_count ? text : "tables: none");
    if (s->undo.is_analysing) {
        snprintf(text, sizeof text, "analysing the undo %s", tui_term_glyph(GLYPH_ELLIPSIS));
        tui_body_line(body, y, ROLE_DIM, text);
    } else if (s->is_loading) {
        snprintf(text, sizeof text, "refreshing %s", tui_term_glyph(GLYPH_ELLIPSIS));
        tui_body_line(body, y, ROLE_DIM, text);
    } else if (s->data->runs.audit_error) {
        snprintf(text, sizeof text, "audit log unreadable: %s", s->data->runs.audit_error);
        tui_body_line(body, y, ROLE_WARN, text);
    }
}

static void title(struct tui_app *app, void *state, char *buf, size_t cap)
{
    (void)app;
    struct runsscreen *s = state;
    if (!s->data)
        snprintf(buf, cap, "Runs %s", tui_term_glyph(GLYPH_ELLIPSIS));
    else
        snprintf(buf, cap, "Runs (%zu)", run_count(s));
}

static bool click(struct tui_app *app, void *state, int y, int x, bool is_double)
{
    struct runsscreen *s = state;
    (void)x;
    size_t row;
    if (!run_count(s) || !tui_table_row_at(&s->st, s->list_y, s->visible, y, &row))
        return false;
    bool was_selected = row == s->st.selected;
    s->st.selected = row;
    if (is_double || was_selected)
        action(app, state, TUI_ACT_OPEN);
    return true;
}

const struct tui_screen_ops tui_screen_runs = {
    .name = "runs",
    .alias = "audit",
    .summary = "past runs, audit",
    .keys = &keys,
    .default_keys = default_keys,
    .default_key_count = sizeof default_keys / sizeof default_keys[0],
    .open = open_screen,
    .close = close_screen,
    .action = action,
    .draw = draw,
    .title = title,
    .run_done = run_done,
    .fetched = fetched,
    .click = click,
};
