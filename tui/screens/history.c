/* history.c - one table's commit timeline (Enter or h on the overview, `:history NAME`; arg:
 * the raw table name): version, time, operation, who wrote it (user via engine), the row count
 * after the commit and its change (core's lr_delta_row_counts), and the rows added / removed
 * that the writer reported in operationMetrics. Under the list: a row-count sparkline over the
 * page's versions with "^" under every version a checkpoint keeps, the checkpoints named, and
 * the selected commit in full. The log is read a page at a time (core's history is paged):
 * n loads the next older page, p goes back to the newer one. Everything is read by the fetch
 * worker; lake strings are sanitised when drawn. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../sanitize.h"
#include "../term.h"
#include "lakerewind/str.h"
#include "runfmt.h"

#define PAGE_SIZE 50
#define PAGE_DEPTH 64 /* newer pages remembered for p */

enum { COL_VERSION, COL_TIME, COL_OP, COL_WHO, COL_ROWS, COL_DELTA, COL_ADDED, COL_REMOVED,
       NCOLS };

static const struct tui_column columns[NCOLS] = {
    [COL_VERSION] = {"VERSION", 7, 0, true}, [COL_TIME] = {"TIME", 11, 0, false},
    [COL_OP] = {"OPERATION", 12, 0, false},  [COL_WHO] = {"WRITER", 8, 1, false},
    [COL_ROWS] = {"ROWS", 8, 0, true},       [COL_DELTA] = {"CHANGE", 7, 0, true},
    [COL_ADDED] = {"+ROWS", 6, 0, true},     [COL_REMOVED] = {"-ROWS", 6, 0, true},
};

static const struct tui_key_binding default_keys[] = {
    {'n', TUI_ACT_OLDER, "older", false},
    {'p', TUI_ACT_NEWER, "newer", false},
};

static struct tui_keymap keys;

struct histscreen {
    char *table;  /* raw */
    char *shown;  /* sanitised */
    unsigned token;
    bool is_loading;
    int64_t before;                /* the page shown: commits older than this (-1: latest) */
    int64_t newer[PAGE_DEPTH];     /* `before` of the pages above this one */
    size_t depth;
    struct tui_fetch_result *data; /* owned */
    struct tui_table_state st;
    int visible;
    int list_y;
};

static void load(struct tui_app *app, struct histscreen *s, int64_t before)
{
    if (tui_app_fetch_history(app, s->table, before, PAGE_SIZE, &s->token) == 0) {
        s->is_loading = true;
        s->before = before;
    }
}

static int open_screen(struct tui_app *app, void **state, const char *arg)
{
    if (!arg || !*arg)
        return LR_EINVAL;
    struct histscreen *s = calloc(1, sizeof *s);
    if (!s)
        return LR_ENOMEM;
    s->table = lr_strdup(arg);
    s->shown = tui_sanitize_str(arg, false);
    if (!s->table || !s->shown) {
        free(s->table);
        free(s->shown);
        free(s);
        return LR_ENOMEM;
    }
    s->st.sort_column = -1;
    s->visible = 10;
    *state = s;
    load(app, s, -1);
    return 0;
}

static void close_screen(void *state)
{
    struct histscreen *s = state;
    if (!s)
        return;
    tui_fetch_result_free(s->data);
    free(s->table);
    free(s->shown);
    free(s);
}

static size_t entry_count(const struct histscreen *s)
{
    return s->data && !s->data->error ? s->data->history.page.count : 0;
}

static void fetched(struct tui_app *app, void *state, struct tui_event *ev)
{
    struct histscreen *s = state;
    if (!s->is_loading || ev->index != s->token || !ev->fetched)
        return;
    s->is_loading = false;
    tui_fetch_result_free(s->data);
    s->data = ev->fetched;
    ev->fetched = NULL;
    s->st.selected = 0;
    s->st.top = 0;
    tui_table_set_count(&s->st, entry_count(s), s->visible);
    tui_app_dirty(app);
}

