/* impact.c - the impact of rolling back to one checkpoint (Enter on the checkpoints screen):
 * the workflow's own dry run (lr_rollback_run without execute, on the runner thread), one row
 * per table: current -> target version, rows now / then, delta rows, files added back /
 * removed, bytes, commits undone and the risk as a symbol, a word and a colour; the selected
 * table's reasons and blockers under the list, and a totals line. Space takes a table in or out
 * of scope and re-runs the dry run for the new scope, so the digest and the phrase always match
 * what is shown. Tab shows the selected table's detail (the commits that would be undone by
 * operation and writer, and when). R opens the typed confirmation with the workflow's phrase. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../app.h"
#include "../sanitize.h"
#include "../term.h"
#include "lakerewind/confirm.h"
#include "runfmt.h"

enum { COL_SCOPE, COL_NAME, COL_VERSION, COL_NOW, COL_THEN, COL_DELTA, COL_ADD, COL_REMOVE,
       COL_BYTES, COL_COMMITS, COL_RISK, NCOLS };

static const struct tui_column columns[NCOLS] = {
    [COL_SCOPE] = {"IN", 3, 0, false},
    [COL_NAME] = {"TABLE", 8, 1, false},
    [COL_VERSION] = {"VERSION", 11, 0, false},
    [COL_NOW] = {"ROWS", 6, 0, true},
    [COL_THEN] = {"THEN", 6, 0, true},
    [COL_DELTA] = {"DELTA", 7, 0, true},
    [COL_ADD] = {"+FILE", 5, 0, true},
    [COL_REMOVE] = {"-FILE", 5, 0, true},
    [COL_BYTES] = {"BYTES", 9, 0, true},
    [COL_COMMITS] = {"UNDO", 4, 0, true},
    [COL_RISK] = {"RISK", 9, 0, false},
};

static const struct tui_key_binding default_keys[] = {
    {TUI_KEY_SPACE, TUI_ACT_TOGGLE, "scope", false},
    {TUI_KEY_TAB, TUI_ACT_DETAIL, "detail", false},
    {'R', TUI_ACT_RESTORE, "restore", false},
};

static struct tui_keymap keys;

struct impscreen {
    char *checkpoint;
    unsigned token;
    bool is_running;
    bool is_executing;           /* the confirmed run (live) is in flight */
    unsigned exec_token;
    bool is_detail;
    char *error;
    struct lr_run_result *first; /* the whole checkpoint's impact: rows out of scope */
    struct lr_run_result *res;   /* the impact of the current scope */
    bool *in_scope;              /* per row of first->impact.tables */
    struct tui_table_state st;
    int visible;
    int list_y;
    unsigned hist_token;          /* the detail's history read (row counts, commits) */
    bool is_hist_loading;
    struct tui_fetch_result *hist; /* owned: the detail table's recent history */
};

static void free_run(struct lr_run_result *r)
{
    if (r) {
        lr_run_result_free(r);
        free(r);
    }
}

static size_t row_count(const struct impscreen *s)
{
    return s->first && s->first->has_impact ? s->first->impact.table_count : 0;
}

static const struct lr_impact *shown_impact(const struct impscreen *s)
{
    if (s->res && s->res->has_impact)
        return &s->res->impact;
    if (!s->first || !s->first->has_impact || s->res)
        return NULL;
    /* No re-run yet: the first analysis, valid while every table is in scope. */
    for (size_t i = 0; i < s->first->impact.table_count; i++)
        if (!s->in_scope[i])
            return NULL;
    return &s->first->impact;
}

static const struct lr_table_impact *current_row(const struct impscreen *s, size_t row)
{
    const char *name = s->first->impact.tables[row].name;
    const struct lr_impact *im = shown_impact(s);
    if (!s->in_scope[row] || !im)
        return NULL;
    for (size_t i = 0; i < im->table_count; i++)
        if (!strcmp(im->tables[i].name, name))
            return &im->tables[i];
    return NULL;
}

