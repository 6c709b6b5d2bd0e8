/* run.c - one past run (Enter on the runs browser, arg: the run id): a summary line, the
 * per-table outcome from the run's journal (state, pre -> target version, the version written,
 * quality, error) and its steps from the SyncAuditLog metadata table (operation, table, status,
 * time, duration, error), oldest first. Tab moves the selection between the two lists; the
 * selected row's error is shown in full under them; u undoes the run (undoflow.h). It reads
 * through the fetch worker when opened, so it is never stale. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../sanitize.h"
#include "../term.h"
#include "runfmt.h"
#include "undoflow.h"

enum { TC_NAME, TC_STATE, TC_VERSIONS, TC_WRITTEN, TC_QUALITY, TC_ERROR, TNCOLS };
enum { SC_OPERATION, SC_TABLE, SC_STATUS, SC_TIME, SC_TOOK, SC_ERROR, SNCOLS };

static const struct tui_column tcolumns[TNCOLS] = {
    [TC_NAME] = {"TABLE", 10, 1, false},      [TC_STATE] = {"OUTCOME", 11, 0, false},
    [TC_VERSIONS] = {"VERSIONS", 10, 0, false}, [TC_WRITTEN] = {"WRITTEN", 7, 0, true},
    [TC_QUALITY] = {"QUALITY", 7, 0, true},   [TC_ERROR] = {"ERROR", 5, 1, false},
};

static const struct tui_column scolumns[SNCOLS] = {
    [SC_OPERATION] = {"STEP", 22, 0, false}, [SC_TABLE] = {"TABLE", 8, 1, false},
    [SC_STATUS] = {"STATUS", 11, 0, false},  [SC_TIME] = {"TIME", 8, 0, false},
    [SC_TOOK] = {"TOOK", 6, 0, true},        [SC_ERROR] = {"ERROR", 5, 1, false},
};

static const struct tui_key_binding default_keys[] = {
    {TUI_KEY_TAB, TUI_ACT_DETAIL, "tables/steps", false},
    {'u', TUI_ACT_UNDO, "undo", false},
};

static struct tui_keymap keys;

struct runscreen {
    char *run_id;
    unsigned token;
    bool is_loading;
    struct tui_fetch_result *data;  /* owned */
    const struct lr_run_state *run; /* in data, NULL when not found */
    const struct lr_audit_step **steps; /* into data->runs.audit: this run's, oldest first */
    size_t step_count;
    bool is_steps_focus;
    struct tui_table_state tst;
    struct tui_table_state sst;
    int tvisible;
    int svisible;
    int tlist_y;
    int slist_y;
    struct tui_undo_flow undo;
};

static void refresh(struct tui_app *app, struct runscreen *s)
{
    if (tui_app_fetch_runs(app, &s->token) == 0)
        s->is_loading = true;
}

static int open_screen(struct tui_app *app, void **state, const char *arg)
{
    if (!arg || !*arg)
        return LR_EINVAL;
    struct runscreen *s = calloc(1, sizeof *s);
    if (!s || !(s->run_id = lr_strdup(arg))) {
        free(s);
        return LR_ENOMEM;
    }
    s->tst.sort_column = s->sst.sort_column = -1;
    s->tvisible = s->svisible = 5;
    *state = s;
    refresh(app, s);
    return 0;
}

static void close_screen(void *state)
{
    struct runscreen *s = state;
    if (!s)
        return;
    free(s->steps);
    tui_fetch_result_free(s->data);
    tui_undo_flow_free(&s->undo);
    free(s->run_id);
    free(s);
}

static void fetched(struct tui_app *app, void *state, struct tui_event *ev)
{
    struct runscreen *s = state;
    if (!s->is_loading || ev->index != s->token || !ev->fetched)
        return;
    s->is_loading = false;
    free(s->steps);
    s->steps = NULL;
    s->step_count = 0;
    s->run = NULL;
    tui_fetch_result_free(s->data);
    s->data = ev->fetched;
    ev->fetched = NULL;
    tui_app_dirty(app);
    for (size_t i = 0; !s->data->error && i < s->data->runs.count; i++)
        if (!strcmp(s->data->runs.runs[i].run_id, s->run_id))
            s->run = &s->data->runs.runs[i];
    const struct lr_audit_steps *audit = &s->data->runs.audit;
    s->steps = audit->count ? calloc(audit->count, sizeof *s->steps) : NULL;
    for (size_t i = 0; s->steps && i < audit->count; i++)
        if (audit->items[i].run_id && !strcmp(audit->items[i].run_id, s->run_id))
            s->steps[s->step_count++] = &audit->items[i];
    tui_table_set_count(&s->tst, s->run ? s->run->table_count : 0, s->tvisible);
    tui_table_set_count(&s->sst, s->step_count, s->svisible);
    if (!s->run || !s->run->table_count)
        s->is_steps_focus = true;
}