static bool action(struct tui_app *app, void *state, enum tui_action a)
{
    struct histscreen *s = state;
    if (tui_table_navigate(&s->st, a, s->visible))
        return true;
    switch (a) {
    case TUI_ACT_OLDER:
        if (s->is_loading)
            return true;
        if (!s->data || s->data->error || s->data->history.page.next_before < 0) {
            tui_app_log(app, TUI_LOG_INFO, "no older commits: this is the oldest page");
        } else if (s->depth >= PAGE_DEPTH) {
            tui_app_log(app, TUI_LOG_WARN, "too many pages deep; p goes back");
        } else {
            s->newer[s->depth++] = s->before;
            load(app, s, s->data->history.page.next_before);
        }
        return true;
    case TUI_ACT_NEWER:
        if (s->is_loading)
            return true;
        if (s->depth == 0)
            tui_app_log(app, TUI_LOG_INFO, "no newer commits: this is the latest page");
        else
            load(app, s, s->newer[--s->depth]);
        return true;
    default: return false;
    }
}

static void writer(char *buf, size_t cap, const struct lr_delta_commit_facts *c)
{
    char raw[512];
    if (c->user && c->engine)
        snprintf(raw, sizeof raw, "%s via %s", c->user, c->engine);
    else
        snprintf(raw, sizeof raw, "%s", c->user ? c->user : c->engine ? c->engine : "-");
    tui_put_clean(buf, cap, raw);
}

static void count_or_dash(char *buf, size_t cap, int64_t n, const char *sign)
{
    char a[32];
    if (n < 0) {
        snprintf(buf, cap, "-");
        return;
    }
    tui_format_count(a, sizeof a, n);
    snprintf(buf, cap, "%s%s", n > 0 ? sign : "", a);
}

static void cell(size_t row, size_t col, char *buf, size_t cap, enum tui_role *role,
                 void *payload)
{
    const struct histscreen *s = payload;
    const struct tui_history_data *h = &s->data->history;
    const struct lr_delta_history_entry *e = &h->page.entries[row];
    const struct lr_delta_commit_facts *c = &h->facts[row];
    switch (col) {
    case COL_VERSION: snprintf(buf, cap, "%lld", (long long)e->version); return;
    case COL_TIME: tui_format_ms(buf, cap, e->timestamp_ms, "%m-%d %H:%M"); return;
    case COL_OP:
        tui_put_clean(buf, cap, e->operation ? e->operation : "-");
        if (e->operation && !strcmp(e->operation, "RESTORE"))
            *role = ROLE_WARN;
        return;
    case COL_WHO: writer(buf, cap, c); return;
    case COL_ROWS:
        if (h->rows[row] < 0)
            snprintf(buf, cap, "?");
        else
            tui_format_count(buf, cap, h->rows[row]);
        return;
    case COL_DELTA: {
        /* The change from the version below, when that version is on this page (version 0
         * changes from nothing). */
        int64_t below = -1;
        if (row + 1 < h->page.count && h->page.entries[row + 1].version == e->version - 1)
            below = h->rows[row + 1];
        else if (e->version == 0)
            below = 0;
        if (below < 0 || h->rows[row] < 0)
            return;
        int64_t d = h->rows[row] - below;
        char a[32];
        tui_format_count(a, sizeof a, d);
        snprintf(buf, cap, "%s%s", d > 0 ? "+" : "", a);
        if (d < 0)
            *role = ROLE_WARN;
        return;
    }
    case COL_ADDED: count_or_dash(buf, cap, c->rows_added, "+"); return;
    case COL_REMOVED: count_or_dash(buf, cap, c->rows_removed, "-"); return;
    default: return;
    }
}

/* The sparkline over the page (oldest first) and the checkpoint marks. */
static void draw_chart(struct tui_rect body, int y, const struct tui_history_data *h)
{
    size_t n = h->page.count;
    int64_t *versions = calloc(n, sizeof *versions);
    int64_t *rows = calloc(n, sizeof *rows);
    int64_t *marks = calloc(h->mark_count ? h->mark_count : 1, sizeof *marks);
    if (versions && rows && marks) {
        for (size_t i = 0; i < n; i++) {
            versions[i] = h->page.entries[n - 1 - i].version;
            rows[i] = h->rows[n - 1 - i];
        }
        for (size_t m = 0; m < h->mark_count; m++)
            marks[m] = h->marks[m].version;
        tui_term_text(y, body.x + 1, 5, ROLE_DIM, "rows");
        tui_rowchart_draw(y, body.x + 6, body.w - 7, versions, rows, n, marks, h->mark_count);
    }
    free(versions);
    free(rows);
    free(marks);
}