static void start(struct tui_app *app, struct impscreen *s)
{
    size_t n = row_count(s), k = 0;
    const char **names = n ? calloc(n, sizeof *names) : NULL;
    if (n && !names)
        return;
    for (size_t i = 0; i < n; i++)
        if (s->in_scope[i])
            names[k++] = s->first->impact.tables[i].name;
    if (n && k == 0) {
        tui_app_log(app, TUI_LOG_WARN, "no table in scope: Space takes one back in");
        free_run(s->res);
        s->res = NULL;
        free(names);
        return;
    }
    if (tui_app_start_run(app, s->checkpoint, names, k, false, NULL, &s->token) == 0)
        s->is_running = true;
    free(names);
}

static int open_screen(struct tui_app *app, void **state, const char *arg)
{
    if (!arg || !*arg)
        return LR_EINVAL;
    struct impscreen *s = calloc(1, sizeof *s);
    if (!s || !(s->checkpoint = lr_strdup(arg))) {
        free(s);
        return LR_ENOMEM;
    }
    s->st.sort_column = -1;
    s->visible = 10;
    *state = s;
    start(app, s);
    return 0;
}

static void close_screen(void *state)
{
    struct impscreen *s = state;
    if (!s)
        return;
    free(s->checkpoint);
    free(s->error);
    free(s->in_scope);
    free_run(s->first);
    free_run(s->res);
    tui_fetch_result_free(s->hist);
    free(s);
}

static void run_done(struct tui_app *app, void *state, struct tui_event *ev)
{
    struct impscreen *s = state;
    if (s->is_executing && ev->index == s->exec_token) {
        s->is_executing = false;
        tui_app_dirty(app);
        if (!ev->run)
            return; /* the app logs ev->text */
        struct lr_run_result *r = ev->run;
        ev->run = NULL;
        tui_result_open(app, r); /* takes r */
        return;
    }
    if (!s->is_running || ev->index != s->token)
        return;
    s->is_running = false;
    free(s->error);
    s->error = NULL;
    if (!ev->run) {
        s->error = lr_strdup(ev->text ? ev->text : "the dry run could not run");
    } else if (!ev->run->has_impact) {
        s->error = lr_asprintf("%s%s%s", lr_run_status_name(ev->run->status),
                               ev->run->refusal ? ": " : "",
                               ev->run->refusal ? ev->run->refusal : "");
    } else if (!s->first) {
        s->first = ev->run;
        ev->run = NULL;
        size_t n = s->first->impact.table_count;
        s->in_scope = calloc(n ? n : 1, sizeof *s->in_scope);
        for (size_t i = 0; s->in_scope && i < n; i++)
            s->in_scope[i] = true;
        tui_table_set_count(&s->st, s->in_scope ? n : 0, s->visible);
    } else {
        free_run(s->res);
        s->res = ev->run;
        ev->run = NULL;
    }
    tui_app_dirty(app);
}


static void restore_confirmed(struct tui_app *app, void *payload);

/* The workflow's own checker against the plan on screen (same digest as the dry run). */
static bool check_phrase(void *payload, const char *typed, char *why, size_t cap)
{
    const struct impscreen *s = payload;
    const struct lr_impact *im = shown_impact(s);
    if (!im) {
        snprintf(why, cap, "the impact is being re-analysed; try again in a moment");
        return false;
    }
    return lr_impact_confirm_check(im, typed, why, cap) == LR_CONFIRM_OK;
}