static void run_done(struct tui_app *app, void *state, struct tui_event *ev)
{
    struct runscreen *s = state;
    tui_undo_flow_run_done(&s->undo, app, ev);
}

static bool action(struct tui_app *app, void *state, enum tui_action a)
{
    struct runscreen *s = state;
    struct tui_table_state *st = s->is_steps_focus ? &s->sst : &s->tst;
    int visible = s->is_steps_focus ? s->svisible : s->tvisible;
    if (tui_table_navigate(st, a, visible))
        return true;
    switch (a) {
    case TUI_ACT_DETAIL:
        if (s->run && s->run->table_count && s->step_count)
            s->is_steps_focus = !s->is_steps_focus;
        return true;
    case TUI_ACT_UNDO: {
        const char *why = s->run ? tui_run_undo_refusal(s->run) : "the run is not loaded";
        if (why)
            tui_app_log(app, TUI_LOG_WARN, "nothing to undo: %s", why);
        else
            tui_undo_flow_start(&s->undo, app, s->run->run_id);
        return true;
    }
    default: return false;
    }
}

static void table_cell(size_t row, size_t col, char *buf, size_t cap, enum tui_role *role,
                       void *payload)
{
    const struct runscreen *s = payload;
    const struct lr_jtable *t = &s->run->tables[row];
    switch (col) {
    case TC_NAME: tui_put_clean(buf, cap, t->name); return;
    case TC_STATE:
        switch (t->state) {
        case LR_JT_VALIDATED: *role = t->passed ? ROLE_OK : ROLE_WARN; break;
        case LR_JT_RESTORED: *role = ROLE_OK; break;
        case LR_JT_FAILED: *role = ROLE_ERROR; break;
        default: *role = ROLE_WARN; break;
        }
        snprintf(buf, cap, "%s %s",
                 t->state == LR_JT_FAILED                                     ? "x"
                 : t->state == LR_JT_VALIDATED && t->passed                   ? "+"
                 : t->state == LR_JT_RESTORED                                 ? "+"
                                                                              : "!",
                 lr_jtable_state_name(t->state));
        return;
    case TC_VERSIONS:
        snprintf(buf, cap, "%lld -> %lld", (long long)t->pre_version,
                 (long long)t->target_version);
        return;
    case TC_WRITTEN:
        if (t->version_written >= 0)
            snprintf(buf, cap, "%lld", (long long)t->version_written);
        else
            snprintf(buf, cap, "-");
        return;
    case TC_QUALITY:
        if (t->state == LR_JT_VALIDATED)
            snprintf(buf, cap, "%.0f", t->quality_score);
        return;
    case TC_ERROR:
        if (t->error) {
            *role = ROLE_ERROR;
            tui_put_clean(buf, cap, t->error);
        }
        return;
    default: return;
    }
}

static void step_cell(size_t row, size_t col, char *buf, size_t cap, enum tui_role *role,
                      void *payload)
{
    const struct runscreen *s = payload;
    const struct lr_audit_step *r = s->steps[row];
    const char *status = r->status;
    switch (col) {
    case SC_OPERATION: tui_put_clean(buf, cap, r->operation); return;
    case SC_TABLE: tui_put_clean(buf, cap, r->table); return;
    case SC_STATUS:
        if (!status)
            return;
        if (!strcmp(status, "Succeeded")) {
            *role = ROLE_OK;
            snprintf(buf, cap, "+ ");
        } else if (!strcmp(status, "Failed") || !strcmp(status, "Refused")) {
            *role = ROLE_ERROR;
            snprintf(buf, cap, "x ");
        } else {
            *role = ROLE_WARN;
            snprintf(buf, cap, "- ");
        }
        tui_put_clean(buf + 2, cap > 2 ? cap - 2 : 0, status);
        return;
    case SC_TIME: tui_format_ms(buf, cap, r->start_ms, "%H:%M:%S"); return;
    case SC_TOOK:
        if (r->duration_ms >= 0)
            tui_format_duration(buf, cap, r->duration_ms);
        return;
    case SC_ERROR:
        if (r->error) {
            *role = ROLE_ERROR;
            tui_put_clean(buf, cap, r->error);
        }
        return;
    default: return;
    }
}