static void draw_marks_legend(struct tui_rect body, int y, const struct tui_history_data *h)
{
    char text[1024];
    size_t o = 0;
    int64_t lo = h->page.entries[h->page.count - 1].version;
    int64_t hi = h->page.entries[0].version;
    size_t shown = 0;
    for (size_t m = 0; m < h->mark_count && o + 1 < sizeof text; m++) {
        if (h->marks[m].version < lo || h->marks[m].version > hi)
            continue;
        o += (size_t)snprintf(text + o, sizeof text - o, "%s%s v%lld", shown ? ", " : "^ ",
                              h->marks[m].name, (long long)h->marks[m].version);
        shown++;
    }
    if (!shown)
        snprintf(text, sizeof text, h->mark_count ? "no checkpoint keeps a version on this page"
                                                  : "no checkpoint names this table");
    tui_body_line(body, y, shown ? ROLE_WARN : ROLE_DIM, text);
}

static void draw_selected(struct tui_rect body, int y, const struct lr_delta_history_entry *e,
                          const struct lr_delta_commit_facts *c)
{
    char when[40], text[2048], who[600];
    tui_format_ms(when, sizeof when, e->timestamp_ms, "%Y-%m-%d %H:%M:%SZ");
    writer(who, sizeof who, c);
    snprintf(text, sizeof text, "v%lld  %s  %s by %s  %s", (long long)e->version, when,
             c->operation ? c->operation : "(no commitInfo)", who,
             c->parameters ? c->parameters : "");
    tui_body_line(body, y, ROLE_NORMAL, text);
}

static void draw(struct tui_app *app, void *state, struct tui_rect body)
{
    struct histscreen *s = state;
    char text[1024];
    if (!s->data) {
        snprintf(text, sizeof text, "reading the log of %s %s", s->shown,
                 tui_term_glyph(GLYPH_ELLIPSIS));
        tui_term_text(body.y + 1, body.x + 1, body.w - 2, ROLE_DIM, text);
        return;
    }
    if (s->data->error) {
        tui_term_text(body.y + 1, body.x + 1, body.w - 2, ROLE_ERROR, "Cannot read the history");
        tui_body_line(body, body.y + 3, ROLE_NORMAL, s->data->error);
        return;
    }
    const struct tui_history_data *h = &s->data->history;
    if (h->page.count == 0) {
        tui_body_line(body, body.y + 1, ROLE_WARN, "This table has no commits on this page.");
        return;
    }
    struct tui_rect list = body;
    list.h = body.h - 5;
    s->list_y = list.y + 1;
    s->visible = tui_app_table(app, list, columns, NCOLS, &s->st, cell, s);
    int y = body.y + body.h - 5;
    tui_term_hline(y++, body.x, body.w, ROLE_BORDER);
    draw_chart(body, y, h);
    y += 2;
    draw_marks_legend(body, y++, h);
    if (h->rows_error) {
        snprintf(text, sizeof text, "row counts unknown: %s", h->rows_error);
        tui_body_line(body, y, ROLE_WARN, text);
    } else if (s->is_loading) {
        snprintf(text, sizeof text, "reading %s", tui_term_glyph(GLYPH_ELLIPSIS));
        tui_body_line(body, y, ROLE_DIM, text);
    } else {
        draw_selected(body, y, &h->page.entries[s->st.selected], &h->facts[s->st.selected]);
    }
}

static void title(struct tui_app *app, void *state, char *buf, size_t cap)
{
    (void)app;
    struct histscreen *s = state;
    size_t n = entry_count(s);
    if (!n) {
        snprintf(buf, cap, "History of %s", s->shown);
        return;
    }
    const struct lr_delta_history *p = &s->data->history.page;
    snprintf(buf, cap, "History of %s  versions %lld-%lld  page %zu%s", s->shown,
             (long long)p->entries[0].version, (long long)p->entries[n - 1].version,
             s->depth + 1, p->next_before >= 0 ? " (n: older)" : "");
}

static bool click(struct tui_app *app, void *state, int y, int x, bool is_double)
{
    struct histscreen *s = state;
    (void)app;
    (void)x;
    (void)is_double;
    size_t row;
    if (!entry_count(s) || !tui_table_row_at(&s->st, s->list_y, s->visible, y, &row))
        return false;
    s->st.selected = row;
    return true;
}

const struct tui_screen_ops tui_screen_history = {
    .name = "history",
    .summary = "commits, row counts",
    .keys = &keys,
    .default_keys = default_keys,
    .default_key_count = sizeof default_keys / sizeof default_keys[0],
    .open = open_screen,
    .close = close_screen,
    .action = action,
    .draw = draw,
    .title = title,
    .fetched = fetched,
    .click = click,
};