static void open_confirm(struct tui_app *app, struct impscreen *s)
{
    const struct lr_impact *im = shown_impact(s);
    if (s->is_running || !im) {
        tui_app_log(app, TUI_LOG_WARN, "the impact is not ready yet");
        return;
    }
    if (im->totals.blocked > 0) {
        tui_app_log(app, TUI_LOG_ERROR, "%zu table%s blocked: take %s out of scope (Space) "
                    "first", im->totals.blocked, im->totals.blocked == 1 ? " is" : "s are",
                    im->totals.blocked == 1 ? "it" : "them");
        return;
    }
    bool is_live = tui_app_mode(app) == TUI_BANNER_LIVE;
    char *cp = tui_sanitize_str(im->checkpoint, false);
    char *phrase = tui_sanitize_str(im->confirmation_phrase ? im->confirmation_phrase : "",
                                     false);
    char *body = lr_asprintf("Roll %zu table%s back to checkpoint %s (%lld commits undone, "
                             "%zu High risk). %s\n\nType exactly:\n%s",
                             im->totals.tables, im->totals.tables == 1 ? "" : "s",
                             cp ? cp : "", (long long)im->totals.commits_undone,
                             im->totals.high,
                             is_live ? "LIVE mode: every table in scope WILL be rewritten "
                                       "(one commit each), after a pre-rollback snapshot."
                                     : "Dry-run mode: the whole restore runs (snapshots, each "
                                       "commit built and checked, validation) but NO table is "
                                       "written (:live to execute).",
                             phrase ? phrase : "");
    struct tui_confirm_request req = {
        .title = is_live ? "Restore (LIVE)" : "Restore (dry run)",
        .body = body ? body : "",
        .phrase = im->confirmation_phrase ? im->confirmation_phrase : "",
        .on_confirm = restore_confirmed,
        .payload = s,
        .check = check_phrase,
        .width = 96,
    };
    tui_confirm_open(app, &req);
    free(phrase);
    free(cp);
    free(body);
}

/* The detail's row-count chart and commit list: the table's history from a little before the
 * checkpoint's version up to now (one page). */
static void load_history(struct tui_app *app, struct impscreen *s,
                         const struct lr_table_impact *t)
{
    if (s->hist && !s->hist->error && !strcmp(s->hist->history.table, t->name) &&
        s->hist->history.page.count && s->hist->history.page.entries[0].version ==
                                           t->current_version)
        return; /* already read */
    int64_t undone = t->commits_undone > 0 ? t->commits_undone : 0;
    size_t limit = (size_t)(undone + 10 > 60 ? undone + 10 : 60);
    tui_fetch_result_free(s->hist);
    s->hist = NULL;
    if (tui_app_fetch_history(app, t->name, t->current_version + 1, limit, &s->hist_token) == 0)
        s->is_hist_loading = true;
}

static void fetched(struct tui_app *app, void *state, struct tui_event *ev)
{
    struct impscreen *s = state;
    if (!s->is_hist_loading || ev->index != s->hist_token || !ev->fetched)
        return;
    s->is_hist_loading = false;
    tui_fetch_result_free(s->hist);
    s->hist = ev->fetched;
    ev->fetched = NULL;
    tui_app_dirty(app);
}

static bool action(struct tui_app *app, void *state, enum tui_action a)
{
    struct impscreen *s = state;
    if (tui_table_navigate(&s->st, a, s->visible))
        return true;
    switch (a) {
    case TUI_ACT_DETAIL:
        s->is_detail = !s->is_detail && row_count(s) > 0 && current_row(s, s->st.selected);
        if (s->is_detail)
            load_history(app, s, current_row(s, s->st.selected));
        if (!s->is_detail && row_count(s) && !current_row(s, s->st.selected))
            tui_app_log(app, TUI_LOG_WARN, "no detail: this table is out of scope");
        return true;
    case TUI_ACT_TOGGLE:
        if (row_count(s) == 0 || s->is_running || s->is_executing)
            return true;
        s->in_scope[s->st.selected] = !s->in_scope[s->st.selected];
        start(app, s);
        return true;
    case TUI_ACT_RESTORE: open_confirm(app, s); return true;
    case TUI_ACT_BACK:
        if (!s->is_detail)
            return false;
        s->is_detail = false;
        return true;
    default: return false;
    }
}