static void draw_summary(struct tui_rect body, const struct runscreen *s)
{
    const struct lr_run_state *r = s->run;
    char when[40], took[24], what[300], text[1024];
    enum tui_role role = ROLE_NORMAL;
    const char *status = tui_run_status_word(r, &role);
    tui_format_ms(when, sizeof when, r->started_ms, "%Y-%m-%d %H:%M:%SZ");
    tui_format_duration(took, sizeof took, r->last_ms - r->started_ms);
    if (r->checkpoint)
        snprintf(what, sizeof what, "to %s", r->checkpoint);
    else
        snprintf(what, sizeof what, "of run %.8s", r->of_run ? r->of_run : "?");
    snprintf(text, sizeof text, "%s  %s %s  by %s  %s  took %s", status,
             lr_run_kind_name(r->kind), what, r->operator_name ? r->operator_name : "?", when,
             took);
    tui_body_line(body, body.y, role, text);
}

static void draw(struct tui_app *app, void *state, struct tui_rect body)
{
    struct runscreen *s = state;
    char text[2048];
    if (!s->data) {
        snprintf(text, sizeof text, "reading run %s", s->run_id);
        tui_body_line(body, body.y + 1, ROLE_DIM, text);
        return;
    }
    if (s->data->error || !s->run) {
        tui_body_line(body, body.y + 1, ROLE_ERROR, s->data->error ? "Cannot read the runs"
                                                          : "No journal for this run");
        tui_body_line(body, body.y + 3, ROLE_NORMAL, s->data->error ? s->data->error
                                                           : "It may have been a dry run.");
        return;
    }
    draw_summary(body, s);
    /* Tables: up to 6 rows (fewer when the run had fewer); steps: the rest but two lines. */
    size_t nt = s->run->table_count;
    int trows = nt < 6 ? (int)nt : 6;
    struct tui_rect tl = {body.y + 2, body.x, trows + 1, body.w};
    s->tvisible = tui_table_visible_rows(tl);
    tui_table_reveal(&s->tst, s->tvisible);
    s->tlist_y = tl.y + 1;
    int tsel = -1;
    if (nt)
        tsel = tui_table_draw(tl, tcolumns, TNCOLS, &s->tst, table_cell, s);
    struct tui_rect sl = {tl.y + tl.h + 1, body.x, 0, body.w};
    sl.h = body.y + body.h - 2 - sl.y;
    int ssel = -1;
    s->slist_y = sl.y + 1;
    if (s->step_count && sl.h > 1) {
        s->svisible = tui_table_visible_rows(sl);
        tui_table_reveal(&s->sst, s->svisible);
        ssel = tui_table_draw(sl, scolumns, SNCOLS, &s->sst, step_cell, s);
    } else {
        tui_body_line(body, sl.y, ROLE_DIM, s->data->runs.audit_error ? s->data->runs.audit_error
                                                             : "no audit rows for this run");
    }
    int sel_y = s->is_steps_focus ? ssel : tsel;
    if (sel_y >= 0)
        tui_app_cursor(app, sel_y, body.x);
    int y = body.y + body.h - 2;
    tui_term_hline(y++, body.x, body.w, ROLE_BORDER);
    const char *err = NULL;
    if (s->is_steps_focus && s->step_count)
        err = s->steps[s->sst.selected]->error;
    else if (!s->is_steps_focus && nt)
        err = s->run->tables[s->tst.selected].error;
    if (s->undo.is_analysing) {
        snprintf(text, sizeof text, "analysing the undo %s", tui_term_glyph(GLYPH_ELLIPSIS));
        tui_body_line(body, y, ROLE_DIM, text);
    } else if (err) {
        tui_body_line(body, y, ROLE_ERROR, err);
    } else {
        snprintf(text, sizeof text, "run %s  %zu step%s  (Tab: %s)", s->run->run_id,
                 s->step_count, s->step_count == 1 ? "" : "s",
                 s->is_steps_focus ? "tables" : "steps");
        tui_body_line(body, y, ROLE_DIM, text);
    }
}

static void title(struct tui_app *app, void *state, char *buf, size_t cap)
{
    (void)app;
    struct runscreen *s = state;
    char id[9];
    char shown[64];
    snprintf(id, sizeof id, "%.8s", s->run_id);
    tui_put_clean(shown, sizeof shown, id);
    snprintf(buf, cap, "Run %s%s", shown, s->is_steps_focus ? "  (steps)" : "  (tables)");
}

static bool click(struct tui_app *app, void *state, int y, int x, bool is_double)
{
    struct runscreen *s = state;
    (void)app;
    (void)x;
    (void)is_double;
    size_t row;
    if (s->run && tui_table_row_at(&s->tst, s->tlist_y, s->tvisible, y, &row)) {
        s->is_steps_focus = false;
        s->tst.selected = row;
        return true;
    }
    if (s->step_count && tui_table_row_at(&s->sst, s->slist_y, s->svisible, y, &row)) {
        s->is_steps_focus = true;
        s->sst.selected = row;
        return true;
    }
    return false;
}

const struct tui_screen_ops tui_screen_run = {
    .name = "run",
    .summary = "one run: its tables and steps",
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