static void put(char *buf, size_t cap, const char *raw)
{
    char *clean = tui_sanitize_str(raw ? raw : "", false);
    snprintf(buf, cap, "%s", clean ? clean : "");
    free(clean);
}

static void put_count(char *buf, size_t cap, int64_t n)
{
    if (n < 0)
        snprintf(buf, cap, "?");
    else
        tui_format_count(buf, cap, n);
}

static const char *risk_word(const struct lr_table_impact *t, enum tui_role *role)
{
    if (t->blockers.count) {
        *role = ROLE_ERROR;
        return "x BLOCKED";
    }
    switch (t->risk.level) {
    case LR_RISK_HIGH: *role = ROLE_RISK_HIGH; return "!! High";
    case LR_RISK_MEDIUM: *role = ROLE_RISK_MEDIUM; return "! Medium";
    default: *role = ROLE_RISK_LOW; return "- Low";
    }
}

static void cell(size_t row, size_t col, char *buf, size_t cap, enum tui_role *role,
                 void *payload)
{
    const struct impscreen *s = payload;
    const struct lr_table_impact *all = &s->first->impact.tables[row];
    const struct lr_table_impact *t = current_row(s, row);
    if (!t) {
        *role = ROLE_DIM;
        if (col == COL_SCOPE)
            snprintf(buf, cap, "[ ]");
        else if (col == COL_NAME)
            put(buf, cap, all->name);
        else if (col == COL_RISK)
            snprintf(buf, cap, s->in_scope[row] ? "%s" : "out",
                     tui_term_glyph(GLYPH_ELLIPSIS));
        return;
    }
    char a[32], b[40];
    switch (col) {
    case COL_SCOPE: snprintf(buf, cap, "[x]"); return;
    case COL_NAME: put(buf, cap, t->name); return;
    case COL_VERSION:
        snprintf(buf, cap, "%lld -> %lld", (long long)t->current_version,
                 (long long)t->target_version);
        return;
    case COL_NOW: put_count(buf, cap, t->rows_now); return;
    case COL_THEN: put_count(buf, cap, t->rows_then); return;
    case COL_DELTA:
        if (!t->delta_rows_known) {
            snprintf(buf, cap, "?");
        } else {
            tui_format_count(a, sizeof a, t->delta_rows);
            snprintf(buf, cap, "%s%s", t->delta_rows > 0 ? "+" : "", a);
        }
        return;
    case COL_ADD: put_count(buf, cap, t->files_to_add); return;
    case COL_REMOVE: put_count(buf, cap, t->files_to_remove); return;
    case COL_BYTES: {
        int64_t net = t->bytes_to_add - t->bytes_to_remove;
        tui_format_bytes(a, sizeof a, (uint64_t)(net < 0 ? -net : net));
        snprintf(b, sizeof b, "%s%s", net < 0 ? "-" : net > 0 ? "+" : "", a);
        snprintf(buf, cap, "%s", b);
        return;
    }
    case COL_COMMITS: put_count(buf, cap, t->commits_undone); return;
    case COL_RISK: snprintf(buf, cap, "%s", risk_word(t, role)); return;
    default: return;
    }
}

static void format_time(char *buf, size_t cap, int64_t ms)
{
    if (ms < 0) {
        snprintf(buf, cap, "-");
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, cap, "%Y-%m-%d %H:%MZ", &tm);
}

/* "MERGE 3, WRITE 1" from a count list. */
static void join_counts(char *buf, size_t cap, const char *head, const struct lr_count_by *c,
                        size_t n)
{
    size_t o = (size_t)snprintf(buf, cap, "%s", head);
    for (size_t i = 0; i < n && o + 1 < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%s %lld", i ? ", " : "", c[i].key,
                              (long long)c[i].count);
    if (n == 0 && o + 1 < cap)
        snprintf(buf + o, cap - o, "none");
}

/* The row counts over the page (oldest first) with the checkpoint's version marked, then the
 * undone commits, newest first, as many as fit above `bottom`. */
static int draw_detail_history(struct tui_rect body, int y, int bottom,
                               const struct impscreen *s, const struct lr_table_impact *t)
{
    char text[1024];
    if (s->is_hist_loading || !s->hist) {
        snprintf(text, sizeof text, "reading the history of %s %s", t->name,
                 tui_term_glyph(GLYPH_ELLIPSIS));
        return tui_body_line(body, y, ROLE_DIM, text);
    }
    if (s->hist->error)
        return tui_body_line(body, y, ROLE_WARN, s->hist->error);
    const struct tui_history_data *h = &s->hist->history;
    size_t n = h->page.count;
    if (n == 0)
        return y;
    snprintf(text, sizeof text, "Rows by version, v%lld to v%lld (^ = the checkpoint, v%lld)%s",
             (long long)h->page.entries[n - 1].version, (long long)h->page.entries[0].version,
             (long long)t->target_version, h->rows_error ? ": row counts unknown" : "");
    y = tui_body_line(body, y, ROLE_COLUMN_HEADER, text);
    int64_t *versions = calloc(n, sizeof *versions);
    int64_t *rows = calloc(n, sizeof *rows);
    if (versions && rows && y + 1 < bottom) {
        for (size_t i = 0; i < n; i++) {
            versions[i] = h->page.entries[n - 1 - i].version;
            rows[i] = h->rows[n - 1 - i];
        }
        tui_rowchart_draw(y, body.x + 3, body.w - 4, versions, rows, n, &t->target_version, 1);
        y += 2;
    }
    free(versions);
    free(rows);
    y = tui_body_line(body, y, ROLE_COLUMN_HEADER, "Commits undone, newest first");
    size_t undone = 0;
    for (size_t i = 0; i < n; i++)
        undone += h->page.entries[i].version > t->target_version;
    if (undone == 0)
        y = tui_body_line(body, y, ROLE_DIM, "  none: the table is at the checkpoint's version");
    for (size_t i = 0; i < n && h->page.entries[i].version > t->target_version; i++) {
        const struct lr_delta_history_entry *e = &h->page.entries[i];
        if (y >= bottom - 1 && i + 1 < undone) {
            snprintf(text, sizeof text, "  %s %zu more (:history %s)",
                     tui_term_glyph(GLYPH_ELLIPSIS), undone - i, t->name);
            return tui_body_line(body, y, ROLE_DIM, text);
        }
        char when[32];
        tui_format_ms(when, sizeof when, e->timestamp_ms, "%Y-%m-%d %H:%MZ");
        const char *user = h->facts[i].user;
        const char *engine = h->facts[i].engine;
        snprintf(text, sizeof text, "  v%-6lld %s  %-12s %s%s%s", (long long)e->version, when,
                 e->operation ? e->operation : "-", user ? user : "",
                 user && engine ? " via " : "", engine ? engine : "");
        y = tui_body_line(body, y, ROLE_NORMAL, text);
    }
    return y;
}

static void draw_detail(struct tui_rect body, const struct impscreen *s,
                        const struct lr_table_impact *t)
{
    char text[1024], a[32], b[32];
    int y = body.y;
    int bottom = body.y + body.h - 4 - (int)t->warnings.count;
    snprintf(text, sizeof text, "%s: version %lld back to %lld, %lld commit%s undone",
             t->name, (long long)t->current_version, (long long)t->target_version,
             (long long)t->commits_undone, t->commits_undone == 1 ? "" : "s");
    y = tui_body_line(body, y, ROLE_TITLE, text);
    format_time(a, sizeof a, t->first_undone_ms);
    format_time(b, sizeof b, t->last_undone_ms);
    snprintf(text, sizeof text, "undone commits written from %s to %s", a, b);
    y = tui_body_line(body, y, ROLE_NORMAL, text);
    y = draw_detail_history(body, y + 1, bottom, s, t);
    y = body.y + body.h - 4 - (int)t->warnings.count;
    join_counts(text, sizeof text, "By operation: ", t->by_operation, t->by_operation_count);
    y = tui_body_line(body, y, ROLE_NORMAL, text);
    join_counts(text, sizeof text, "By writer: ", t->by_writer, t->by_writer_count);
    y = tui_body_line(body, y, ROLE_NORMAL, text);
    tui_format_bytes(a, sizeof a, (uint64_t)(t->bytes_to_add > 0 ? t->bytes_to_add : 0));
    tui_format_bytes(b, sizeof b, (uint64_t)(t->bytes_to_remove > 0 ? t->bytes_to_remove : 0));
    snprintf(text, sizeof text, "files: %lld added back (%s), %lld removed (%s); schema %s",
             (long long)t->files_to_add, a, (long long)t->files_to_remove, b,
             t->schema_changed ? "CHANGED since the checkpoint" : "unchanged");
    y = tui_body_line(body, y, t->schema_changed ? ROLE_WARN : ROLE_NORMAL, text);
    for (size_t i = 0; i < t->warnings.count; i++) {
        snprintf(text, sizeof text, "warning: %s", t->warnings.items[i]);
        y = tui_body_line(body, y, ROLE_WARN, text);
    }
    tui_body_line(body, y, ROLE_DIM, "Tab or Esc: back to the list");
}

static void draw(struct tui_app *app, void *state, struct tui_rect body)
{
    struct impscreen *s = state;
    char text[1024];
    size_t n = row_count(s);
    if (!s->first) {
        if (s->error) {
            tui_body_line(body, body.y + 1, ROLE_ERROR, "The impact analysis failed");
            tui_body_line(body, body.y + 3, ROLE_NORMAL, s->error);
        } else {
            snprintf(text, sizeof text, "analysing the impact of rolling back to %s %s",
                     s->checkpoint, tui_term_glyph(GLYPH_ELLIPSIS));
            tui_body_line(body, body.y + 1, ROLE_DIM, text);
        }
        return;
    }
    if (n == 0) {
        tui_body_line(body, body.y + 1, ROLE_WARN, "This checkpoint covers no table.");
        return;
    }
    const struct lr_table_impact *sel = current_row(s, s->st.selected);
    if (s->is_detail && sel) {
        draw_detail(body, s, sel);
        return;
    }
    struct tui_rect list = body;
    list.h = body.h - 6;
    s->list_y = list.y + 1;
    s->visible = tui_app_table(app, list, columns, NCOLS, &s->st, cell, s);
    int y = body.y + body.h - 6;
    tui_term_hline(y++, body.x, body.w, ROLE_BORDER);
    const struct lr_impact *im = shown_impact(s);
    if (im) {
        const struct lr_impact_totals *t = &im->totals;
        char d[32];
        tui_format_count(d, sizeof d, t->delta_rows);
        snprintf(text, sizeof text, "TOTAL %zu of %zu tables  %s%s rows  files +%lld -%lld  "
                 "%lld commits  risk %zu High %zu Med %zu Low  %zu blocked",
                 t->tables, n, t->delta_rows > 0 ? "+" : "", d, (long long)t->files_to_add,
                 (long long)t->files_to_remove, (long long)t->commits_undone, t->high,
                 t->medium, t->low, t->blocked);
        y = tui_body_line(body, y, t->blocked ? ROLE_ERROR : t->high ? ROLE_RISK_HIGH : ROLE_NORMAL,
                 text);
    } else {
        y = tui_body_line(body, y, ROLE_WARN, s->error ? s->error : "no table in scope");
    }
    const struct lr_table_impact *all = &s->first->impact.tables[s->st.selected];
    if (s->is_executing) {
        snprintf(text, sizeof text, "%s running %s (progress in the log line)",
                 tui_app_mode(app) == TUI_BANNER_LIVE ? "LIVE restore" : "dry-run restore",
                 tui_term_glyph(GLYPH_ELLIPSIS));
        y = tui_body_line(body, y, ROLE_WARN, text);
    } else if (s->is_running) {
        snprintf(text, sizeof text, "re-analysing the new scope %s",
                 tui_term_glyph(GLYPH_ELLIPSIS));
        y = tui_body_line(body, y, ROLE_DIM, text);
    } else if (!sel) {
        snprintf(text, sizeof text, "%s: out of scope (Space takes it back in)", all->name);
        y = tui_body_line(body, y, ROLE_DIM, text);
    } else {
        for (size_t i = 0; i < sel->blockers.count && y < body.y + body.h - 1; i++) {
            snprintf(text, sizeof text, "%s: BLOCKED: %s", sel->name, sel->blockers.items[i]);
            y = tui_body_line(body, y, ROLE_ERROR, text);
        }
        for (size_t i = 0; i < sel->risk.reasons.count && y < body.y + body.h - 1; i++) {
            enum tui_role role;
            risk_word(sel, &role);
            snprintf(text, sizeof text, "%s: %s", sel->name, sel->risk.reasons.items[i]);
            y = tui_body_line(body, y, role, text);
        }
    }
    for (size_t i = 0; im && i < im->warnings.count && y < body.y + body.h - 1; i++) {
        snprintf(text, sizeof text, "warning: %s", im->warnings.items[i]);
        y = tui_body_line(body, y, ROLE_WARN, text);
    }
    if (im && im->confirmation_phrase) {
        snprintf(text, sizeof text, "phrase: %s", im->confirmation_phrase);
        tui_body_line(body, body.y + body.h - 1, ROLE_DIM, text);
    }
}

static void title(struct tui_app *app, void *state, char *buf, size_t cap)
{
    (void)app;
    struct impscreen *s = state;
    char *cp = tui_sanitize_str(s->checkpoint, false);
    snprintf(buf, cap, "Impact of rolling back to %s%s", cp ? cp : "",
             s->is_detail ? "  (detail)" : "");
    free(cp);
}

/* A press selects a row; on the selected row (or a double press) it opens the detail. Scope
 * and restore stay on keys. */
static bool click(struct tui_app *app, void *state, int y, int x, bool is_double)
{
    struct impscreen *s = state;
    (void)x;
    size_t row;
    if (s->is_detail || !row_count(s) ||
        !tui_table_row_at(&s->st, s->list_y, s->visible, y, &row))
        return false;
    bool was_selected = row == s->st.selected;
    s->st.selected = row;
    if (is_double || was_selected)
        action(app, state, TUI_ACT_DETAIL);
    return true;
}

static void restore_confirmed(struct tui_app *app, void *payload)
{
    struct impscreen *s = payload;
    const struct lr_impact *im = shown_impact(s);
    if (!im || s->is_running || s->is_executing)
        return;
    bool is_live = tui_app_mode(app) == TUI_BANNER_LIVE;
    size_t n = im->table_count;
    const char **names = calloc(n ? n : 1, sizeof *names);
    if (!names)
        return;
    for (size_t i = 0; i < n; i++)
        names[i] = im->tables[i].name;
    /* Dry-run mode runs the whole flow too (core's rehearsal): every table snapshotted, its
     * restore commit built and checked, the result validated -- and nothing written. */
    int rc = is_live ? tui_app_start_run(app, s->checkpoint, names, n, true,
                                         im->confirmation_phrase, &s->exec_token)
                     : tui_app_start_rehearsal(app, s->checkpoint, names, n,
                                               im->confirmation_phrase, &s->exec_token);
    if (rc == 0) {
        s->is_executing = true;
        if (is_live)
            tui_app_log(app, TUI_LOG_WARN, "LIVE: restoring %zu table%s to %s", n,
                        n == 1 ? "" : "s", im->checkpoint);
        else
            tui_app_log(app, TUI_LOG_INFO, "DRY RUN: rehearsing the restore of %zu table%s to "
                        "%s; nothing will be written", n, n == 1 ? "" : "s", im->checkpoint);
        tui_app_push(app, &tui_screen_progress, s->checkpoint);
    }
    free(names);
}

/* Appends to buf (a bounded cursor). */
static void add(char *buf, size_t cap, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add(char *buf, size_t cap, size_t *used, const char *fmt, ...)
{
    if (*used >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *used, cap - *used, fmt, ap);
    va_end(ap);
    if (n > 0)
        *used += (size_t)n < cap - *used ? (size_t)n : cap - *used - 1;
}

/* The walkthrough's step 3: why the selected table has its risk (the impact's own reasons),
 * what RESTORE will and will not do for it, and why a dry run comes first. */
static void guide(struct tui_app *app, void *state, bool is_compact, char *buf, size_t cap)
{
    (void)app;
    struct impscreen *s = state;
    size_t used = 0;
    buf[0] = '\0';
    if (!s->first || row_count(s) == 0) {
        add(buf, cap, &used, "The workflow is analysing what rolling back to %s would do "
            "(a dry run: nothing is written).", s->checkpoint);
        return;
    }
    const struct lr_table_impact *t = current_row(s, s->st.selected);
    if (!t) {
        add(buf, cap, &used, "%s is out of scope: it stays as it is. Space takes it back in.",
            s->first->impact.tables[s->st.selected].name);
        return;
    }
    const char *level = t->blockers.count ? "BLOCKED" : lr_risk_level_name(t->risk.level);
    if (t->blockers.count)
        add(buf, cap, &used, "%s is BLOCKED: %s.", t->name, t->blockers.items[0]);
    else if (t->risk.reasons.count)
        add(buf, cap, &used, "Why %s is %s risk:", t->name, level);
    else
        add(buf, cap, &used, "%s is %s risk: nothing unusual in what would be undone.",
            t->name, level);
    size_t max_reasons = is_compact ? 2 : 4;
    for (size_t i = 0; i < t->risk.reasons.count && i < max_reasons; i++)
        add(buf, cap, &used, "%s- %s", i == 0 ? "\n" : "\n", t->risk.reasons.items[i]);
    if (is_compact) {
        add(buf, cap, &used, "\nRESTORE brings back its rows, files and schema as of "
            "version %lld; not vacuumed files, not tables out of scope; CDF readers see it as "
            "changes. Dry run first. Next: R.", (long long)t->target_version);
        return;
    }
    add(buf, cap, &used, "\n\nRESTORE will write one commit that makes %s again what it "
        "was at version %lld: ", t->name, (long long)t->target_version);
    if (t->rows_now >= 0 && t->rows_then >= 0)
        add(buf, cap, &used, "%lld rows instead of %lld, ", (long long)t->rows_then,
            (long long)t->rows_now);
    add(buf, cap, &used, "%lld files added back and %lld removed, %s. The undone commits stay "
        "in the history (time travel and undo still work).",
        (long long)t->files_to_add, (long long)t->files_to_remove,
        t->schema_changed ? "and the schema as it was then (the change since is undone)"
                          : "with the same schema");
    add(buf, cap, &used, "\nIt will NOT bring back data files that VACUUM deleted (a table "
        "missing them is blocked), will not touch tables out of scope -- related tables keep "
        "their rows, so check the warnings --, and readers of the change data feed or "
        "streams%s will see the RESTORE as new changes.",
        t->has_streaming_readers ? " (this table has some)" : "");
    add(buf, cap, &used, "\n\nWhy a dry run first: it runs every step of the restore and "
        "writes nothing, so a problem shows up while it is free to fix.\nSpace: scope, Tab: "
        "detail, R: the confirmation.");
}

const struct tui_screen_ops tui_screen_impact = {
    .name = "impact",
    .alias = NULL,
    .summary = "checkpoint impact",
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
    .guide = guide,
};
